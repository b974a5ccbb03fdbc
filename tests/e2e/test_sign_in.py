"""Signing in as each demo role in chromium, and what an anonymous visitor can reach."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import shot, sign_in, serving, wait_idle
from ui.nav import ANONYMOUS, FAMILY, MANAGER_EXTRA, MANAGER_HOME, MENUS, PRIVACY, STAFF


def all_url_paths() -> list[str]:
    specs = list(ANONYMOUS)
    for groups in MENUS:
        for section in groups.values():
            specs += section
    return sorted({url for _, _, url, _ in specs})


def private_titles() -> list[str]:
    """Titles of the signed-in menus, less the public pages some menus also offer (the
    privacy page is in every menu and in the sign-in page's footer)."""
    public = {title for _, title, _, _ in ANONYMOUS}
    return sorted({title for groups in MENUS
                   for section in groups.values() for _, title, _, _ in section} - public)


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server of its own, freshly started: nobody ever signs in on it."""
    with serving(tmp_path_factory.mktemp("fresh")) as served:
        yield served


def _sessions_ever_opened(db: Path) -> int:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM session_token")).scalar_one()
    engine.dispose()
    return count


@pytest.mark.parametrize("url_path", all_url_paths())
def test_every_page_url_reveals_nothing_without_signing_in(fresh_server, desktop, url_path):
    url, db = fresh_server
    desktop.goto(f"{url}/{url_path}")
    # The privacy page is public: it shows itself; every other address, the sign-in.
    public = url_path == PRIVACY[2]
    desktop.wait_for_function("() => /" + ("Ce que nous conservons" if public else
                                           "Se connecter|Choisir mon mot de passe")
                              + "/.test(document.body.innerText)")
    wait_idle(desktop)
    body = desktop.locator("body").inner_text()
    # (The privacy page names the centre's hours, « Accueil du public » : its text is checked
    # for the families' data, not for menu titles.)
    titles = [] if public else private_titles()
    for secret in ["TAVERNIER", "MARTIN", "BENALI", "Lyn", "Inès", "€", *titles]:
        assert secret not in body, secret
    assert public or "Se connecter" in body or "Choisir mon mot de passe" in body
    assert _sessions_ever_opened(db) == 0  # the server is still fresh


def menu_titles(*groups: dict) -> set[str]:  # type: ignore[type-arg]
    return {title for group in groups for section in group.values() for _, title, _, _ in section}


def _menu(page) -> set[str]:  # type: ignore[no-untyped-def]
    nav = page.get_by_test_id("stSidebarNav")
    nav.wait_for()
    # A link reads "<icon ligature>\n\n<title>": the title is its last line.
    return {link.inner_text().strip().splitlines()[-1] for link in nav.get_by_role("link").all()}


def test_family_signs_in_and_lands_on_its_dashboard(app_server, desktop):
    email = "famille.tavernier@example.org"
    sign_in(desktop, app_server, email, DEMO_PASSWORDS[email])
    desktop.get_by_role("heading", name="Mon tableau de bord").wait_for()
    desktop.get_by_text("CHATS PERCHES PERISCOLAIRE").first.wait_for()
    body = desktop.locator("body").inner_text()
    assert "Lyn" in body and "CHATS PERCHES PERISCOLAIRE" in body
    assert _menu(desktop) == menu_titles(FAMILY)
    shot(desktop, "family_home_desktop")
    desktop.get_by_role("button", name="Se déconnecter").click()
    desktop.get_by_role("button", name="Se connecter").wait_for()


@pytest.mark.parametrize("email, home, groups, shot_name", [
    ("accueil@csjacquard.example", "Tableau de bord de l'accueil", (STAFF,), "staff_home_desktop"),
    ("direction@csjacquard.example", "Tableau de bord de la direction",
     (MANAGER_HOME, STAFF, MANAGER_EXTRA), "manager_home_desktop"),
])
def test_staff_sign_in_and_land_on_reception_dashboard_with_their_menu(app_server, desktop, email,
                                                                       home, groups, shot_name):
    sign_in(desktop, app_server, email, DEMO_PASSWORDS[email])
    desktop.get_by_role("heading", name=home).wait_for()
    desktop.get_by_text("Demandes d'inscription").wait_for()
    assert _menu(desktop) == menu_titles(*groups)
    shot(desktop, shot_name)


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


def test_reload_keeps_the_session_and_a_copied_cookie_dies_at_sign_out(app_server, browser,
                                                                        desktop):
    email = "famille.benali@example.org"
    sign_in(desktop, app_server, email, DEMO_PASSWORDS[email])
    desktop.get_by_role("heading", name="Mon tableau de bord").wait_for()
    (cookie,) = [c for c in desktop.context.cookies() if c["name"] == "pf_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert cookie["value"] not in desktop.url
    assert desktop.evaluate("document.cookie").find("pf_session") == -1  # not readable by JS
    desktop.reload()
    desktop.get_by_role("heading", name="Mon tableau de bord").wait_for()

    thief = browser.new_context()
    thief.add_cookies([cookie])
    stolen = thief.new_page()
    stolen.goto(app_server + "/")
    stolen.get_by_role("heading", name="Mon tableau de bord").wait_for()

    desktop.get_by_role("button", name="Se déconnecter").click()
    desktop.get_by_role("button", name="Se connecter").wait_for()
    stolen.reload()
    stolen.get_by_role("button", name="Se connecter").wait_for()
    assert "BENALI" not in stolen.locator("body").inner_text()
    thief.close()
