"""Siblings booked together in chromium (issue #13): a family with two children in the same
after-school activity ticks one evening with one place left, picks both children and
« Ensemble ou pas du tout »: both go on the waiting list as one group. Another family
cancels, two places are free: both are promoted together (one mail), seen after
"Actualiser". Between the two, the reception desk sees them on the waiting board as one
group, and the order picker says such a group moves as one. Desktop screenshots.
"""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from db.engine import read
from db.models import CapacitySlot, Mail, Period, Reservation
from services import registrations
from services.booking.cancel import cancel
from services.booking.notify import PROMOTED_SUBJECT
from services.booking.reserve import reserve
from services.demo import DEMO_PASSWORDS
from services.families import accounts
from tests.e2e.conftest import DESKTOP, go, shot, sign_in, wait_idle
from tests.e2e.staff_data import (STAFF_EMAIL, actor, family_of, far, new_family, open_day,
                                  period, served)
from tests.e2e.test_family_journey import choose
from tests.e2e.test_staff_attendance import set_date
from ui.format import month_title

__all__ = ["served"]
MANAGER_EMAIL = "direction@csjacquard.example"
PASSWORD = "Tulipe-Verte-8421"


def _registered(child: int, period_id: int) -> int:
    reg = registrations.request_registration(family_of(child), child, period_id)
    registrations.decide(actor(STAFF_EMAIL), reg, True)
    return reg


def _leave_one_place(period_id: int, day, unit: int) -> list[tuple[int, int]]:
    """Children of another family book the cell until one place is left; (reg, reservation)."""
    with read() as session:
        group = session.scalar(select(Period.age_group_id).where(Period.id == period_id))
        slot = session.scalars(select(CapacitySlot).where(
            CapacitySlot.unit_id == unit, CapacitySlot.day == day,
            CapacitySlot.age_group_id == group)).one()
        free = slot.places - slot.booked
    assert free >= 2
    _, kids = new_family([(f"Autre{i}", 9) for i in range(free - 1)])
    booked = []
    for kid in kids:
        reg = _registered(kid, period_id)
        assert reserve(family_of(kid), reg, [(day, unit)]).cells[0].outcome == "validated"
        with read() as session:
            booked.append((reg, session.scalar(select(Reservation.id).where(
                Reservation.registration_id == reg))))
    return booked


def _cell(page, state: str, cell: str):  # type: ignore[no-untyped-def]
    """The cell's button in the view shown (the month grid and the week list are both drawn,
    one hidden by the width)."""
    return page.locator(f".st-key-cell-{state}-{cell} button >> visible=true")


def _states(regs: list[int]) -> list[str]:
    with read() as session:
        return [session.scalar(select(Reservation.state).where(
            Reservation.registration_id == r)) for r in regs]


def test_two_siblings_wait_together_and_are_promoted_together(served, desktop, browser):
    name, (nina, oscar) = new_family([("Nina", 9), ("Oscar", 8)])  # eldest first
    peri = period("CHATS PERCHES PERISCOLAIRE", "6/12 ans")
    regs = [_registered(nina, peri), _registered(oscar, peri)]
    day, unit = open_day(peri, "ACCUEIL RELAI SOIR", far() + timedelta(days=3))
    others = _leave_one_place(peri, day, unit)
    family = family_of(nina).family_id
    accounts.set_password_directly(actor(MANAGER_EMAIL), accounts.account_ids(family)[0],
                                   PASSWORD)

    sign_in(desktop, served, f"{name.lower()}@example.org", PASSWORD)
    desktop.get_by_role("heading", name="Mon tableau de bord").wait_for()
    desktop.get_by_role("link", name="Mes réservations").first.click()
    desktop.get_by_role("heading", name="Mes réservations").wait_for()
    wait_idle(desktop)
    choose(desktop, 0, "Nina · CHATS PERCHES PERISCOLAIRE")
    choose(desktop, 1, month_title(day.year, day.month))
    desktop.get_by_role("heading", name=month_title(day.year, day.month)).wait_for()
    wait_idle(desktop)
    cell = f"{regs[0]}-{day:%Y%m%d}-{unit}"
    _cell(desktop, "free", cell).click()
    _cell(desktop, "draft_add", cell).wait_for()
    wait_idle(desktop)

    # Both children, together: the checkbox shows once two are chosen, ticked by default.
    desktop.get_by_test_id("stMultiSelect").click()
    desktop.get_by_role("option", name="Oscar").click()
    wait_idle(desktop)
    desktop.keyboard.press("Escape")
    together = desktop.get_by_role("checkbox", name="Ensemble ou pas du tout")
    together.wait_for()
    assert together.is_checked()
    shot(desktop, "siblings_together_chosen")
    desktop.get_by_role("button", name="Valider", exact=True).click()
    wait_idle(desktop)
    desktop.get_by_text("Résultat de votre demande pour Oscar").wait_for()
    body = desktop.locator("body").inner_text()
    assert body.count("en liste d'attente (groupe)") == 2, body[-2000:]
    assert _states(regs) == ["waitlisted", "waitlisted"]
    desktop.get_by_text("Résultat de votre demande pour Nina").scroll_into_view_if_needed()
    shot(desktop, "siblings_together_waitlisted")
    _desk_sees_one_group(browser, served, day)

    # The other family cancels: two places free, the group is seated whole.
    reg, reservation = others[0]
    cancel(family_of_reg(reg), reg, [reservation])
    assert _states(regs) == ["validated", "validated"]
    with read() as session:
        assert session.scalar(select(func.count(Mail.id)).where(
            Mail.family_id == family, Mail.subject == PROMOTED_SUBJECT)) == 1
    desktop.get_by_role("button", name="Actualiser").click()
    wait_idle(desktop)
    _cell(desktop, "validated", cell).wait_for()
    _cell(desktop, "validated", cell).scroll_into_view_if_needed()
    desktop.mouse.move(0, 0)
    shot(desktop, "siblings_together_promoted")
    # Oscar's own grid says the same.
    choose(desktop, 0, "Oscar · CHATS PERCHES PERISCOLAIRE")
    choose(desktop, 1, month_title(day.year, day.month))
    _cell(desktop, "validated", f"{regs[1]}-{day:%Y%m%d}-{unit}").wait_for()


def _desk_sees_one_group(browser, served: str, day) -> None:  # type: ignore[no-untyped-def]
    """The reception's waiting board: both children marked « groupe 1 », and the order
    picker's help says a group waiting side by side moves as one."""
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    desk = context.new_page()
    desk.set_default_timeout(20_000)
    try:
        sign_in(desk, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
        go(desk, "Listes d'attente")
        desk.get_by_label("Lieu d'accueil").click()
        desk.get_by_role("option", name="Les Chats Perchés").click()
        wait_idle(desk)
        set_date(desk, "Jour", day)
        for child in ("Nina", "Oscar"):
            desk.get_by_text(re.compile(rf"{child} .*groupe 1")).wait_for()
        desk.get_by_test_id("stForm").get_by_test_id("stTooltipIcon").first.hover()
        desk.get_by_text("changent de place ensemble").wait_for()
        shot(desk, "siblings_together_desk_board")
    finally:
        context.close()


def family_of_reg(reg: int):  # type: ignore[no-untyped-def]
    from db.models import Registration

    with read() as session:
        registration = session.get(Registration, reg)
        assert registration is not None
        return family_of(registration.child_id)
