"""Helpers for reminder tests: a period whose booking opens later, a child who comes on
Mondays, and the reminder mails sent."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from db.engine import read
from db.models import Mail, Period
from services.booking.reserve import reserve
from services.booking.rules import LOCAL, add_deadline
from services.booking.typical_week import plan_typical_week
from services.catalogue import setup
from services.reminders.deadline import period_window
from tests.money import registered

OPENING_SUBJECT = "Rappel : ouverture des réservations"
DEADLINE_SUBJECT = "Rappel : date limite de réservation proche"


def opening_later(world, children: list[tuple[object, int]],  # type: ignore[no-untyped-def]
                  days: int = 20) -> tuple[int, datetime]:
    """A new period opening to bookings in `days` days at 7:00, the children registered."""
    opens_at = datetime.combine(world.today + timedelta(days=days), time(7), tzinfo=LOCAL)
    start = world.today + timedelta(days=30)
    period = setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                                 "Vacances de printemps", start, start + timedelta(days=10),
                                 opens_at)
    for actor, child in children:
        registered(world, actor, child, period)
    return period, opens_at


def mondays_regular(world) -> tuple[int, date, datetime]:  # type: ignore[no-untyped-def]
    """Léa booked on two Mondays in a row; returns her registration, the next Monday (open,
    nothing booked) and its add deadline."""
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    unit = world.units_peri[0]
    mondays = [d for d, _ in plan_typical_week(world.family_a, reg, {(1, unit)})]
    day = next(d for d in mondays if d - timedelta(weeks=1) in mondays
               and d - timedelta(weeks=2) in mondays)
    reserve(world.family_a, reg, [(day - timedelta(weeks=n), unit) for n in (1, 2)])
    with read() as session:
        period = session.get(Period, world.period_peri)
        limit = add_deadline(period_window(period), day)
    return reg, day, limit


def mails(subject: str) -> list[Mail]:
    with read() as session:
        return list(session.scalars(select(Mail).where(Mail.subject == subject)
                                    .order_by(Mail.family_id, Mail.id)))
