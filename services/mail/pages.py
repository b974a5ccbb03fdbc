"""Where a mail sends its reader: the portal's page for what the mail is about, by its url
path (ui/nav.py; tests/services/test_mail_pages.py checks every path is a page of the app),
under PORTAIL_PUBLIC_URL."""
from __future__ import annotations

from urllib.parse import urlsplit

from db import settings

# what a mail is about -> (url path, the page's title in the menu)
PAGES = {
    "bookings": ("reservations", "Mes réservations"),
    "registration": ("nouvelle_inscription", "Nouvelle inscription"),
    "account": ("mon_compte", "Mon compte"),
    "messages": ("messages", "Messages"),
    "documents": ("mes_documents", "Mes documents"),
    "contact": ("coordonnees", "Mes coordonnées"),
    "family": ("ma_famille", "Ma famille"),
    "home": ("tableau_de_bord", "Mon tableau de bord"),
    "password": ("mot_de_passe", "Choisir mon mot de passe"),
    "staff_messages": ("messagerie", "Messages des familles"),
}


def base_url() -> str:
    return settings.PUBLIC_URL.get().rstrip("/")


def page_url(kind: str) -> str:
    """The full address of the page for `kind` (a key of PAGES)."""
    return f"{base_url()}/{PAGES[kind][0]}"


def go_line(kind: str, action: str = "") -> str:
    """The mail line that sends the reader to the page: 'Mes réservations : https://…'."""
    return f"{action or PAGES[kind][1]} : {page_url(kind)}"


def title_of(url: str) -> str:
    """The title of the portal page a url opens ('' for an address outside the portal)."""
    if not url.startswith(base_url() + "/"):
        return ""
    path = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return next((title for page, title in PAGES.values() if page == path), "")
