"""Tariffs, charges, desk payments, credit notes, deadlines, attendance and documents."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import Charge, CreditOrigin, Mail, Payment, Reservation
from services.billing import charges, credits, deadlines, documents
from services.billing.accounts import get_account
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.catalogue import setup
from services.errors import Forbidden, InvalidInput
from services.payments import desk
from tests.money import booked, invoicing_on, pay_rule, registered


def _reservations(reg: int) -> list[int]:
    with read() as session:
        return list(session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.id)))


@pytest.mark.parametrize("qf, price", [(0, 50), (700, 50), (701, 80), (1200, 80), (1201, 100),
                                       (None, 100)])
def test_the_price_follows_the_family_qf_bracket(world, qf, price):
    """Both ways a charge is made: a booking that validates by itself (Péri) and a booking
    staff validate (Mercredi); no bracket fits (or no QF known): the unit's own price."""
    from services.staff import decisions
    from services.staff.family_edit import FamilyDetails, update_family

    peri, wed = world.units_peri[0], world.units_wed[0]  # 1 € each without a bracket
    setup.create_bracket(world.manager, world.organisation, "bas", 0, 700, {peri: 50, wed: 50})
    setup.create_bracket(world.manager, world.organisation, "moyen", 701, 1200,
                         {peri: 80, wed: 80})
    update_family(world.staff, world.family_a_id, FamilyDetails("DUPONT", qf=qf))
    booked(world, days=1)
    reg_wed = registered(world, world.family_a, world.lea, world.period_wed)
    wednesday = world.first_day + timedelta(days=2)
    (cell,) = reserve(world.family_a, reg_wed, [(wednesday, wed)]).cells
    assert cell.outcome == "requested"
    with read() as session:
        assert session.scalar(select(func.count(Charge.id))) == 1  # not before staff decide
        request = session.scalar(select(Reservation.id).where(
            Reservation.registration_id == reg_wed))
    decisions.decide_bookings(world.staff, [request], True)
    with read() as session:
        assert sorted(session.scalars(select(Charge.amount_cents))) == [price, price]


def test_a_validated_reservation_is_due_within_payment_days(world, monkeypatch):
    monkeypatch.setenv("PAYMENT_DAYS", "5")
    pay_rule(world, 60)  # the period starts soon: the centre's rule asks nothing later
    booked(world, days=1)
    with read() as session:
        charge = session.scalars(select(Charge)).one()
    assert charge.due_on == world.today + timedelta(days=5)
    assert get_account(world.family_a, world.today).registrations[0].next_due_on == charge.due_on


@pytest.mark.parametrize(("validated", "start", "before", "due"), [
    (date(2026, 11, 20), date(2027, 7, 6), 7, date(2027, 6, 29)),   # summer booked in November
    (date(2026, 11, 20), date(2026, 11, 23), 7, date(2026, 11, 27)),  # starts soon: PAYMENT_DAYS
    (date(2026, 11, 20), date(2027, 7, 6), 0, date(2027, 7, 6)),
    (date(2026, 11, 20), None, 7, date(2026, 11, 27)),
])
def test_the_due_date_is_the_later_of_validation_and_the_centres_rule(monkeypatch, validated,
                                                                      start, before, due):
    monkeypatch.setenv("PAYMENT_DAYS", "7")
    assert charges.due_date(validated, start, before) == due


@pytest.mark.parametrize("before", [0, 3])
def test_days_booked_ahead_fall_due_by_the_periods_rule_shown_per_registration(
        world, monkeypatch, before):
    """A booking made today for days ahead falls due by the period's rule, and the family's
    account says when, registration by registration."""
    from services.config import offer

    monkeypatch.setenv("PAYMENT_DAYS", "1")
    pay_rule(world, before)
    assert offer.get_period(world.manager, world.period_peri).pay_days_before_start == before
    booked(world, days=1)
    start = world.first_day
    expected = max(world.today + timedelta(days=1), start - timedelta(days=before))
    with read() as session:
        assert session.scalars(select(Charge.due_on)).one() == expected
    (line,) = get_account(world.family_a, world.today).registrations
    assert line.next_due_on == expected
    if expected > world.today + timedelta(days=1):
        assert f"jamais avant le {expected:%d/%m/%Y} ({before} jours avant le début" \
            in line.due_rule
    with pytest.raises(InvalidInput, match="entre 0 et 365"):
        pay_rule(world, 400)


def test_desk_payment_oldest_first_and_never_more_than_due(world):
    reg = booked(world, days=3)
    with pytest.raises(InvalidInput):
        desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 301)
    with pytest.raises(Forbidden):
        desk.record_desk_payment(world.family_a, world.family_a_id, "cash", 100)
    ref = desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 150, note="n° 12")
    assert get_account(world.family_a, world.today).total_due == 150
    with read() as session:
        first, second, third = session.scalars(select(Charge).order_by(Charge.day)).all()
        assert first.day < second.day < third.day
        assert session.scalar(select(Payment.amount_cents).where(
            Payment.reference == ref)) == 150
        assert session.scalar(select(func.count(Mail.id)).where(
            Mail.subject == f"Reçu de paiement {ref}")) == 1
    frame = desk.open_charges(world.staff, world.family_a_id)
    assert list(frame["Reste dû"]) == [50, 100]  # the oldest was settled first
    assert reg


def test_staff_of_another_site_settle_nothing_here(world):
    booked(world, days=1)  # Chats Perchés
    with pytest.raises(Forbidden):  # a family of another site's desk
        desk.record_desk_payment(world.staff_gabriel, world.family_a_id, "cash", 100)


def test_cancelling_a_paid_reservation_gives_a_credit_note_the_family_can_use(world):
    reg = booked(world, days=2)
    desk.record_desk_payment(world.staff, world.family_a_id, "cash", 200)
    cancel(world.family_a, reg, _reservations(reg)[:1])
    account = get_account(world.family_a, world.today)
    assert (account.total_due, account.credit_cents) == (0, 100)
    with read() as session:
        note = session.scalars(select(Payment).where(Payment.method == "credit_note")).one()
        assert note.amount_cents == 100 and session.get(CreditOrigin, note.id) is not None
    # A new day is booked, then paid with the credit.
    day = world.first_day + timedelta(days=7)
    reserve(world.family_a, reg, [(day, world.units_peri[0])])
    assert get_account(world.family_a, world.today).total_due == 100
    assert credits.use_credit(world.family_a, [reg]) == 100
    account = get_account(world.family_a, world.today)
    assert (account.total_due, account.credit_cents) == (0, 0)
    with pytest.raises(credits.NoCredit):
        credits.use_credit(world.family_a, [reg])


@pytest.mark.parametrize("state, setting, charged", [
    ("present", "1", True), ("absent", "1", True), ("absent", "0", False),
    ("absent", "true", True), ("absent_justified", "1", False),
    ("absent_justified", "0", False), ("present", "0", True),
])
def test_attendance_keeps_or_removes_the_charge(world, monkeypatch, state, setting, charged):
    """Through the staff's pointage itself: CHARGE_UNJUSTIFIED_ABSENCE decides for an
    unjustified absence, a justified one is never charged, a presence always is."""
    from services.staff import attendance

    monkeypatch.setenv("CHARGE_UNJUSTIFIED_ABSENCE", setting)
    reg = booked(world, days=1)
    (rid,) = _reservations(reg)
    assert attendance.mark(world.staff, {rid: state}) == 1
    with read() as session:
        live = session.scalar(select(func.count(Charge.id)).where(Charge.cancelled_at.is_(None)))
    assert live == (1 if charged else 0)
    assert get_account(world.family_a, world.today).total_due == (100 if charged else 0)
    # Corrected to present: charged again, once.
    attendance.mark(world.staff, {rid: "present"})
    attendance.mark(world.staff, {rid: "present"})
    with read() as session:
        assert session.scalar(select(func.count(Charge.id))
                              .where(Charge.cancelled_at.is_(None))) == 1


def test_reminder_goes_once_with_the_policy(world, monkeypatch):
    monkeypatch.setenv("UNPAID_POLICY", "release")
    booked(world, days=2)
    due = world.today + timedelta(days=7)
    assert deadlines.send_reminders(due - timedelta(days=3)) == 0  # too early
    assert deadlines.send_reminders(due - timedelta(days=2)) == 1
    assert deadlines.send_reminders(due - timedelta(days=2)) == 0
    assert deadlines.send_reminders(due) == 0
    with read() as session:
        body = session.scalars(select(Mail.body).where(
            Mail.subject == "Rappel : réservations à régler")).one()
    assert "places rendues aux familles en liste d'attente" in body


def test_no_reminder_for_what_is_paid(world):
    booked(world, days=1)
    desk.record_desk_payment(world.staff, world.family_a_id, "cash", 100)
    assert deadlines.send_reminders(world.today + timedelta(days=6)) == 0


@pytest.mark.parametrize("policy, released", [("keep", 0), ("release", 1)])
def test_at_the_deadline_unpaid_places_go_to_the_queue_head_only_if_released(
        world, monkeypatch, policy, released):
    from tests.world import add_child

    monkeypatch.setenv("UNPAID_POLICY", policy)
    cell = (world.first_day, world.units_peri[0])
    reg_lea = registered(world, world.family_a, world.lea, world.period_peri)
    reg_zoe = registered(world, world.family_b, world.zoe, world.period_peri)
    paul = add_child(world, world.family_b_id, "Paul", 10)
    reg_paul = registered(world, world.family_b, paul, world.period_peri)
    reserve(world.family_a, reg_lea, [cell])
    reserve(world.family_b, reg_zoe, [cell])
    desk.record_desk_payment(world.staff, world.family_b_id, "cash", 100)  # Zoé's day paid
    assert reserve(world.family_b, reg_paul, [cell]).cells[0].outcome == "waitlisted"
    after_deadline = world.today + timedelta(days=8)
    assert deadlines.release_unpaid(after_deadline) == released
    with read() as session:
        states = dict(session.execute(select(Reservation.registration_id,
                                               Reservation.state)).all())
    expected = {"keep": ("validated", "validated", "waitlisted"),
                "release": ("cancelled", "validated", "validated")}[policy]
    assert (states[reg_lea], states[reg_zoe], states[reg_paul]) == expected


def test_documents_are_pdfs_scoped_to_the_family(world, monkeypatch):
    invoicing_on(monkeypatch, world.first_day)
    reg = booked(world, days=2)
    desk.record_desk_payment(world.staff, world.family_a_id, "cash", 200)
    month = documents.invoice_months(world.family_a)[0]
    pdf = documents.invoice_pdf(world.family_a, month)
    assert pdf.startswith(b"%PDF")
    assert documents.invoice_pdf(world.family_a, month) == pdf  # issued once: the same bytes
    assert documents.registration_certificate_pdf(world.family_a, reg).startswith(b"%PDF")
    with pytest.raises(Forbidden):
        documents.registration_certificate_pdf(world.family_b, reg)
    with pytest.raises(Forbidden):
        documents.tax_certificate_pdf(world.family_b, world.tom, world.today.year)


def test_tax_certificate_counts_what_was_paid_in_the_year_for_a_child_under_6(world):
    year = datetime.now(timezone.utc).year
    # Under 6 but nothing paid yet: no certificate of 0,00 € is offered.
    assert documents.tax_children(world.family_a, year) == []
    reg_tom = registered(world, world.family_a, world.tom, world.period_peri_small)
    day = world.first_day
    reserve(world.family_a, reg_tom, [(day, world.units_peri[1]), (day + timedelta(days=1),
                                                                    world.units_peri[1])])
    assert documents.tax_children(world.family_a, year) == []  # charged, not paid
    desk.record_desk_payment(world.staff, world.family_a_id, "cesu", 300)
    assert [name for _, name in documents.tax_children(world.family_a, year)] == ["Tom DUPONT"]
    with read() as session:
        assert documents.paid_in_year(session, world.tom, year).total_cents == 300
        assert documents.paid_in_year(session, world.tom, year - 1).total_cents == 0
    assert documents.tax_certificate_pdf(world.family_a, world.tom, year).startswith(b"%PDF")
    with pytest.raises(InvalidInput):
        documents.tax_certificate_pdf(world.family_a, world.lea, year)
    assert date(year, 1, 1)


def test_tax_certificate_leaves_out_the_meals_even_when_paid_in_part(world):
    from services.config import offer

    unit = world.units_peri[1]  # 2,00 € a day, of which the meal will be 1,50 €
    offer.update_unit(world.manager, unit, "MATIN AVEC REPAS", time(10), time(12), True, 200,
                      2, meal_cents=150)
    reg_tom = registered(world, world.family_a, world.tom, world.period_peri_small)
    day = world.first_day
    reserve(world.family_a, reg_tom, [(day, unit), (day + timedelta(days=1), unit)])
    desk.record_desk_payment(world.staff, world.family_a_id, "cesu", 300)
    year = datetime.now(timezone.utc).year
    with read() as session:
        paid = documents.paid_in_year(session, world.tom, year)
    # 2,00 € on the first day (1,50 € of meal), 1,00 € on the second (half: 0,75 € of meal).
    assert (paid.total_cents, paid.meal_cents, paid.declarable_cents) == (300, 225, 75)
    assert documents.tax_certificate_pdf(world.family_a, world.tom, year).startswith(b"%PDF")


def test_a_meal_part_needs_a_meal_and_fits_in_the_price(world):
    from services.config import offer

    unit = world.units_peri[1]
    with pytest.raises(InvalidInput, match="Avec repas"):
        offer.update_unit(world.manager, unit, "X", time(10), time(12), False, 200, 2,
                          meal_cents=50)
    with pytest.raises(InvalidInput, match="au plus égal au prix"):
        offer.update_unit(world.manager, unit, "X", time(10), time(12), True, 200, 2,
                          meal_cents=250)


@pytest.mark.parametrize(("today", "index"), [
    (date(2026, 11, 30), 2),  # Nov 2026 among Feb 2027, Dec 2026, Nov 2026, Oct 2026
    (date(2026, 12, 1), 1), (date(2027, 5, 3), 0), (date(2026, 9, 1), 0)])
def test_the_invoice_picker_opens_on_the_current_month_not_a_future_one(today, index):
    months = [date(2027, 2, 1), date(2026, 12, 1), date(2026, 11, 1), date(2026, 10, 1)]
    assert documents.opening_month(months, today) == index
