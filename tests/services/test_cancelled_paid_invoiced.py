"""A cancelled day that was both paid and invoiced: one avoir document (the one on the
invoice), the money given back counted once (the family's credit, the accountant's totals,
the family's data export). On both engines."""
from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from db.engine import read
from db.models import Mail, Reservation
from services.billing import accounts, documents, invoices
from services.billing.credits import available_credit
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.families.rights.export import export_family_data
from services.payments import desk, receipts
from services.reports import payments
from tests.money import invoicing_on, registered
from tests.pdf import pdf_text


def _paid_invoiced_then_cancelled(world, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """Léa books 1 € + 2 € on the first day, the family pays 3 € by cheque, the month is
    invoiced, then the 2 € cell is cancelled in time; returns the avoir's number."""
    invoicing_on(monkeypatch, world.first_day)
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0]),
                                  (world.first_day, world.units_peri[1])])
    desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 300)
    documents.invoice_pdf(world.family_a, world.first_day.replace(day=1))
    with read() as session:
        cells = list(session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.unit_id)))
    assert cancel(world.family_a, reg, [cells[1]]).cells[0].outcome == "cancelled"
    notes = [v for v in invoices.list_invoices(world.family_a) if v.kind == "credit_note"]
    assert [v.total_cents for v in notes] == [-200]
    return notes[0].number


def test_the_family_sees_one_avoir_and_two_euros_of_credit(world, monkeypatch):
    number = _paid_invoiced_then_cancelled(world, monkeypatch)
    with read() as session:
        assert available_credit(session, world.family_a_id) == 200  # counted once
    (money,) = [p for p in accounts.list_payments(world.family_a) if p.method == "credit_note"]
    assert (money.amount_cents, money.avoir) == (200, number)
    # The money's document is the avoir on the invoice, byte for byte: one document.
    (note,) = [v for v in invoices.list_invoices(world.family_a) if v.number == number]
    avoir = invoices.issued_pdf(world.family_a, note.invoice_id)
    assert receipts.receipt_pdf(world.family_a, money.reference) == avoir
    assert receipts.receipt_pdf(world.staff, money.reference) == avoir
    text = pdf_text(avoir)
    assert "Total de l'avoir : -2,00 €" in text
    assert "Déjà réglé sur ces prestations : 2,00 €, rendu en avoir" in text
    with read() as session:
        (body,) = session.scalars(select(Mail.body).where(
            Mail.subject == "Avoir sur votre compte", Mail.family_id == world.family_a_id))
    assert f"avoir n° {number}" in body and money.reference not in body
    archive = zipfile.ZipFile(io.BytesIO(export_family_data(world.family_a)))
    assert [n for n in archive.namelist() if n.startswith("documents/avoir")] == [
        f"documents/avoir-{number}.pdf"]


def test_the_accountant_counts_the_money_received_once(world, monkeypatch):
    _paid_invoiced_then_cancelled(world, monkeypatch)
    rows = payments.totals_by_method(world.staff, world.today, world.today)
    lines = {mode: (n, cents) for mode, n, cents in rows.itertuples(index=False)}
    assert lines["chèque"] == (1, 3.0) and lines["avoir"] == (1, 2.0)
    assert lines["Total"] == (1, 3.0)  # the cheque: the avoir brought no money in
