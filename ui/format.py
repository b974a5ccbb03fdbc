"""French formatting of money and dates for the screen."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from services.booking.rules import LOCAL

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
WEEKDAY_LETTERS = ["L", "M", "M", "J", "V", "S", "D"]


def euros(cents: int) -> str:
    """1234 -> '12,34 €' (exact: from integer cents through Decimal)."""
    value = Decimal(cents) / 100
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} €"


def day(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def moment(dt: datetime) -> str:
    return f"{dt.astimezone(LOCAL):%d/%m/%Y %H:%M}"


def month_title(year: int, month: int) -> str:
    return f"{MONTHS_FR[month - 1].capitalize()} {year}"


WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def day_words(d: date) -> str:
    """2026-03-31 -> 'Mardi 31 mars' (what a screen reader says for a day)."""
    return f"{WEEKDAYS[d.weekday()].capitalize()} {d.day} {MONTHS_FR[d.month - 1]}"
