"""The family journey in chromium: a request on a full evening unit goes on the waiting list
with its position; another family cancels; the first family sees it promoted after
"Actualiser". Desktop and phone (390x844) screenshots.

The demo's CHATS PERCHES PERISCOLAIRE 6/12 evening unit has 2 places and three children
registered (Inès BENALI, Emma MARTIN, Lyn TAVERNIER). The journey uses the last week of the
period, which no other browser test touches.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from services import registrations
from services.demo import DEMO_PASSWORDS
from services.families import accounts
from tests.e2e.conftest import PHONE, go, shot, sign_in, wait_idle
from tests.e2e.staff_data import (STAFF_EMAIL, actor, family_of, far, new_family, open_day,
                                  period, served)

__all__ = ["served"]
EVENING = re.compile("ACCUEIL RELAI SOIR")
# What a phone's browser says it is: the grid opens on the week list by itself.
MOBILE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/131.0.0.0 Mobile Safari/537.36")


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    """A phone as families hold it: 390x844, touch, and a phone's user agent."""
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True,
                                  device_scale_factor=2, user_agent=MOBILE_UA)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def choose(page, index: int, option) -> str:  # type: ignore[no-untyped-def]
    """Pick an option of the index-th select box (an option name, or 'last'); its text."""
    options = page.get_by_role("option")
    picked = options.last if option == "last" else options.filter(has_text=option).first
    for attempt in range(3):  # a click while the app reruns may not open the list: again
        wait_idle(page)
        page.get_by_test_id("stSelectbox").nth(index).click()
        try:
            picked.wait_for(timeout=6_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    text = picked.inner_text().strip()
    picked.click()
    wait_idle(page)
    return text


def open_last_week(page, child: str) -> None:  # type: ignore[no-untyped-def]
    """Mes réservations, the child's after-school registration, last month, week view."""
    go(page, "Mes réservations")
    choose(page, 0, f"{child} · CHATS PERCHES PERISCOLAIRE")
    month = choose(page, 1, "last")
    # The month's heading is drawn once the grid of that month is (not the previous one's).
    page.get_by_role("heading", name=month).wait_for()
    wait_idle(page)
    if page.viewport_size["width"] >= 640:
        page.get_by_text("Semaine", exact=True).first.click()
        wait_idle(page)
    # On a phone the week list is there without asking: the month grid would not fit.
    page.get_by_text("Semaine du").wait_for()
    last = page.locator("[class*='st-key-week_'] button").last
    first_day = last.inner_text().strip()  # "22/02"
    last.click()
    # The week list is redrawn when its first day's heading shows ("Lundi 22/02/2027").
    page.get_by_text(re.compile(re.escape(first_day) + r"/\d{4}")).first.wait_for()
    wait_idle(page)


def evening_button(page, words: str = ""):  # type: ignore[no-untyped-def]
    """The first evening cell of the week shown; waits until its label contains `words`."""
    button = page.get_by_role("button", name=re.compile("ACCUEIL RELAI SOIR : " + re.escape(words)))
    button.first.wait_for()
    return page.get_by_role("button", name=EVENING).first


def submit(page) -> str:  # type: ignore[no-untyped-def]
    """Press Valider once the ticks are drawn; returns the page's text with the outcome (or
    the error shown instead, so a failure says what the family saw)."""
    wait_idle(page)
    page.get_by_role("button", name="Valider", exact=True).click()
    wait_idle(page)
    page.get_by_text("Résultat de votre demande").or_(
        page.get_by_test_id("stAlertContentError")).first.wait_for()
    return page.locator("body").inner_text()


def book_evening(desktop, base: str, email: str, child: str) -> str:  # type: ignore[no-untyped-def]
    sign_in(desktop, base, email, DEMO_PASSWORDS[email])
    desktop.get_by_role("heading", name="Mon tableau de bord").wait_for()
    open_last_week(desktop, child)
    evening_button(desktop).click()
    evening_button(desktop, "Demande de réservation (cochée")
    return submit(desktop)


def test_waitlisted_request_is_promoted_when_another_family_cancels(app_server, browser,
                                                                    desktop, phone):
    # Two families take the two evening places of the last week's first day.
    assert "réservation validée" in book_evening(desktop, app_server,
                                                "famille.benali@example.org", "Inès")
    martin = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    martin_page = martin.new_page()
    martin_page.set_default_timeout(20_000)
    assert "réservation validée" in book_evening(martin_page, app_server,
                                                "famille.martin@example.org", "Emma")
    martin.close()

    # The third family, on a phone, sees "complet" before asking, then its queue position.
    email = "famille.tavernier@example.org"
    sign_in(phone, app_server, email, DEMO_PASSWORDS[email])
    phone.get_by_role("heading", name="Mon tableau de bord").wait_for()
    open_last_week(phone, "Lyn")
    evening_button(phone, "complet").click()
    evening_button(phone, "Demande de réservation (cochée")
    body = submit(phone)
    assert "1er en liste d'attente" in body
    evening_button(phone, "1er en liste d'attente")
    phone.get_by_text("Résultat de votre demande").scroll_into_view_if_needed()
    shot(phone, "family_grid_result_phone")
    evening_button(phone).scroll_into_view_if_needed()
    shot(phone, "family_grid_waitlisted_phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # Inès's family cancels its place (within the deadline) from the same grid.
    evening_button(desktop, "Réservation validée").click()
    evening_button(desktop, "Demande d'annulation (cochée")
    assert "annulée" in submit(desktop)
    # The freed place is not offered back: it went to the head of the queue.
    evening_button(desktop, "complet").scroll_into_view_if_needed()
    desktop.mouse.move(0, 0)
    shot(desktop, "family_grid_cancelled_desktop")

    # Lyn's family presses Actualiser: the freed place went to the head of the queue.
    phone.get_by_role("button", name="Actualiser").click()
    wait_idle(phone)
    evening_button(phone, "Réservation validée").scroll_into_view_if_needed()
    shot(phone, "family_grid_promoted_phone")


def test_family_month_grid_and_dashboard_on_desktop(app_server, desktop):
    email = "famille.tavernier@example.org"
    sign_in(desktop, app_server, email, DEMO_PASSWORDS[email])
    desktop.get_by_role("heading", name="Mon tableau de bord").wait_for()
    desktop.get_by_text("réservation(s) enregistrée(s)").first.wait_for()
    shot(desktop, "family_dashboard_desktop")
    # The dashboard's button opens the grid of that registration, signed in still.
    desktop.get_by_role("button", name="Mes réservations").first.click()
    wait_idle(desktop)
    desktop.get_by_role("heading", name="Mes réservations").wait_for()
    desktop.locator(".st-key-month").wait_for()
    desktop.get_by_text("Légende").wait_for()
    shot(desktop, "family_grid_month_desktop")
    choose(desktop, 1, "last")
    desktop.locator(".st-key-month").wait_for()
    shot(desktop, "family_grid_last_month_desktop")
    go(desktop, "Nouvelle inscription")
    desktop.get_by_text("Choix de la période").wait_for()
    shot(desktop, "family_new_registration_desktop")


def test_new_registration_and_family_pages_on_a_phone(app_server, phone):
    email = "famille.martin@example.org"
    sign_in(phone, app_server, email, DEMO_PASSWORDS[email])
    phone.get_by_role("heading", name="Mon tableau de bord").wait_for()
    go(phone, "Nouvelle inscription")
    choose(phone, 0, "Hugo")
    phone.get_by_role("button", name="Enregistrer ma demande").click()
    wait_idle(phone)
    phone.get_by_text("Demande envoyée pour Hugo").wait_for()
    shot(phone, "family_new_registration_phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    go(phone, "Mon tableau de bord")
    phone.get_by_text("? En attente de validation").first.wait_for()
    go(phone, "Ma famille")
    phone.get_by_text("Responsables légaux", exact=True).wait_for()
    shot(phone, "family_members_phone")
    go(phone, "Mes coordonnées")
    phone.get_by_text("Quotient familial").first.wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_typical_week_then_a_cancellation_on_a_phone(served, phone):
    """Steps 4 and 6 at 390x844: a typical week from this month on, then one day cancelled."""
    name, (child,) = new_family([("Sacha", 8)])
    staff = actor(STAFF_EMAIL)
    reg = registrations.request_registration(staff, child,
                                             period("CHATS PERCHES PERISCOLAIRE", "6/12 ans"))
    registrations.decide(staff, reg, validate=True)
    _, afternoon = open_day(period("CHATS PERCHES PERISCOLAIRE", "6/12 ans"), "APRES-MIDI", far())
    for user in accounts.account_ids(family_of(child).family_id):
        accounts.set_password_directly(actor("direction@csjacquard.example"), user, "semaine2026")
    sign_in(phone, served, f"{name.lower()}@example.org", "semaine2026")
    phone.get_by_role("heading", name="Mon tableau de bord").wait_for()
    go(phone, "Mes réservations")
    phone.get_by_text("Semaine du").wait_for()  # the week list, by itself, on a phone
    phone.get_by_text("Réservation selon une scolarité type").click()
    # Every weekday of the afternoon unit, from the month shown to the end of the period.
    ticks = phone.locator(f"[class*='st-key-tw_{reg}_{afternoon}_']")
    ticks.first.wait_for()
    for n in range(ticks.count()):
        ticks.nth(n).scroll_into_view_if_needed()
        ticks.nth(n).locator("label").click()
    phone.get_by_text(re.compile("^À partir de")).click()
    phone.get_by_role("button", name="Appliquer ma semaine type").click()
    wait_idle(phone)
    phone.get_by_text("Résultat de votre demande").wait_for()
    body = phone.locator("body").inner_text()
    assert "validée(s)" in body, body[:2000]
    phone.get_by_text("Résultat de votre demande").scroll_into_view_if_needed()
    shot(phone, "family_typical_week_phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # One of those afternoons is cancelled from the week list, within the deadline.
    cell = phone.get_by_role("button", name=re.compile("APRES-MIDI : Réservation validée"))
    cell.first.click()
    phone.get_by_role("button", name=re.compile("APRES-MIDI : Demande d'annulation \\(cochée"))\
        .first.wait_for()
    body = submit(phone)
    assert "1 annulée(s)" in body, body[:2000]
    phone.get_by_text("Résultat de votre demande").scroll_into_view_if_needed()
    shot(phone, "family_cancelled_phone")
