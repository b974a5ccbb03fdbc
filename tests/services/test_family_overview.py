"""The family dashboard: what is done and what is left, per registration."""
from __future__ import annotations

from datetime import timedelta

from services import registrations
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.families.overview import get_overview
from tests.world import add_child


def registered(world, actor, child, period) -> int:
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def lea_registration(world):
    return get_overview(world.family_a, world.today).children[0].registrations[0]


def test_a_new_registration_has_every_day_left_to_book(world):
    registered(world, world.family_a, world.lea, world.period_peri)
    summary = lea_registration(world)
    assert summary.state == "validated" and summary.booked == 0
    assert summary.days_to_book > 20 and summary.amount_due_cents == 0


def test_booked_waitlisted_and_due_amount(world):
    unit = world.units_peri[1]  # 200 cents without a QF bracket
    cell = (world.first_day, unit)
    for n in range(2):
        child = add_child(world, world.family_b_id, f"Autre{n}", 9)
        reserve(world.family_b, registered(world, world.family_b, child, world.period_peri), [cell])
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    before = lea_registration(world).days_to_book
    reserve(world.family_a, reg, [cell, (world.first_day + timedelta(days=1), unit)])
    summary = lea_registration(world)
    assert summary.booked == 1 and summary.days_to_book == before - 2
    assert [(w.day, w.unit, w.position) for w in summary.waiting] == [
        (world.first_day, "MATIN AVEC REPAS", 1)]
    assert summary.amount_due_cents == 200
    overview = get_overview(world.family_a, world.today)
    assert overview.amount_due_cents == 200


def test_a_cancelled_day_is_no_longer_due(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    out = reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    assert out.cells[0].outcome == "validated"
    from sqlalchemy import select

    from db.engine import read
    from db.models import Reservation

    with read() as session:
        rid = session.scalar(select(Reservation.id).where(Reservation.registration_id == reg))
    cancel(world.family_a, reg, [rid])
    assert lea_registration(world).amount_due_cents == 0


def test_payments_allocated_are_deducted(world):
    """A desk payment allocated by the ledger is deducted from what the family owes."""
    from sqlalchemy import select

    from db.engine import transaction
    from db.models import Charge, Payment
    from services.payments import ledger

    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[2])])  # 300 cents
    with transaction() as session:
        charge = session.scalars(select(Charge).where(Charge.registration_id == reg)).one()
        payment = Payment(family_id=world.family_a_id, reference="T1", method="cash",
                          state="paid", amount_cents=120)
        session.add(payment)
        session.flush()
        assert ledger.allocate(session, payment, [(charge.id, 120)]) == 120
    assert lea_registration(world).amount_due_cents == 180


def test_a_request_waiting_for_reception_has_nothing_to_book_yet(world):
    registrations.request_registration(world.family_a, world.lea, world.period_peri)
    summary = lea_registration(world)
    assert summary.state == "requested" and summary.days_to_book == 0


def test_requests_to_reception_are_not_counted_as_bookings(world):
    from services.staff.decisions import decide_bookings

    reg = registered(world, world.family_a, world.lea, world.period_wed)  # staff validate
    wednesday = world.first_day + timedelta(days=2)
    out = reserve(world.family_a, reg, [(wednesday, world.units_wed[0])])
    summary = lea_registration(world)
    assert (summary.booked, summary.sent_to_staff, summary.cancel_asked) == (0, 1, 0)
    rid = _reservation_id(reg)
    assert out.cells[0].outcome == "requested"
    decide_bookings(world.staff, [rid], True)
    cancel(world.family_a, reg, [rid])  # where staff validate, a cancellation is a request
    summary = lea_registration(world)
    assert (summary.booked, summary.sent_to_staff, summary.cancel_asked) == (1, 0, 1)


def test_before_booking_opens_the_dashboard_says_when(world):
    from datetime import datetime, time

    from services.booking.rules import LOCAL
    from services.catalogue import setup

    opens = datetime.combine(world.today + timedelta(days=3), time(9), tzinfo=LOCAL)
    period = setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                                 "Péri bientôt", world.first_day,
                                 world.first_day + timedelta(days=20), opens)
    registered(world, world.family_a, world.lea, period)
    summary = lea_registration(world)
    assert summary.booking_opens_at == opens and summary.days_to_book > 10
    registered(world, world.family_a, world.lea, world.period_peri)
    opened = [r for r in get_overview(world.family_a, world.today).children[0].registrations
              if r.id != summary.id]
    assert opened[0].booking_opens_at is None


def _reservation_id(reg: int) -> int:
    from sqlalchemy import select

    from db.engine import read
    from db.models import Reservation

    with read() as session:
        return session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg)).one()
