"""How reminders read: French dates in words, the centre's name, a link to the portal."""
from __future__ import annotations

from datetime import date, datetime

from db import settings
from services import organisation
from services.booking.rules import LOCAL

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]
# Pages of the portal a reminder points at (url paths of ui/nav.py).
BOOKINGS_PAGE = "reservations"
CONTACT_PAGE = "coordonnees"
ACCOUNT_PAGE = "mon_compte"
DOCUMENTS_PAGE = "mes_documents"


def day_words(day: date) -> str:
    """'lundi 7 décembre' ('1er' for the first of a month, as French writes it)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{WEEKDAYS[day.weekday()]} {number} {MONTHS[day.month - 1]}"


def moment_words(at: datetime) -> str:
    """'lundi 7 décembre à 7 h 00', in the centre's time zone."""
    local = at.astimezone(LOCAL)
    return f"{day_words(local.date())} à {local.hour} h {local:%M}"


def link(page: str) -> str:
    return f"{settings.PUBLIC_URL.get().rstrip('/')}/{page}"


def body(intro: str, lines: list[str], action: str, page: str) -> str:
    """A reminder mail: greeting, what is at stake, where to act, how to stop them."""
    name = organisation.get_profile().signature
    return "\n".join([
        "Bonjour,", "", intro, "", *lines, "", f"{action} : {link(page)}", "",
        f"Ce rappel vous est envoyé par le portail famille ({name}). Vous choisissez les "
        f"rappels que vous recevez dans « Mes coordonnées » : {link(CONTACT_PAGE)}", "",
        organisation.signature()])
