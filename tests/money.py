"""Helpers for money tests: a family with validated, charged reservations."""
from __future__ import annotations

from datetime import timedelta

from services import registrations
from services.booking.reserve import reserve


def registered(world, actor, child, period) -> int:  # type: ignore[no-untyped-def]
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def booked(world, days: int = 2, unit: int = 0) -> int:  # type: ignore[no-untyped-def]
    """Léa (family A) registered after school with `days` validated days of one unit."""
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    day, cells = world.first_day, []
    while len(cells) < days:
        if day.isoweekday() in (1, 2, 4, 5):
            cells.append((day, world.units_peri[unit]))
        day += timedelta(days=1)
    reserve(world.family_a, reg, cells)
    return reg


def pay_rule(world, days_before_start: int) -> None:  # type: ignore[no-untyped-def]
    """Set the after-school period's payment rule (N days before it starts)."""
    from dataclasses import replace

    from services.config import offer

    settings = offer.get_period(world.manager, world.period_peri)
    offer.update_period(world.manager, world.period_peri,
                        replace(settings, pay_days_before_start=days_before_start))


def invoicing_on(monkeypatch, day) -> None:  # type: ignore[no-untyped-def]
    """Issue invoices as if it were noon on `day`: the world's days are two weeks ahead, and
    a month is invoiced once it has begun."""
    from datetime import datetime, time, timezone

    from services.billing import invoices
    from services.booking.rules import LOCAL

    at = datetime.combine(day, time(12), tzinfo=LOCAL).astimezone(timezone.utc)
    monkeypatch.setattr(invoices, "now", lambda: at)
