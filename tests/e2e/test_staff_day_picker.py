"""Listes d'attente: the day typed in "Jour" stays the day of the field and of the board,
even when the list of days with a waiting list (the field's default) changes meanwhile."""
from __future__ import annotations

import re
from datetime import timedelta

from services import registrations
from services.booking.reserve import reserve
from services.config.places import set_places
from services.demo import DEMO_PASSWORDS
from services.staff import choices
from tests.e2e.conftest import shot, sign_in, wait_idle
from tests.e2e.staff_data import STAFF_EMAIL, actor, far, new_family, open_day, period, served

__all__ = ["served"]


def waiting_on(day_offset: int) -> str:
    """One child waiting for the 4/5 ans evening relay, `day_offset` days after far(); the
    day, as the board writes it."""
    peri = period("CHATS PERCHES PERISCOLAIRE", "4/5 ans")
    day, unit = open_day(peri, "ACCUEIL RELAI SOIR", far() + timedelta(days=day_offset))
    manager = actor("direction@csjacquard.example")
    group = next(g.id for g in choices.list_age_groups(manager) if g.label == "4/5 ans")
    set_places(manager, [unit], [group], day, day, 1)
    staff = actor(STAFF_EMAIL)
    for n in range(2):
        _, (child,) = new_family([(f"Petit{n}", 4)], email=False)
        reg = registrations.request_registration(staff, child, peri)
        registrations.decide(staff, reg, True)
        reserve(staff, reg, [(day, unit)], by_staff=True)
    return f"{day:%d/%m/%Y}"


def field(page) -> str:  # type: ignore[no-untyped-def]
    return page.get_by_role("group", name="Jour").inner_text().replace("\n", "")


def test_the_typed_day_stays_the_day_of_field_and_board(served, desktop):
    later = waiting_on(6)
    sign_in(desktop, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    desktop.get_by_role("link", name="Listes d'attente").click()
    desktop.get_by_role("heading", name="Listes d'attente").wait_for()
    desktop.get_by_label("Lieu d'accueil").click()
    desktop.get_by_role("option", name="Les Chats Perchés").click()
    wait_idle(desktop)
    typed = open_day(period("CHATS PERCHES PERISCOLAIRE", "4/5 ans"), "ACCUEIL RELAI SOIR",
                     far() + timedelta(days=10))[0]
    # Typed, then a click elsewhere (no Enter): leaving the field commits the day.
    show_all = desktop.get_by_text("Afficher aussi les créneaux sans attente")
    desktop.get_by_role("spinbutton", name="day, Jour").click()
    desktop.keyboard.type(f"{typed:%d%m%Y}")
    show_all.click()
    wait_idle(desktop)
    desktop.get_by_text(re.compile(f"· {typed:%d/%m/%Y} ·")).first.wait_for()
    # Meanwhile a waiting list starts on an earlier day: the field's default moves.
    waiting_on(1)
    for _ in range(2):  # clicks elsewhere: the page runs again, every slot still shown
        show_all.click()
        wait_idle(desktop)
    desktop.wait_for_timeout(1000)
    boards = desktop.locator("[data-testid=stCaptionContainer]", has_text="places prises")
    days = set(re.findall(r"\d\d/\d\d/\d{4}", " ".join(boards.all_inner_texts())))
    assert field(desktop) == f"{typed:%d/%m/%Y}" and days == {f"{typed:%d/%m/%Y}"}, \
        (field(desktop), days, later)
    shot(desktop, "staff_waitlist_typed_day")
