"""Booking window and deadlines, as pure functions of a period's settings and a clock.

Deadlines are local to the centre (Europe/Paris): "the day before at 15:00" means 15:00
in metropolitan France, whatever the server's zone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from services.calendar import working_day
from services.clock import LOCAL  # one zone for the whole portal

CLOSED_DAY = "jour fermé ou hors de la période"  # why a cell without a capacity slot is refused
# Why a cell the child holds under its other household's registration is refused.
OTHER_HOUSEHOLD = "journée réservée par l'autre foyer de l'enfant"


@dataclass(frozen=True)
class Window:
    """What a period says about when cells can change."""

    opens_at: datetime
    add_days: int
    add_time: time
    cancel_days: int
    cancel_time: time
    skip_closed_days: bool


def _back(day: date, days: int, skip_closed: bool) -> date:
    """The date `days` days before `day`, counting only working days if asked."""
    current = day
    remaining = days
    while remaining > 0:
        current -= timedelta(days=1)
        if not skip_closed or working_day(current):
            remaining -= 1
    return current


def deadline(day: date, days: int, at: time, skip_closed: bool) -> datetime:
    """The last moment (aware, UTC-comparable) to act on `day`."""
    return datetime.combine(_back(day, days, skip_closed), at, tzinfo=LOCAL)


def add_deadline(window: Window, day: date) -> datetime:
    return deadline(day, window.add_days, window.add_time, window.skip_closed_days)


def cancel_deadline(window: Window, day: date) -> datetime:
    return deadline(day, window.cancel_days, window.cancel_time, window.skip_closed_days)


def why_cannot_add(window: Window, day: date, now: datetime) -> str | None:
    """None if a family may still request `day`, else the French reason."""
    if now < window.opens_at:
        return not_open_reason(window)
    limit = add_deadline(window, day)
    if now > limit:
        return too_late_reason(limit)
    return None


def not_open_reason(window: Window) -> str:
    """Why nothing can be requested before the booking window opens."""
    return f"Les réservations ouvrent le {window.opens_at.astimezone(LOCAL):%d/%m/%Y à %H:%M}."


def too_late_reason(limit: datetime) -> str:
    """Why a day whose add deadline (`limit`) has passed cannot be requested."""
    return f"Date limite de réservation dépassée ({limit:%d/%m à %H:%M})."


def why_cannot_cancel(window: Window, day: date, now: datetime) -> str | None:
    """None if a family may still cancel `day`, else the French reason."""
    limit = cancel_deadline(window, day)
    return too_late_to_cancel_reason(limit) if now > limit else None


def too_late_to_cancel_reason(limit: datetime) -> str:
    """Why a day whose cancel deadline (`limit`) has passed cannot be cancelled."""
    return f"Date limite d'annulation dépassée ({limit:%d/%m à %H:%M}) : contactez l'accueil."
