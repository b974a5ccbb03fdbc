"""Invoices as accounting documents (issue #14): issued once, numbered in one unbroken
sequence per organisation, frozen; later changes go on the next invoice or a credit note."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry, InvoiceLine, Reservation
from services.billing import documents, invoices
from services.billing.invoices import month_end
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.calendar import holiday_name
from services.errors import Forbidden, InvalidInput, NotFound
from services.payments import desk
from tests.money import invoicing_on, registered
from tests.pdf import pdf_text


def _cells(world, reg: int) -> list[int]:  # type: ignore[no-untyped-def]
    with read() as session:
        return list(session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.day, Reservation.unit_id)))


def _open(day) -> bool:  # type: ignore[no-untyped-def]
    """An open day of the after-school period (Mon, Tue, Thu, Fri; no bank holiday)."""
    return day.isoweekday() in (1, 2, 4, 5) and holiday_name(day) is None


def _open_day_after(world, day):  # type: ignore[no-untyped-def]
    day += timedelta(days=1)
    while not _open(day):
        day += timedelta(days=1)
    return day


def test_an_issued_invoice_never_changes_and_a_cancelled_line_gets_a_credit_note(world,
                                                                                monkeypatch):
    invoicing_on(monkeypatch, world.first_day)
    month = world.first_day.replace(day=1)
    year = world.first_day.year
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0]),
                                  (world.first_day, world.units_peri[1])])  # 1 € + 2 €
    desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 150)
    first = documents.invoice_pdf(world.family_a, month)
    assert documents.invoice_pdf(world.family_a, month) == first  # the same bytes again
    text = pdf_text(first)
    assert f"Facture n° F{year}-000001" in text and "MATIN AVEC REPAS" in text
    assert "Total du mois : 3,00 € – déjà réglé : 1,50 € – reste à payer : 1,50 €" in text
    # The 2 € cell is cancelled in time, and a day is booked later in the same month.
    cancel(world.family_a, reg, [_cells(world, reg)[1]])
    late = _open_day_after(world, world.first_day)
    if late.month != world.first_day.month:
        pytest.skip("the period has no other open day this month")
    reserve(world.family_a, reg, [(late, world.units_peri[2])])  # 3 €
    assert documents.invoice_pdf(world.family_a, month) == first  # frozen: byte for byte
    assert documents.invoice_pdf(world.staff, month, world.family_a_id) == first
    listed = invoices.list_invoices(world.family_a)
    assert [(v.number, v.kind, v.month, v.total_cents) for v in listed] == [
        (f"A{year}-000002", "credit_note", month, -200),
        (f"F{year}-000001", "invoice", month, 300)]
    note = pdf_text(invoices.issued_pdf(world.family_a, listed[0].invoice_id))
    assert f"Avoir n° A{year}-000002 – sur la facture n° F{year}-000001" in note
    assert "MATIN AVEC REPAS" in note and "Total de l'avoir : -2,00 €" in note
    assert invoices.issued_pdf(world.family_a, listed[1].invoice_id) == first
    with pytest.raises(Forbidden):
        invoices.issued_pdf(world.family_b, listed[1].invoice_id)
    with read() as session:
        actions = list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "invoice").order_by(AuditEntry.id)))
    assert actions == ["issue_invoice", "issue_credit_note"]  # downloads write nothing


def test_a_charge_booked_after_its_month_was_invoiced_goes_on_the_next_invoice(world,
                                                                               monkeypatch):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    month = world.first_day.replace(day=1)
    invoicing_on(monkeypatch, world.first_day)
    documents.invoice_pdf(world.family_a, month)
    late = month_end(world.first_day)
    while not _open(late):
        late -= timedelta(days=1)
    after = _open_day_after(world, month_end(world.first_day))
    if late == world.first_day or after > world.first_day + timedelta(days=55):
        pytest.skip("the period has no other day in this month or the next")
    done = reserve(world.family_a, reg, [(late, world.units_peri[1]),
                                         (after, world.units_peri[2])])
    assert [c.outcome for c in done.cells] == ["validated", "validated"]
    invoicing_on(monkeypatch, after)
    text = pdf_text(documents.invoice_pdf(world.family_a, after.replace(day=1)))
    year = after.year
    assert f"Facture n° F{year}-000002" in text
    assert f"{late:%d/%m/%Y} – Léa" in text and f"{after:%d/%m/%Y} – Léa" in text
    assert "Total du mois : 5,00 €" in text
    with read() as session:  # each charge is on exactly one invoice
        lines = list(session.scalars(select(InvoiceLine.charge_id)))
    assert len(lines) == len(set(lines)) == 3


def test_no_invoice_for_a_month_not_begun_nor_for_a_month_without_charges(world, monkeypatch):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    month = world.first_day.replace(day=1)
    invoicing_on(monkeypatch, month - timedelta(days=1))
    with pytest.raises(InvalidInput, match="sera établie à partir du 1er"):
        documents.invoice_pdf(world.family_a, month)
    with pytest.raises(NotFound, match="Aucune prestation"):
        documents.invoice_pdf(world.family_a, month - timedelta(days=1))
    assert invoices.list_invoices(world.family_a) == []
    invoicing_on(monkeypatch, world.first_day)
    assert "F{}-000001".format(world.first_day.year) in pdf_text(
        documents.invoice_pdf(world.family_a, month))  # no number was spent on the refusals
    assert [v.number for v in invoices.list_invoices(world.staff, world.family_a_id)] == [
        f"F{world.first_day.year}-000001"]
    assert invoices.list_invoices(world.family_b) == []
    with pytest.raises(Forbidden):
        invoices.list_invoices(world.family_b, world.family_a_id)


def test_a_justified_absence_on_an_invoiced_day_gets_a_credit_note_from_the_desk(world,
                                                                                 monkeypatch):
    from services.staff import attendance

    invoicing_on(monkeypatch, world.first_day)
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[1])])  # 2 €
    month = world.first_day.replace(day=1)
    pdf = documents.invoice_pdf(world.family_a, month)
    (cell,) = _cells(world, reg)
    assert attendance.mark(world.staff, {cell: "absent_justified"}) == 1
    assert documents.invoice_pdf(world.family_a, month) == pdf
    note, invoice = invoices.list_invoices(world.staff, world.family_a_id)
    assert (note.kind, note.total_cents, invoice.total_cents) == ("credit_note", -200, 200)
    with read() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "issue_credit_note")).one()
    assert entry.family_id == world.family_a_id and entry.entity_id == note.invoice_id


def test_the_pdf_is_dated_at_issue_so_the_same_frozen_lines_give_the_same_bytes():
    from datetime import date, datetime, timezone

    from services.billing.invoice_render import Heading, Row, invoice_document

    heading = Heading("Centre", "1 rue de la Paix", "Lille", "Famille DUPONT")
    rows = [Row("MATIN – 14/12/2026 – Léa", 200, date(2026, 12, 21), 50)]
    at = datetime(2026, 12, 14, 11, 0, tzinfo=timezone.utc)
    pdf = invoice_document(heading, "F2026-000001", date(2026, 12, 1), rows, at)
    assert invoice_document(heading, "F2026-000001", date(2026, 12, 1), rows, at) == pdf
    assert b"/CreationDate (D:20261214" in pdf  # fpdf would stamp the time of drawing
    later = datetime(2026, 12, 15, 9, 0, tzinfo=timezone.utc)
    assert invoice_document(heading, "F2026-000001", date(2026, 12, 1), rows, later) != pdf
