"""Signing in as each demo role in chromium, and what an anonymous visitor can reach."""
from __future__ import annotations

import pytest

from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import shot, sign_in, wait_idle
from ui.nav import ANONYMOUS, FAMILY, MANAGER_EXTRA, STAFF


def all_url_paths() -> list[str]:
    specs = list(ANONYMOUS)
    for groups in (FAMILY, STAFF, MANAGER_EXTRA):
        for section in groups.values():
            specs += section
    return sorted({url for _, _, url, _ in specs})


@pytest.mark.parametrize("url_path", all_url_paths())
def test_every_page_url_reveals_nothing_without_signing_in(app_server, desktop, url_path):
    desktop.goto(f"{app_server}/{url_path}")
    desktop.wait_for_function("() => /Se connecter|Choisir mon mot de passe/"
                              ".test(document.body.innerText)")
    wait_idle(desktop)
    body = desktop.locator("body").inner_text()
    for secret in ("TAVERNIER", "MARTIN", "BENALI", "Lyn", "Tableau de bord de l'accueil"):
        assert secret not in body
    assert "Se connecter" in body or "Choisir mon mot de passe" in body


def test_family_signs_in_and_lands_on_its_dashboard(app_server, desktop):
    email = "famille.tavernier@example.org"
    sign_in(desktop, app_server, email, DEMO_PASSWORDS[email])
    desktop.get_by_role("heading", name="Mon tableau de bord").wait_for()
    desktop.get_by_text("CHATS PERCHES PERISCOLAIRE").first.wait_for()
    body = desktop.locator("body").inner_text()
    assert "Lyn" in body and "CHATS PERCHES PERISCOLAIRE" in body
    shot(desktop, "family_home_desktop")
    desktop.get_by_role("button", name="Se déconnecter").click()
    wait_idle(desktop)
    desktop.get_by_role("button", name="Se connecter").wait_for()  # waits, never races the rerun


def test_staff_signs_in_and_lands_on_reception_dashboard(app_server, desktop):
    email = "accueil@csjacquard.example"
    sign_in(desktop, app_server, email, DEMO_PASSWORDS[email])
    desktop.get_by_role("heading", name="Tableau de bord de l'accueil").wait_for()
    desktop.get_by_text("Demandes d'inscription").wait_for()
    shot(desktop, "staff_home_desktop")


def test_wrong_password_shows_a_french_message(app_server, desktop):
    sign_in(desktop, app_server, "famille.martin@example.org", "pasLeBon2026")
    desktop.get_by_text("incorrect").wait_for()
    assert "Adresse e-mail ou mot de passe incorrect" in desktop.locator("body").inner_text()


def test_sign_in_page_fits_a_phone(app_server, phone):
    phone.goto(app_server + "/")
    wait_idle(phone)
    phone.get_by_role("button", name="Se connecter").wait_for()
    shot(phone, "sign_in_phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
