"""Booking window and deadlines (services/booking/rules.py), as tables."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from services.booking.rules import (LOCAL, Window, deadline, why_cannot_add,
                                    why_cannot_cancel)


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL)


@pytest.mark.parametrize("day, days, hour, skip, expected", [
    (date(2026, 12, 8), 1, 15, True, at(2026, 12, 7, 15)),    # Tuesday -> Monday 15:00
    (date(2026, 12, 7), 1, 15, True, at(2026, 12, 4, 15)),    # Monday -> Friday (skips weekend)
    (date(2026, 12, 7), 1, 15, False, at(2026, 12, 6, 15)),   # Monday -> Sunday when not skipping
    (date(2026, 11, 12), 1, 15, True, at(2026, 11, 10, 15)),  # skips Armistice (Wed 11/11)
    (date(2026, 12, 8), 0, 9, True, at(2026, 12, 8, 9)),      # same day at 9:00
    (date(2026, 12, 8), 2, 12, True, at(2026, 12, 4, 12)),    # two working days before Tuesday
    (date(2026, 12, 8), 7, 18, False, at(2026, 12, 1, 18)),   # a week before
])
def test_deadline_table(day, days, hour, skip, expected):
    assert deadline(day, days, time(hour), skip) == expected


WINDOW = Window(at(2026, 11, 1, 7), 1, time(15), 2, time(12), True)
TUESDAY = date(2026, 12, 8)


@pytest.mark.parametrize("now, allowed, words", [
    (at(2026, 10, 31, 23, 59), False, "Les réservations ouvrent le 01/11/2026 à 07:00"),
    (at(2026, 11, 1, 7), True, ""),
    (at(2026, 12, 7, 14, 59), True, ""),
    (at(2026, 12, 7, 15), True, ""),  # the deadline minute itself still counts
    (at(2026, 12, 7, 15, 1), False, "Date limite de réservation dépassée (07/12 à 15:00)"),
    (at(2026, 12, 9), False, "Date limite de réservation dépassée"),
])
def test_adding_a_day_table(now, allowed, words):
    reason = why_cannot_add(WINDOW, TUESDAY, now)
    assert (reason is None) == allowed
    assert words in (reason or "")


@pytest.mark.parametrize("now, allowed", [
    (at(2026, 12, 4, 11, 59), True),   # Friday noon is the cancel deadline for Tuesday
    (at(2026, 12, 4, 12, 1), False),
    (at(2026, 12, 7, 10), False),
])
def test_cancelling_a_day_table(now, allowed):
    reason = why_cannot_cancel(WINDOW, TUESDAY, now)
    assert (reason is None) == allowed
    if not allowed:
        assert "Date limite d'annulation dépassée" in reason and "contactez l'accueil" in reason
