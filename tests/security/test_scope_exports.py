"""Exports and PDFs out of scope. Every CSV/Excel export is a table a services/reports
function returns (ui/dashboards.py writes it as it is shown): each such function, found by
introspection, refuses another site to a site-limited desk and, asked for "my sites",
returns nothing of the other site. Every PDF service (*_pdf) is in the id sweep
(test_scope.py). Any other download button in ui/ or pages/ fails here until its data's
scope is tested."""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from datetime import timedelta
from typing import Any

import pandas as pd
import pytest

import services
from db.settings import ROOT
from services.errors import Forbidden
from tests.security.scope_calls import CALLS, build_target

CHATS = ("Chats", "CHATS", "DURAND", "Zoé")
# Files drawing download buttons, and where what they download is swept.
DOWNLOADS = {"ui/dashboards.py": "services/reports tables: this file",
             "ui/money.py": "pdf_button: *_pdf services, test_scope.py",
             # The centre's règlement intérieur: the same public file for everyone.
             "ui/centre.py": "rules PDF, no family data",
             "pages/manager_centre.py": "rules PDF, no family data",
             # A family's data ZIP: export_family_data is in the id sweep (test_scope.py);
             # what a site-limited desk's ZIP holds: test_the_family_zip_keeps_to_the_sites.
             "ui/rights.py": "family data ZIP"}
# PDF services that carry no family's data (the centre's own documents), and the PDF checks.
CENTRE_PDFS = {"content.get_rules_pdf", "organisation.rules_pdf", "organisation.check_pdf"}


def report_services() -> dict[str, Any]:
    found = {}
    for info in pkgutil.walk_packages(services.__path__, "services."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (fn.__module__ == info.name and not name.startswith("_")
                    and "actor" in inspect.signature(fn).parameters
                    and info.name.startswith("services.reports.") and name != "get_options"):
                found[f"{info.name}.{name}"] = fn
    return found


def flat(value: Any) -> str:
    """Every value of a result: tables in full (not their truncated repr), nested fields."""
    if isinstance(value, pd.DataFrame):
        return value.to_csv()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return "\n".join(flat(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple)):
        return "\n".join(flat(v) for v in value)
    return repr(value)


def test_only_known_files_offer_downloads():
    pattern = re.compile(r"download_button\(|pdf_button\(")
    offering = {p.relative_to(ROOT).as_posix() for folder in ("ui", "pages")
                for p in (ROOT / folder).rglob("*.py") if pattern.search(p.read_text())}
    callers = {p for p in offering if "def pdf_button" not in (ROOT / p).read_text()
               and "download_button(" not in (ROOT / p).read_text()}
    assert offering - callers == set(DOWNLOADS), "say where the new download's scope is tested"


def test_every_pdf_service_is_in_the_id_sweep():
    pdfs = set()
    for info in pkgutil.walk_packages(services.__path__, "services."):
        module = importlib.import_module(info.name)
        pdfs |= {f"{info.name.removeprefix('services.')}.{name}"
                 for name, fn in inspect.getmembers(module, inspect.isfunction)
                 if fn.__module__ == info.name and name.endswith("_pdf")
                 and not name.startswith("_")}
    assert pdfs and pdfs - CENTRE_PDFS <= set(CALLS)


def test_reports_give_a_site_limited_desk_nothing_of_another_site(world):
    build_target(world)  # family B booked and paid at Les Chats Perchés
    w = world
    found = report_services()
    assert len(found) >= 8
    args = {"start": w.first_day - timedelta(days=7), "end": w.first_day + timedelta(days=30),
            "today": w.first_day + timedelta(days=20)}
    leaks, unseen = [], []
    for name, fn in found.items():
        params = inspect.signature(fn).parameters
        kwargs = {k: v for k, v in args.items() if k in params}
        if "site_ids" in params:
            with pytest.raises(Forbidden):
                fn(w.staff_gabriel, **kwargs, site_ids=[w.site_chats])
        mine = flat(fn(w.staff_gabriel, **kwargs))
        leaks += [f"{name}: {mark}" for mark in CHATS if mark in mine]
        if not any(mark in flat(fn(w.staff, **kwargs)) for mark in CHATS):
            unseen.append(name.rsplit(".", 1)[1])
    assert leaks == []
    # Occupancy and money have Chats data to show the desk of both sites.
    assert not {"occupancy", "money", "summary", "glance"} & set(unseen)


def test_the_family_zip_keeps_to_the_sites(world):
    """Family A comes to both sites: the Saint Gabriel desk's ZIP of A holds A's Saint
    Gabriel registration and nothing of Les Chats Perchés; family B's, it may not make."""
    import io
    import zipfile

    from services.booking.reserve import reserve
    from services.families.rights.export import export_family_data
    from tests.money import registered

    w = world
    build_target(w)  # also A's request at Saint Gabriel
    reg = registered(w, w.family_a, w.lea, w.period_peri)
    reserve(w.family_a, reg, [(w.first_day, w.units_peri[0])])
    with pytest.raises(Forbidden):
        export_family_data(w.staff_gabriel, w.family_b_id)

    def tables(actor: Any) -> str:
        archive = zipfile.ZipFile(io.BytesIO(export_family_data(actor, w.family_a_id)))
        # Mails and the journal are the family's whole history, as the desk reads them on
        # the file (outbox.list_mails, audit_log.family_history): registrations are not.
        return "\n".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist()
                         if n in ("inscriptions.csv", "reservations.csv", "prestations.csv"))

    mine, both = tables(w.staff_gabriel), tables(w.staff)
    assert "Léa" in mine and not [mark for mark in CHATS if mark in mine]
    assert any(mark in both for mark in CHATS)
