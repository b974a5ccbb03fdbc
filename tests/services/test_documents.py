"""What the PDFs say: the monthly invoice, the registration certificate, the tax certificate
and the receipts, read back as text (tests/pdf.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import Reservation
from services import registrations
from services.billing import documents
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.errors import Forbidden, InvalidInput, NotFound
from services.payments import desk, receipts
from tests.money import invoicing_on, registered
from tests.pdf import pdf_text


def _one_day_two_units(world) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    """Léa booked on the first day for units 0 (1 €) and 1 (2 €): one month, 3 €."""
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0]),
                                  (world.first_day, world.units_peri[1])])
    with read() as session:
        ids = list(session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.unit_id)))
    return reg, ids


def test_the_invoice_lists_the_family_s_charges_of_the_month_with_what_is_paid(world,
                                                                              monkeypatch):
    invoicing_on(monkeypatch, world.first_day)
    reg, (first_cell, second_cell) = _one_day_two_units(world)
    reg_zoe = registered(world, world.family_b, world.zoe, world.period_peri)
    reserve(world.family_b, reg_zoe, [(world.first_day, world.units_peri[2])])
    desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 150)
    month = world.first_day.replace(day=1)
    assert documents.invoice_months(world.family_a) == [month]
    pdf = documents.invoice_pdf(world.family_a, month)
    text = pdf_text(pdf)
    number = f"F{world.first_day.year}-000001"  # the centre's first invoice
    assert f"Facture n° {number}" in text and "Famille DUPONT" in text
    assert f"ACCUEIL RELAI MATIN – {world.first_day:%d/%m/%Y} – Léa" in text
    assert f"MATIN AVEC REPAS – {world.first_day:%d/%m/%Y} – Léa" in text
    assert "Zoé" not in text and "APRES-MIDI" not in text  # another family's charge
    assert ("Total du mois : 3,00 € – déjà réglé : 1,50 € – reste à payer : 1,50 € "
            f"(au {world.first_day:%d/%m/%Y})") in text
    # The 2 € day is cancelled in time: the invoice, issued, stays as it was (an avoir
    # corrects it, see test_invoices.py), and the month stays in the picker.
    cancel(world.family_a, reg, [second_cell])
    assert documents.invoice_pdf(world.family_a, month) == pdf
    assert documents.invoice_months(world.family_a) == [month]
    # A family asking for another family's invoice is refused.
    with pytest.raises(Forbidden):
        documents.invoice_pdf(world.family_b, month, family_id=world.family_a_id)
    other = pdf_text(documents.invoice_pdf(world.family_b, month))
    assert "DUPONT" not in other and "Zoé" in other
    assert f"F{world.first_day.year}-000003" in other  # after A's invoice and credit note
    assert first_cell


def test_the_registration_certificate_names_child_activity_place_and_dates(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    text = pdf_text(documents.registration_certificate_pdf(world.family_a, reg))
    assert "Attestation d'inscription" in text and "Léa DUPONT" in text
    assert "CHATS PERCHES PERISCOLAIRE" in text and "Péri 6/12 ans" in text
    assert "Les Chats Perchés" in text
    assert f"du {world.first_day:%d/%m/%Y}" in text
    pending = registrations.request_registration(world.family_a, world.tom,
                                                 world.period_peri_small)
    with pytest.raises(InvalidInput):
        documents.registration_certificate_pdf(world.family_a, pending)


def test_the_tax_certificate_prints_what_was_paid_in_the_year(world):
    reg_tom = registered(world, world.family_a, world.tom, world.period_peri_small)
    day = world.first_day
    reserve(world.family_a, reg_tom, [(day, world.units_peri[1]),
                                      (day + timedelta(days=1), world.units_peri[1])])
    desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 300)
    year = datetime.now(timezone.utc).year
    text = pdf_text(documents.tax_certificate_pdf(world.family_a, world.tom, year))
    assert f"Attestation de frais de garde {year}" in text and "Tom DUPONT" in text
    assert "la somme de 3,00 €" in text
    assert "hors frais de repas) : 3,00 €" in text
    assert "CESU" not in text
    before = pdf_text(documents.tax_certificate_pdf(world.family_a, world.tom, year - 1))
    assert "la somme de 0,00 €" in before
    # Paid in part with CESU titles: the certificate says how much, for the employer's part.
    desk.record_desk_payment(world.staff, world.family_a_id, "cesu", 100)
    with read() as session:
        paid = documents.paid_in_year(session, world.tom, year)
    assert (paid.total_cents, paid.cesu_cents) == (400, 100)
    text = pdf_text(documents.tax_certificate_pdf(world.family_a, world.tom, year))
    assert "la somme de 4,00 €" in text
    assert "Dont 1,00 € réglés en CESU préfinancés" in text


def test_a_desk_receipt_says_what_was_received_and_what_it_settles(world):
    _one_day_two_units(world)
    reference = desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 150,
                                         note="n° 1234")
    text = pdf_text(receipts.receipt_pdf(world.family_a, reference))
    assert f"Reçu de paiement n° {reference}" in text
    assert "Montant reçu : 1,50 € – mode de règlement : chèque" in text
    assert "Détail : chèque – n° 1234" in text
    assert f"ACCUEIL RELAI MATIN – {world.first_day:%d/%m/%Y} – Léa 1,00 €" in text
    assert f"MATIN AVEC REPAS – {world.first_day:%d/%m/%Y} – Léa 0,50 €" in text
    with pytest.raises(NotFound):
        receipts.receipt_pdf(world.family_b, reference)


def test_a_credit_note_is_an_avoir_naming_the_cancelled_paid_day(world):
    from db.models import Payment

    reg, (first_cell, second_cell) = _one_day_two_units(world)
    desk.record_desk_payment(world.staff, world.family_a_id, "cash", 300)
    cancel(world.family_a, reg, [second_cell])
    with read() as session:
        note = session.scalars(select(Payment.reference)
                               .where(Payment.method == "credit_note")).one()
    text = pdf_text(receipts.receipt_pdf(world.family_a, note))
    assert f"Avoir n° {note}" in text and "Reçu de paiement" not in text
    assert "Montant de l'avoir : 2,00 €" in text
    assert f"déjà réglée : MATIN AVEC REPAS – {world.first_day:%d/%m/%Y} – Léa" in text
    assert "Montant disponible en avoir : 2,00 €" in text  # not spent yet
    assert first_cell
