"""The waiting-list board and the configuration pages as staff and managers see them."""
from __future__ import annotations

from sqlalchemy import select

from db.engine import read
from db.models import Reservation
from services import registrations
from services.booking.reserve import reserve
from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import go, shot, sign_in, wait_idle
from tests.e2e.staff_data import STAFF_EMAIL, actor, far, new_family, open_day, period, served
from tests.e2e.test_staff_attendance import set_date

__all__ = ["served"]
MANAGER_EMAIL = "direction@csjacquard.example"


def test_staff_reorder_a_waiting_list_with_a_reason(served, desktop):
    """Fills the 2/3 ans morning relay of the Chats Perchés on one day (8 places), then two
    children wait; staff move the second up with a reason."""
    peri = period("CHATS PERCHES PERISCOLAIRE", "2/3 ans")
    day, unit = open_day(peri, "ACCUEIL RELAI MATIN", far())
    staff = actor(STAFF_EMAIL)
    names = []
    for n in range(10):
        name, (child,) = new_family([(f"Bébé{n}", 3)], email=False)
        reg = registrations.request_registration(staff, child, peri)
        registrations.decide(staff, reg, True)
        reserve(staff, reg, [(day, unit)], by_staff=True)
        names.append(name)
    with read() as session:
        assert session.scalar(select(Reservation.state).where(
            Reservation.child_id == child)) == "waitlisted"

    sign_in(desktop, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    desktop.get_by_role("link", name="Listes d'attente").click()
    desktop.get_by_role("heading", name="Listes d'attente").wait_for()
    desktop.get_by_label("Lieu d'accueil").click()
    desktop.get_by_role("option", name="Les Chats Perchés").click()
    wait_idle(desktop)
    set_date(desktop, "Jour", day)
    desktop.get_by_text(f"Bébé9 {names[9]} (famille").wait_for()
    # Only this slot has a queue on that day (the demo fills no unit), so one form.
    board = desktop.get_by_test_id("stForm").first
    board.get_by_role("combobox").click()
    # The list opens on a click, or on the arrow key when the click only gave it the focus.
    option = desktop.get_by_role("option", name=f"Bébé9 {names[9]}")
    if not option.is_visible():
        desktop.keyboard.press("ArrowDown")
    option.click()
    board.get_by_label("Motif (obligatoire)").fill("Fratrie déjà accueillie")
    board.get_by_role("button", name="Monter d'une place").click()
    desktop.get_by_text(f"Bébé9 {names[9]} est maintenant en position 1.").wait_for()
    wait_idle(desktop)
    shot(desktop, "staff_waitlist_reordered")


def test_manager_configuration_pages(served, desktop):
    sign_in(desktop, served, MANAGER_EMAIL, DEMO_PASSWORDS[MANAGER_EMAIL])
    for link, heading, name in [("Périodes", "Périodes", "manager_periods"),
                                ("Unités et tarifs", "Unités et tarifs", "manager_units"),
                                ("Places", "Places", "manager_places"),
                                ("Fermetures et congés", "Fermetures et congés",
                                 "manager_closures")]:
        desktop.get_by_role("link", name=link, exact=True).click()
        desktop.get_by_role("heading", name=heading, exact=True).wait_for()
        wait_idle(desktop)
        shot(desktop, name)
    body = desktop.locator("body").inner_text()
    assert "Traceback" not in body


def test_queue_and_attendance_fit_a_phone(served, phone):
    sign_in(phone, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    phone.get_by_role("heading", name="Tableau de bord de l'accueil").wait_for()
    for link, name in [("File de validation", "staff_queue_phone"),
                       ("Pointage", "staff_attendance_phone")]:
        go(phone, link)
        shot(phone, name)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
