"""Reception takes attendance on a tablet: one child absent (justified), saved, totals."""
from __future__ import annotations

from sqlalchemy import select

from db.engine import read
from db.models import Reservation
from services import registrations
from services.booking.reserve import reserve
from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import shot, sign_in, wait_idle
from tests.e2e.staff_data import STAFF_EMAIL, actor, far, new_family, open_day, period, served

__all__ = ["served"]
TABLET = {"width": 1024, "height": 1366}


def set_date(page, label: str, day) -> None:  # type: ignore[no-untyped-def]
    """Type a date into Streamlit's date field (one segment per part, day first)."""
    page.get_by_role("spinbutton", name=f"day, {label}").click()
    page.keyboard.type(f"{day:%d%m%Y}")
    page.keyboard.press("Enter")
    page.locator("h1").first.click()  # leaving the field commits the date
    wait_idle(page)


def test_staff_take_attendance(served, browser):
    name, (child,) = new_family([("Maya", 8)])
    peri = period("CHATS PERCHES PERISCOLAIRE", "6/12 ans")
    staff = actor(STAFF_EMAIL)
    registration = registrations.request_registration(staff, child, peri)
    registrations.decide(staff, registration, True)
    # The evening unit: the demo books nobody there, so this form holds only our child.
    day, unit = open_day(peri, "ACCUEIL RELAI SOIR", far())
    reserve(staff, registration, [(day, unit)], by_staff=True)

    context = browser.new_context(viewport=TABLET, locale="fr-FR", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    page.get_by_role("link", name="Pointage").click()
    page.get_by_role("heading", name="Pointage").wait_for()
    page.get_by_label("Lieu d'accueil").click()
    page.get_by_role("option", name="Les Chats Perchés").click()
    wait_idle(page)
    set_date(page, "Jour", day)
    form = page.get_by_test_id("stForm").filter(has_text="ACCUEIL RELAI SOIR")
    # The child's line (its "Santé et sortie · Maya …" panel names it too, once rendered).
    form.get_by_text(f"Maya {name} · 6/12 ans").wait_for()
    # Other journeys may have children in this unit that day: Maya's own choices.
    form.get_by_role("radiogroup", name=f"Maya {name}").get_by_text("Justifié", exact=True).click()
    shot(page, "staff_attendance_ticked")
    form.get_by_role("button", name="Enregistrer le pointage").click()
    page.get_by_text("Pointage enregistré (1 changement(s)).").wait_for()
    wait_idle(page)
    shot(page, "staff_attendance_saved")
    context.close()
    with read() as session:
        assert session.scalar(select(Reservation.state).where(
            Reservation.registration_id == registration)) == "absent_justified"
