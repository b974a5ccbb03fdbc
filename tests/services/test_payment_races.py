"""A card payment's notification racing the cancellation of a day it pays, on both engines.

The bank's notification allocates the payment to the days it was started for; the family
cancels one of those days at the same instant. Whichever commits first, the money must end
up either on a live charge or in the family's credit, never on a cancelled charge without
its credit note (tests/invariants.no_payment_lost).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from db.engine import read
from db.models import Payment, Reservation
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.payments import card, monetico
from tests.invariants import at_once, check_all, no_payment_lost
from tests.money import registered

ROUNDS = 6
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc)


def _school_days(world, count: int) -> list:  # type: ignore[no-untyped-def]
    day, out = world.first_day, []
    while len(out) < count:
        if day.isoweekday() in (1, 2, 4, 5):
            out.append(day)
        day += timedelta(days=1)
    return out


def _reservation(reg: int, day) -> int:  # type: ignore[no-untyped-def]
    with read() as session:
        return session.scalar(select(Reservation.id).where(
            Reservation.registration_id == reg, Reservation.day == day))


def test_a_notification_racing_a_cancellation_loses_no_money(world):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    unit = world.units_peri[0]
    days = _school_days(world, 2 * ROUNDS)
    outcomes = []
    for i in range(ROUNDS):
        pair = days[2 * i: 2 * i + 2]
        reserve(world.family_a, reg, [(d, unit) for d in pair])
        start = card.start_card_payment(world.family_a, {reg: None})
        fields = monetico.notification_fields(card.terminal(), start.reference,
                                              start.amount_cents, "payetest", NOW)
        target = _reservation(reg, pair[0])
        paid, cancelled = at_once([lambda: card.apply_notification(fields),
                                   lambda: cancel(world.family_a, reg, [target])])
        assert paid == "version=2\ncdr=0\n", paid
        assert not isinstance(cancelled, Exception), cancelled
        assert cancelled.cells[0].outcome == "cancelled"
        outcomes.append(start.reference)
        no_payment_lost()
    with read() as session:
        states = set(session.scalars(select(Payment.state)
                                     .where(Payment.reference.in_(outcomes))))
    assert states == {"paid"}
    check_all()
