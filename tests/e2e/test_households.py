"""A child of two households, in chromium: reception links the child of one family to a
second household from the family file; then each family, in its own browser, books its own
week of the same child and sees the other's week as « l'autre foyer », not bookable."""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from db.engine import read
from db.models import CapacitySlot, Charge, Child, Family, Unit
from services import registrations
from services.demo import DEMO_PASSWORDS
from services.families import accounts
from services.staff import choices
from tests.e2e.conftest import DESKTOP, shot, sign_in, wait_idle
from tests.e2e.staff_data import (STAFF_EMAIL, actor, far, new_family, open_day, period,
                                  served)
from tests.e2e.test_family_journey import choose, submit
from ui.format import day_words, month_title

__all__ = ["served"]
MANAGER = "direction@csjacquard.example"
PASSWORD = "deux-foyers-2026"
UNIT = "APRES-MIDI"


def _family(name: str) -> int:
    with read() as session:
        found = session.scalar(select(Family.id).where(Family.name == name))
    assert found is not None
    return int(found)


def _weeks(period_id: int) -> tuple[list[date], list[date]]:
    """Two following weeks of open afternoons in one month, out of the other tests' way
    (they book the coming weeks, or the period's last one)."""
    monday, _ = open_day(period_id, UNIT, far() - timedelta(days=30))
    monday -= timedelta(days=monday.weekday() - 7)
    while (monday + timedelta(days=11)).month != monday.month:
        monday += timedelta(days=7)
    staff = actor(STAFF_EMAIL)
    chosen = next(p for p in choices.list_periods(staff) if p.id == period_id)
    with read() as session:
        days = sorted(set(session.scalars(
            select(CapacitySlot.day).join(Unit, Unit.id == CapacitySlot.unit_id).where(
                Unit.activity_id == chosen.activity_id, Unit.name == UNIT,
                CapacitySlot.age_group_id == chosen.age_group_id,
                CapacitySlot.booked < CapacitySlot.places,
                CapacitySlot.day.between(monday, monday + timedelta(days=11))))))
    week_a = [d for d in days if d < monday + timedelta(days=7)]
    week_b = [d for d in days if d >= monday + timedelta(days=7)]
    assert week_a and week_b
    return week_a, week_b


def _cell(page, day: date, words: str = ""):  # type: ignore[no-untyped-def]
    return page.get_by_role("button", name=re.compile(
        "^" + re.escape(f"{day_words(day)}, {UNIT} : {words}"))).first


def _book_week(page, base: str, email: str, child: str,  # type: ignore[no-untyped-def]
               week: list[date]) -> str:
    sign_in(page, base, email, PASSWORD)
    page.get_by_role("heading", name="Mon tableau de bord").wait_for()
    page.get_by_role("link", name="Mes réservations").click()
    page.get_by_role("heading", name="Mes réservations").wait_for()
    choose(page, 0, f"{child} · CHATS PERCHES PERISCOLAIRE")
    choose(page, 1, month_title(week[0].year, week[0].month))
    page.get_by_role("heading", name=month_title(week[0].year, week[0].month)).wait_for()
    tick(page, week)
    return submit(page)


def tick(page, days: list[date]) -> None:  # type: ignore[no-untyped-def]
    """Tick each day's cell once the previous tick is drawn (on a desktop "Auto" shows the
    month: rows are units, one button per day). A click while the app reruns can be lost on
    a busy machine: the cell still « libre » is then clicked again, once."""
    for d in days:
        for attempt in range(2):
            wait_idle(page)
            if attempt == 0 or _cell(page, d, "libre").is_visible():
                _cell(page, d, "libre").click()
            try:
                _cell(page, d, "Demande de réservation (cochée").wait_for(timeout=8_000)
                break
            except PlaywrightTimeout:
                if attempt:
                    raise


def test_two_households_each_book_their_week_of_the_same_child(served, browser, desktop):
    name_a, (nina,) = new_family([("Nina", 8)])
    name_b, _ = new_family([("Sacha", 9)])
    family_a, family_b = _family(name_a), _family(name_b)
    for fid in (family_a, family_b):
        for user in accounts.account_ids(fid):
            accounts.set_password_directly(actor(MANAGER), user, PASSWORD)

    # 1. Reception links Nina (family A) to family B from A's file.
    sign_in(desktop, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    desktop.get_by_role("link", name="Familles", exact=True).click()
    desktop.get_by_label("Rechercher une famille").fill(name_a)
    desktop.keyboard.press("Enter")
    wait_idle(desktop)
    desktop.get_by_role("button", name=re.compile(name_a)).first.click()
    desktop.get_by_role("heading", name=f"Famille {name_a}").wait_for()
    desktop.get_by_text("Rattacher un enfant à un second foyer").click()
    desktop.get_by_label("Second foyer (nom de la famille)").fill(name_b)
    desktop.keyboard.press("Enter")
    wait_idle(desktop)
    desktop.get_by_role("button", name="Rattacher", exact=True).click()
    desktop.get_by_text(f"est rattaché(e) au foyer {name_b}").wait_for()
    desktop.get_by_text(f"Nina {name_a} : {name_a} (premier foyer), {name_b}").wait_for()
    shot(desktop, "households_staff_linked")

    # Each household's registration, validated by reception.
    peri = period("CHATS PERCHES PERISCOLAIRE", "6/12 ans")
    for email in (f"{name_a.lower()}@example.org", f"{name_b.lower()}@example.org"):
        from services.auth import login

        family = login.sign_in(email, PASSWORD).actor
        registrations.decide(actor(STAFF_EMAIL), registrations.request_registration(
            family, nina, peri), True)
    week_a, week_b = _weeks(peri)

    # 2. Family A books its week, in its own browser.
    context_a, context_b = (browser.new_context(viewport=DESKTOP, locale="fr-FR")
                            for _ in range(2))
    page_a, page_b = context_a.new_page(), context_b.new_page()
    for page in (page_a, page_b):
        page.set_default_timeout(20_000)
    assert "réservation validée" in _book_week(page_a, served, f"{name_a.lower()}@example.org",
                                               "Nina", week_a)
    # 3. Family B, in another browser, books the next week and sees A's as the other's.
    assert "réservation validée" in _book_week(page_b, served, f"{name_b.lower()}@example.org",
                                               "Nina", week_b)
    for d in week_a:
        _cell(page_b, d, "Journée réservée par l'autre foyer").wait_for()
    _cell(page_b, week_a[0]).click()  # not bookable: says why
    page_b.get_by_text("Journée réservée par l'autre foyer de l'enfant.").first.wait_for()
    page_b.get_by_text("Journée réservée par l'autre foyer (non réservable)").first\
        .scroll_into_view_if_needed()
    shot(page_b, "households_family_b_grid")
    context_b.close()

    # 4. Family A refreshes: B's week shows as the other's, its own as validated.
    page_a.get_by_role("button", name="Actualiser").click()
    wait_idle(page_a)
    for d in week_b:
        _cell(page_a, d, "Journée réservée par l'autre foyer").wait_for()
    for d in week_a:
        _cell(page_a, d, "Réservation validée").wait_for()
    shot(page_a, "households_family_a_grid")
    context_a.close()
    with read() as session:
        charged = {fid: sorted(d for (d,) in session.execute(
            select(Charge.day).where(Charge.family_id == fid))) for fid in (family_a, family_b)}
        assert session.get(Child, nina).family_id == family_a
    assert charged == {family_a: week_a, family_b: week_b}
