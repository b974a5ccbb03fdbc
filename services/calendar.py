"""Opening days: a period's weekdays, less French public holidays and closures."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter(year: int) -> date:
    """Easter Sunday (Gregorian computus, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month = (h + m - 7 * n + 114) // 31
    day = (h + m - 7 * n + 114) % 31 + 1
    return date(year, month, day)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[date, str]:
    """French public holidays (métropole) of `year`."""
    sunday = easter(year)
    return {
        date(year, 1, 1): "Jour de l'an",
        sunday + timedelta(days=1): "Lundi de Pâques",
        date(year, 5, 1): "Fête du travail",
        date(year, 5, 8): "Victoire 1945",
        sunday + timedelta(days=39): "Ascension",
        sunday + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice",
        date(year, 12, 25): "Noël",
    }


def holiday_name(day: date) -> str | None:
    return public_holidays(day.year).get(day)


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def open_days(start: date, end: date, weekdays: str, closed: set[date] = frozenset()) -> list[date]:  # type: ignore[assignment]
    """Days from start to end on one of `weekdays` (ISO digits), not a holiday, not closed."""
    wanted = {int(c) for c in weekdays}
    return [d for d in days_between(start, end)
            if d.isoweekday() in wanted and holiday_name(d) is None and d not in closed]


def working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday (used for deadlines that skip closed days)."""
    return day.isoweekday() <= 5 and holiday_name(day) is None
