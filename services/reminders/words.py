"""How reminders read: French dates in words, the centre's name, a link to the portal."""
from __future__ import annotations

from datetime import date, datetime

from services import organisation
from services.mail import dates
from services.mail.pages import PAGES, base_url

# Pages of the portal a reminder points at (url paths of ui/nav.py, from services/mail/pages).
BOOKINGS_PAGE = PAGES["bookings"][0]
CONTACT_PAGE = PAGES["contact"][0]
ACCOUNT_PAGE = PAGES["account"][0]
DOCUMENTS_PAGE = PAGES["documents"][0]


def day_words(day: date) -> str:
    """'lundi 7 décembre' (a reminder speaks of the coming days: no year)."""
    return dates.day_words(day, year=False)


def moment_words(at: datetime) -> str:
    """'lundi 7 décembre à 7 h 00', in the centre's time zone."""
    return dates.moment_words(at, year=False)


def link(page: str) -> str:
    return f"{base_url()}/{page}"


def body(intro: str, lines: list[str], action: str, page: str) -> str:
    """A reminder mail: greeting, what is at stake, where to act, how to stop them."""
    name = organisation.get_profile().signature
    return "\n".join([
        "Bonjour,", "", intro, "", *lines, "", f"{action} : {link(page)}", "",
        f"Ce rappel vous est envoyé par le portail famille ({name}). Vous choisissez les "
        f"rappels que vous recevez dans « Mes coordonnées » : {link(CONTACT_PAGE)}", "",
        organisation.signature()])
