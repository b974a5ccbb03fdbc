"""A manager invites a reception member limited to one site; she chooses her password from
the link in the outbox, signs in on her phone and sees that site only; the manager
deactivates her and her open session ends on her next action."""
from __future__ import annotations


import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from services.demo import DEMO_PASSWORDS
from services.mail.outbox import LINK_MASK
from tests.e2e.conftest import go, serving, shot, sign_in, wait_idle
from tests.links import LINK

MANAGER = "direction@csjacquard.example"
NEW = "nina.roux@example.org"
NEW_PASSWORD = "Girouette-Ocre-19"  # the password rule refuses common ones
LANDING = "Tableau de bord de la direction"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("accounts")
    CONSOLE.append(folder / "server.log")
    with serving(folder) as (url, _):
        yield url


CONSOLE: list[Path] = []  # the served app's console, where links go without SMTP


def _link_from_outbox(page, base: str) -> str:  # type: ignore[no-untyped-def]
    """The mail is in "Mails envoyés" with its link masked; the invitee's link itself is on
    the server's console (no SMTP here), whoever runs the server hands it over."""
    go(page, "Mails envoyés")
    mail = page.get_by_test_id("stExpander").filter(
        has_text=f"{NEW} · Portail Famille : créez votre mot de passe").first
    mail.locator("summary").click()
    text = mail.get_by_test_id("stText").first
    text.wait_for(state="visible")  # the body is in the page before it opens, but hidden
    body = text.inner_text()
    assert LINK_MASK in body and "jeton=" not in body, body
    tokens = [token for to, token in LINK.findall(CONSOLE[-1].read_text()) if to == NEW]
    assert tokens, "no link on the console"
    return f"{base}/mot_de_passe?jeton={tokens[-1]}"


def _pick(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Choose an option of a multiselect. Its list is drawn again when the page redraws;
    on a loaded machine that can happen while the option is clicked: open it again then."""
    for _ in range(3):
        page.get_by_label(label).first.click()
        try:
            page.get_by_role("option", name=option).click(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    page.keyboard.press("Escape")


def test_invited_reception_signs_in_sees_one_site_and_is_cut_off(served, desktop, phone):
    sign_in(desktop, served, MANAGER, DEMO_PASSWORDS[MANAGER])
    desktop.get_by_role("heading", name=LANDING).wait_for()
    go(desktop, "Comptes du personnel")
    desktop.get_by_text("Inviter une personne").click()
    desktop.get_by_label("Nom affiché").fill("Nina Roux")
    desktop.get_by_label("Adresse e-mail").fill(NEW)
    _pick(desktop, "Lieux d'accueil (pour l'accueil)", "Saint Gabriel")
    shot(desktop, "manager_accounts_invite")
    desktop.get_by_role("button", name="Envoyer l'invitation").click()
    desktop.get_by_text(f"Invitation envoyée à {NEW}.").wait_for()
    shot(desktop, "manager_accounts_invited")
    link = _link_from_outbox(desktop, served)
    assert link.startswith(served)

    phone.goto(link)
    phone.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    phone.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Enregistrer mon mot de passe").click()
    phone.get_by_text(f"Mot de passe enregistré pour {NEW}").wait_for()
    sign_in(phone, served, NEW, NEW_PASSWORD)
    phone.get_by_role("heading", name="Tableau de bord de l'accueil").wait_for()
    go(phone, "Listes d'attente")
    phone.get_by_label("Lieu d'accueil").click()
    options = phone.get_by_role("option").all_inner_texts()
    assert options == ["Saint Gabriel"]
    phone.keyboard.press("Escape")
    shot(phone, "staff_invited_one_site_phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    go(desktop, "Comptes du personnel")
    desktop.get_by_label("Compte à modifier").click()
    desktop.get_by_role("option", name=f"Nina Roux · {NEW}").click()
    wait_idle(desktop)
    desktop.get_by_test_id("stMarkdown").filter(has_text="Nina Roux · ").wait_for()
    # Leave the select box first: its blur would start a rerun racing the button's click.
    desktop.get_by_role("heading", name="Comptes du personnel").click()
    wait_idle(desktop)
    desktop.get_by_role("button", name="Désactiver ce compte").click()
    wait_idle(desktop)
    desktop.get_by_text("Compte de Nina Roux désactivé : ses sessions sont fermées.").wait_for()
    shot(desktop, "manager_accounts_deactivated")

    # Her next action on the open session finds it ended.
    phone.get_by_text("Afficher aussi les créneaux sans attente").click()
    phone.get_by_text("Veuillez vous connecter").or_(
        phone.get_by_role("button", name="Se connecter")).first.wait_for()
    shot(phone, "staff_deactivated_phone")
    sign_in(phone, served, NEW, NEW_PASSWORD)
    phone.get_by_text("Adresse e-mail ou mot de passe incorrect.").wait_for()


def test_accounts_page_on_a_phone(served, phone):
    sign_in(phone, served, MANAGER, DEMO_PASSWORDS[MANAGER])
    phone.get_by_role("heading", name=LANDING).wait_for()
    go(phone, "Comptes du personnel")
    phone.get_by_text("Compte à modifier").wait_for()
    shot(phone, "manager_accounts_phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("title, expect", [
    ("Lieux d'accueil", "Lieu à modifier"), ("Activités", "Types d'activité"),
    ("Tranches d'âge", "Âge minimum (ans)"), ("Tranches de QF", "Nouvelles tranches"),
])
def test_configuration_pages_on_desktop_and_phone(served, desktop, phone, title, expect):
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        sign_in(page, served, MANAGER, DEMO_PASSWORDS[MANAGER])
        page.get_by_role("heading", name=LANDING).wait_for()
        go(page, title)
        page.get_by_text(expect).first.wait_for()
        page.wait_for_timeout(1500)  # tables are drawn after the script ends
        shot(page, f"manager_{title.replace(' ', '_').replace(chr(39), '')}_{size}")
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size[
            "width"]


def test_the_family_grid_shows_unit_times(served, desktop):
    family = "famille.tavernier@example.org"
    sign_in(desktop, served, family, DEMO_PASSWORDS[family])
    desktop.get_by_role("heading", name="Mon tableau de bord").wait_for()
    go(desktop, "Mes réservations")
    desktop.get_by_text("07:30–09:00").first.wait_for()
    shot(desktop, "family_grid_unit_times")
