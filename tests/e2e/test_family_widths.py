"""The grid at the widths families use (1,024 with the sidebar open, 768, 390), whatever the
browser says it is; a booking with the keyboard only; axe-core on every family page and the
desk's pages. Each test has its own new family (no clash with the other browser tests)."""
from __future__ import annotations

import re

import pytest

from services import registrations
from services.demo import DEMO_PASSWORDS
from services.families import accounts
from tests.e2e.axe import violations
from tests.e2e.conftest import shot, sign_in, wait_idle
from tests.e2e.staff_data import STAFF_EMAIL, actor, family_of, new_family, period, served
from tests.e2e.test_family_journey import MOBILE_UA, choose

__all__ = ["served"]
PASSWORD = "largeur2026"
UNIT = "MATIN AVEC REPAS"
DESKTOP_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36")
FAMILY_PAGES = ["tableau_de_bord", "nouvelle_inscription", "reservations", "ma_famille",
                "coordonnees", "mon_compte"]
DESK_PAGES = ["familles", "validation", "pointage", "listes_attente", "encaissements"]


def registered_family() -> str:
    """A new family with a child registered (and validated) in the after-school period; its
    sign-in e-mail."""
    name, (child,) = new_family([("Camille", 8)])
    staff = actor(STAFF_EMAIL)
    reg = registrations.request_registration(staff, child,
                                             period("CHATS PERCHES PERISCOLAIRE", "6/12 ans"))
    registrations.decide(staff, reg, validate=True)
    for user in accounts.account_ids(family_of(child).family_id):
        accounts.set_password_directly(actor("direction@csjacquard.example"), user, PASSWORD)
    return f"{name.lower()}@example.org"


def page_at(browser, width: int, agent: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR",
                                  user_agent=agent)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def open_grid(page, base: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, base, registered_family(), PASSWORD)
    page.get_by_role("heading", name="Mon tableau de bord").wait_for()
    page.goto(base + "/reservations")
    page.get_by_role("heading", name="Mes réservations").wait_for()
    wait_idle(page)


def drawn(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page's run has drawn everything: under load, a grid read too early
    is half drawn (its last days missing) or still the previous run's."""
    wait_idle(page)
    page.get_by_text("Légende", exact=True).wait_for()
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")


def send(page) -> str:  # type: ignore[no-untyped-def]
    """Press Valider; the page's text once the outcome (or an error) shows. The machine
    running the tests may be loaded: the outcome is given a minute."""
    drawn(page)
    page.get_by_role("button", name="Valider", exact=True).click()
    page.get_by_text("Résultat de votre demande").or_(
        page.get_by_test_id("stAlertContentError")).first.wait_for(timeout=60_000)
    return page.locator("body").inner_text()


def free_cells(page):  # type: ignore[no-untyped-def]
    drawn(page)
    return page.get_by_role("button", name=re.compile(f", {UNIT} : libre"))


@pytest.mark.parametrize("view", ["Mois", "Semaine"])
@pytest.mark.parametrize("width", [1024, 768, 390])
def test_the_last_day_of_a_month_is_booked_at_every_width(served, browser, width, view):
    # A phone's user agent on the widest screen, a desktop's on the narrowest: the width
    # alone decides what is drawn.
    page = page_at(browser, width, MOBILE_UA if width > 800 else DESKTOP_UA)
    open_grid(page, served)
    month = choose(page, 1, "last")
    page.get_by_role("heading", name=month).wait_for()
    page.get_by_test_id("stButtonGroup").get_by_text(view, exact=True).click()
    wait_idle(page)
    if view == "Semaine":
        page.locator("[class*='st-key-week_'] button").last.click()
        wait_idle(page)
    cell = free_cells(page).last
    name = cell.get_attribute("aria-label") or cell.inner_text()
    day = int(re.match(r"\w+ (\d+) ", name).group(1))  # type: ignore[union-attr]
    assert day >= 22, name  # the grid used to stop at day 18 (1,024 px) or 26 (768 px)
    cell.click()  # Playwright refuses a cell that is hidden, cut off or covered
    target = name.split(" : ")[0]
    page.get_by_role("button", name=f"{target} : Demande de réservation (cochée, pas encore "
                     "envoyée)").wait_for()
    body = send(page)
    assert "1 validée(s)" in body, body[:1500]
    page.get_by_role("button", name=f"{target} : Réservation validée").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no page-wide scroll
    shot(page, f"family_grid_{view.lower()}_{width}")
    page.context.close()


@pytest.mark.parametrize(("width", "agent", "shown", "hidden"), [
    (390, DESKTOP_UA, "weeklist", "month"), (1024, MOBILE_UA, "month", "weeklist")])
def test_auto_view_follows_the_width_not_the_user_agent(served, browser, width, agent, shown,
                                                       hidden):
    page = page_at(browser, width, agent)
    open_grid(page, served)
    page.locator(f".st-key-grid-auto .st-key-{shown}").wait_for(state="visible")
    assert not page.locator(f".st-key-grid-auto .st-key-{hidden}").is_visible()
    shot(page, f"family_grid_auto_{width}")
    page.context.close()


def focus_by_tab(page, wanted: str, presses: int = 400) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element's text is `wanted` (after its icon's name)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        text = page.evaluate("() => (document.activeElement.innerText || '').trim()")
        if text.split("\n")[-1].strip() == wanted:
            return
    raise AssertionError(f"« {wanted} » never got the focus")


def test_a_day_is_booked_with_the_keyboard_only(served, browser):
    page = page_at(browser, 1366, DESKTOP_UA)
    open_grid(page, served)
    page.get_by_test_id("stButtonGroup").get_by_text("Mois", exact=True).click()
    wait_idle(page)
    name = free_cells(page).first.inner_text().strip()
    target = name.split(" : ")[0]
    page.locator("body").focus()
    focus_by_tab(page, name)
    page.keyboard.press("Space")
    ticked = f"{target} : Demande de réservation (cochée, pas encore envoyée)"
    page.get_by_role("button", name=ticked).wait_for()
    wait_idle(page)
    focus_by_tab(page, "Valider")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_text("Résultat de votre demande").wait_for()
    page.get_by_role("button", name=f"{target} : Réservation validée").wait_for()
    page.context.close()


def axe_pages(page, base: str,  # type: ignore[no-untyped-def]
              paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        page.goto(f"{base}/{path}")
        wait_idle(page)
        page.locator("h1").first.wait_for()
        page.wait_for_timeout(1000)  # menus and styles settle after the script's run
        found[path] = violations(page)
    return found


def test_no_serious_accessibility_violation_on_family_and_desk_pages(served, browser):
    page = page_at(browser, 1366, DESKTOP_UA)
    found = axe_pages(page, served, ["connexion"])
    open_grid(page, served)
    found |= axe_pages(page, served, FAMILY_PAGES)
    page.context.close()
    desk = page_at(browser, 1366, DESKTOP_UA)
    sign_in(desk, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    desk.get_by_role("heading", name="Tableau de bord de l'accueil").wait_for()
    found |= axe_pages(desk, served, DESK_PAGES)
    desk.context.close()
    assert len(found) == 1 + len(FAMILY_PAGES) + len(DESK_PAGES)
    assert not {path: lines for path, lines in found.items() if lines}


def test_a_signed_out_address_shows_the_sign_in_then_that_page(served, browser):
    """A bookmark (or a link in a mail, or a page whose session expired): the sign-in in
    French, no "Page not found", and after signing in the page asked for."""
    email = registered_family()
    page = page_at(browser, 1366, DESKTOP_UA)
    page.goto(served + "/mon_compte")
    wait_idle(page)
    page.get_by_role("button", name="Se connecter").wait_for()
    page.wait_for_timeout(1000)
    assert "not found" not in page.locator("body").inner_text().lower()
    assert page.get_by_role("dialog").count() == 0
    page.get_by_label("Adresse e-mail").first.fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name=re.compile("^Mon compte")).wait_for()
    assert page.url.endswith("/mon_compte")
    page.context.close()
