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
             "pages/manager_centre.py": "rules PDF, no family data"}
# PDF services that carry no family's data (the centre's own documents), and the PDF checks.
CENTRE_PDFS = {"content.get_rules_pdf", "organisation.rules_pdf", "organisation.check_pdf"}
# PDFs of a site's day (no family id in their arguments): swept below, site by site.
SITE_PDFS = {"staff.health_day.day_list_pdf"}


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
    assert pdfs and pdfs - CENTRE_PDFS - SITE_PDFS <= set(CALLS)


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


def test_the_day_list_pdf_stays_on_its_site(world):
    """The Pointage's printable list: another site's desk and families are refused; the
    Saint Gabriel desk's own list names nothing of Les Chats Perchés."""
    from services.staff.health_day import day_list_pdf
    from tests.pdf import pdf_text

    build_target(world)  # Zoé DURAND expected at Les Chats Perchés on first_day
    w = world
    for actor in (w.staff_gabriel, w.family_a, w.family_b):
        with pytest.raises(Forbidden):
            day_list_pdf(actor, w.site_chats, w.first_day)
    assert "Zoé DURAND" in pdf_text(day_list_pdf(w.staff, w.site_chats, w.first_day))
    own = pdf_text(day_list_pdf(w.staff_gabriel, w.site_gabriel, w.first_day))
    assert not [word for word in CHATS + ("Papi",) if word in own]
