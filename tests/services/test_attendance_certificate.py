"""Attestation de paiement et de présence: days attended per activity, amounts charged and
paid for a child of any age over a chosen period, read back from the PDF."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import Charge, Reservation
from services.billing import attendance_certificate as certificate
from services.booking.reserve import reserve
from services.errors import Forbidden, InvalidInput
from services.families.accounts import ChildForm
from services.payments import desk
from services.staff import attendance, family_edit
from tests.money import registered
from tests.pdf import pdf_text
from tests.world import _born


def zoe_s_fortnight(w) -> tuple[date, date]:  # type: ignore[no-untyped-def]
    """Zoé (9) at the after-school club: Monday present on two units (1 € + 2 €), Tuesday
    absent without reason (1 €, billed), Thursday absent with reason (3 €, not billed), and
    the next Monday present (4 €, after the period asked). Paid: 1 € in CESU on Monday's
    first unit, 1,50 € by cheque on its second, and the 4 € of the next Monday in cash."""
    monday = w.first_day
    reg = registered(w, w.family_b, w.zoe, w.period_peri)
    u = w.units_peri
    reserve(w.family_b, reg, [(monday, u[0]), (monday, u[1]), (monday + timedelta(days=1), u[0]),
                              (monday + timedelta(days=3), u[2]),
                              (monday + timedelta(days=7), u[3])])
    with read() as session:
        cells = {(r.day, r.unit_id): r.id for r in session.scalars(
            select(Reservation).where(Reservation.registration_id == reg))}
    attendance.mark(w.staff, {cells[(monday, u[0])]: "present", cells[(monday, u[1])]: "present",
                              cells[(monday + timedelta(days=1), u[0])]: "absent",
                              cells[(monday + timedelta(days=3), u[2])]: "absent_justified",
                              cells[(monday + timedelta(days=7), u[3])]: "present"})
    with read() as session:
        charge_of = dict(session.execute(select(Charge.reservation_id, Charge.id)).all())
    pay = [("cesu", 100, (monday, u[0])), ("cheque", 150, (monday, u[1])),
           ("cash", 400, (monday + timedelta(days=7), u[3]))]
    for method, cents, cell in pay:
        desk.record_desk_payment(w.staff, w.family_b_id, method, cents,
                                 charge_ids=[charge_of[cells[cell]]])
    return monday, monday + timedelta(days=4)


def test_a_child_of_nine_gets_days_present_and_amounts_charged_and_paid(world):
    start, end = zoe_s_fortnight(world)
    statement = certificate.get_attendance_statement(world.family_b, world.zoe, start, end)
    assert [(line.activity, line.days_present, line.charged_cents, line.paid_cents)
            for line in statement.lines] == [("CHATS PERCHES PERISCOLAIRE", [start], 400, 250)]
    assert statement.cesu_cents == 100
    text = pdf_text(certificate.attendance_certificate_pdf(world.family_b, world.zoe, start, end))
    assert "Attestation de paiement et de présence" in text and "( )" not in text
    assert "Centre Social Albert Jacquard" in text and "Zoé DURAND" in text
    assert f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}" in text
    assert "CHATS PERCHES PERISCOLAIRE Les Chats Perchés 1 4,00 € 2,50 €" in text
    assert ("Total : 1 jour(s) de présence – montant facturé 4,00 € – montant réglé 2,50 € – "
            "reste dû 1,50 €") in text
    assert "Dont 1,00 € réglés en CESU préfinancés." in text
    assert f"Jours de présence – CHATS PERCHES PERISCOLAIRE : {start:%d/%m/%Y}" in text
    assert f"{start + timedelta(days=1):%d/%m/%Y}" not in text  # absent: not a day present
    assert "Fait le" in text or "Fait à" in text
    # The next Monday joins when the period does: a second day, 8 € charged, 6,50 € paid.
    wider = certificate.get_attendance_statement(world.staff, world.zoe, start,
                                                 end + timedelta(days=7))
    assert (wider.days_present, wider.charged_cents, wider.paid_cents) == (2, 800, 650)


def test_a_period_without_anything_says_so(world):
    text = pdf_text(certificate.attendance_certificate_pdf(
        world.family_a, world.tom, world.today - timedelta(days=60), world.today))
    assert "Tom DUPONT" in text and "Aucune présence ni prestation sur cette période." in text


def test_another_family_s_child_and_another_site_s_desk_are_refused(world):
    start, end = zoe_s_fortnight(world)
    for actor in (world.family_a, world.staff_gabriel):
        with pytest.raises(Forbidden):
            certificate.attendance_certificate_pdf(actor, world.zoe, start, end)
        with pytest.raises(Forbidden):
            certificate.get_attendance_statement(actor, world.zoe, start, end)
    assert "Zoé DURAND" in pdf_text(
        certificate.attendance_certificate_pdf(world.manager, world.zoe, start, end))


@pytest.mark.parametrize(("start", "end", "message"), [
    (date(2026, 3, 10), date(2026, 3, 9), "« Au » ne peut pas être avant le 10/03/2026."),
    (date(2026, 1, 1), date(2028, 1, 1), "« Au » ne peut pas être après le 31/12/2027."),
    (date(2024, 2, 29), date(2026, 3, 1), "« Au » ne peut pas être après le 28/02/2026."),
    (None, date(2026, 3, 9), "« Du » doit être une date."),
])
def test_a_bad_period_is_refused_in_french(world, start, end, message):
    with pytest.raises(InvalidInput) as refused:
        certificate.attendance_certificate_pdf(world.family_a, world.lea, start, end)
    assert refused.value.message == message


def test_two_whole_years_are_accepted(world):
    statement = certificate.get_attendance_statement(world.family_a, world.lea,
                                                     date(2025, 1, 1), date(2026, 12, 31))
    assert statement.lines == [] and statement.end == date(2026, 12, 31)


def test_names_from_any_script_are_printed(world):
    family_edit.update_child(world.staff, world.zoe, ChildForm(
        "Nguyễn Thị Ánh", "Иванов", _born(world.today, 9)))
    start, end = zoe_s_fortnight(world)
    text = pdf_text(certificate.attendance_certificate_pdf(world.family_b, world.zoe, start, end))
    assert "Nguyễn Thị Ánh" in text and "ИВАНОВ" in text
