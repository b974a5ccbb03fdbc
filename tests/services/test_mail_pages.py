"""Each page a mail links to is a page of the app, under the address the menu gives it and
with the title the menu shows (ui/nav.py)."""
from __future__ import annotations

import pytest

from services.mail import html
from services.mail.pages import PAGES, go_line, page_url, title_of
from ui import nav


def _menu() -> dict[str, str]:
    """url path -> title, for every page of every menu."""
    specs = [*nav.ANONYMOUS, nav.HELP]
    for menu in nav.MENUS:
        for group in menu.values():
            specs += group
    return {url: title for _, title, url, _ in specs}


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_each_mail_link_opens_a_page_of_the_app_by_its_menu_title(kind, monkeypatch):
    monkeypatch.setenv("PORTAIL_PUBLIC_URL", "https://portail.example.fr/famille/")
    path, title = PAGES[kind]
    assert _menu().get(path) == title
    assert page_url(kind) == f"https://portail.example.fr/famille/{path}"
    assert go_line(kind) == f"{title} : https://portail.example.fr/famille/{path}"
    assert title_of(page_url(kind)) == title


def test_only_the_portal_s_own_pages_become_the_button(monkeypatch):
    monkeypatch.setenv("PORTAIL_PUBLIC_URL", "https://portail.example.fr")
    assert title_of("https://portail.example.fr/mot_de_passe?jeton=abc") == \
        "Choisir mon mot de passe"
    assert title_of("https://ailleurs.example/reservations") == ""
    assert title_of("https://portail.example.fr.evil.example/reservations") == ""
    body = "Voir https://ailleurs.example/x puis https://portail.example.fr/mon_compte."
    assert html.main_link(body) == "https://portail.example.fr/mon_compte"
