"""Dates as families read them in a mail: « lundi 7 décembre 2026 », never 2026-12-07 nor a
UTC clock time. Every mail body writes its dates through here."""
from __future__ import annotations

from datetime import date, datetime

from services.booking.rules import LOCAL

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]


def day_words(day: date, year: bool = True) -> str:
    """'lundi 7 décembre 2026' ('1er' for the first of a month, as French writes it)."""
    number = "1er" if day.day == 1 else str(day.day)
    words = f"{WEEKDAYS[day.weekday()]} {number} {MONTHS[day.month - 1]}"
    return f"{words} {day.year}" if year else words


def moment_words(at: datetime, year: bool = True) -> str:
    """'lundi 7 décembre 2026 à 7 h 00', in the centre's time zone."""
    local = at.astimezone(LOCAL)
    return f"{day_words(local.date(), year)} à {local.hour} h {local:%M}"
