"""Exports and PDFs out of scope. Every CSV/Excel export is a table a services/reports
function returns, offered through ui/downloads.export_buttons (the dashboards, and the
desk's pages: payments, attendance sheets, queue, waiting lists, family contacts): each such
function, found by introspection, refuses another site to a site-limited desk and, asked
for "my sites", returns nothing of the other site. Every PDF service (*_pdf) is in the id sweep
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
from services.booking import reserve
from tests.money import registered
from tests.security.scope_calls import CALLS, build_target, pending_at_chats
from tests.world import World, add_child

CHATS = ("Chats", "CHATS", "DURAND", "Zoé")
# Files drawing download buttons, and where what they download is swept.
DOWNLOADS = {"ui/downloads.py": "export_buttons: EXPORTS below and ui/dashboards.table",
             "ui/money.py": "pdf_button: *_pdf services, test_scope.py",
             # The centre's règlement intérieur: the same public file for everyone.
             "ui/centre.py": "rules PDF, no family data",
             "pages/manager_centre.py": "rules PDF, no family data",
             # A family's uploaded files, read through documents.files.get_file: test_scope.py.
             "ui/uploads.py": "documents.files.get_file, in the id sweep (test_scope.py)",
             # A message's attachment, read through messages.attachments.get_file: same sweep.
             "ui/messages.py": "messages.attachments.get_file, in the id sweep (test_scope.py)",
             # A family's data ZIP: export_family_data is in the id sweep (test_scope.py);
             # what a site-limited desk's ZIP holds: test_the_family_zip_keeps_to_the_sites.
             "ui/rights.py": "family data ZIP"}
# Files offering tables through ui/downloads.export_buttons, and the services/reports
# functions whose tables they offer (each one in the sweep below). ui/dashboards.table offers
# the dashboards' services/reports tables, and the journal (test_scope_lists.py).
EXPORTS = {"pages/staff_payments.py": {"payments.payments_received", "payments.totals_by_method"},
           "pages/staff_attendance.py": {"attendance_sheets.day_sheet",
                                         "attendance_sheets.month_sheet"},
           "pages/staff_queue.py": {"queue_sheet.validation_queue"},
           "pages/staff_waitlist.py": {"waiting_lists.waiting_lists"},
           "pages/staff_families.py": {"contacts.family_contacts"},
           "ui/dashboards.py": set()}
# Reports that must show Les Chats Perchés' data to the desk of both sites (so that the
# Saint Gabriel desk's empty answer proves something).
# (Totals per payment method name no family: their own check below.)
SEEN = {"occupancy", "money", "summary", "glance", *(name.split(".")[1] for names in
                                                    EXPORTS.values() for name in names)}
SEEN.remove("totals_by_method")
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


def test_every_table_download_is_a_swept_report():
    calling = {p.relative_to(ROOT).as_posix() for folder in ("ui", "pages")
               for p in (ROOT / folder).rglob("*.py")
               if "export_buttons(" in (text := p.read_text()) and "def export_buttons" not in text}
    assert calling == set(EXPORTS), "say which services/reports function the export offers"
    swept = set(report_services())
    for path, names in EXPORTS.items():
        for name in names:
            assert f"services.reports.{name}" in swept
            assert name.split(".")[1] in (ROOT / path).read_text()


def test_every_pdf_service_is_in_the_id_sweep():
    pdfs = set()
    for info in pkgutil.walk_packages(services.__path__, "services."):
        module = importlib.import_module(info.name)
        pdfs |= {f"{info.name.removeprefix('services.')}.{name}"
                 for name, fn in inspect.getmembers(module, inspect.isfunction)
                 if fn.__module__ == info.name and name.endswith("_pdf")
                 and not name.startswith("_")}
    assert pdfs and pdfs - CENTRE_PDFS - SITE_PDFS <= set(CALLS)


def waitlisted_at_chats(w: World) -> None:
    """Two more children of family B after school on the first day: one place left, the
    second waits."""
    for name in ("Paul", "Jeanne"):
        child = add_child(w, w.family_b_id, name, 9)
        reserve.reserve(w.family_b, registered(w, w.family_b, child, w.period_peri),
                        [(w.first_day, w.units_peri[0])])


def test_reports_give_a_site_limited_desk_nothing_of_another_site(world):
    build_target(world)  # family B booked and paid at Les Chats Perchés
    pending_at_chats(world)
    waitlisted_at_chats(world)
    w = world
    found = report_services()
    assert len(found) >= 15
    args = {"start": w.first_day - timedelta(days=7), "end": w.first_day + timedelta(days=30),
            "today": w.first_day + timedelta(days=20), "day": w.first_day,
            "month": w.first_day}
    # Payments are dated by the day they were received: today.
    received = {"start": w.today, "end": w.today}
    leaks, unseen = [], []
    for name, fn in found.items():
        params = inspect.signature(fn).parameters
        kwargs = {k: v for k, v in args.items() if k in params}
        if name.startswith("services.reports.payments."):
            kwargs.update(received)
        if "site_ids" in params:
            with pytest.raises(Forbidden):
                fn(w.staff_gabriel, **kwargs, site_ids=[w.site_chats])
        mine = flat(fn(w.staff_gabriel, **kwargs))
        leaks += [f"{name}: {mark}" for mark in CHATS if mark in mine]
        if not any(mark in flat(fn(w.staff, **kwargs)) for mark in CHATS):
            unseen.append(name.rsplit(".", 1)[1])
    assert leaks == []
    assert not SEEN & set(unseen)
    # B's cheque (1,23 €, an amount of no family of Saint Gabriel) in the totals of one desk.
    totals = found["services.reports.payments.totals_by_method"]
    assert 1.23 in list(totals(w.staff, **received)["Montant (€)"])
    assert 1.23 not in list(totals(w.staff_gabriel, **received)["Montant (€)"])


def test_an_issued_invoice_goes_to_its_family_and_its_sites_desks_only(world):
    from services.billing import documents, invoices
    from tests.pdf import pdf_text

    t = build_target(world)  # B's invoice of the month, issued by B
    pdf = invoices.issued_pdf(world.family_b, t.invoice)
    assert "Famille DURAND" in pdf_text(pdf) and "Zoé" in pdf_text(pdf)
    assert invoices.issued_pdf(world.staff, t.invoice) == pdf
    assert documents.invoice_pdf(world.staff, t.month, t.family) == pdf
    for outsider in (world.staff_gabriel, world.family_a):
        with pytest.raises(Forbidden):
            invoices.issued_pdf(outsider, t.invoice)
        with pytest.raises(Forbidden):
            documents.invoice_pdf(outsider, t.month, t.family)
        with pytest.raises(Forbidden):
            invoices.list_invoices(outsider, t.family)
    assert invoices.list_invoices(world.family_a) == []


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
