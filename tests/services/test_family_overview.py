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
