"""Reception validates a registration request and a booking request in the queue."""
from __future__ import annotations

from sqlalchemy import select

from db.engine import read
from db.models import Registration, Reservation
from services import registrations
from services.booking.reserve import reserve
from services.demo import DEMO_PASSWORDS
from tests.e2e.conftest import shot, sign_in, wait_idle
from tests.e2e.staff_data import (STAFF_EMAIL, actor, family_of, far, new_family, open_day,
                                  period, served)

__all__ = ["served"]


def test_staff_validate_a_registration_and_a_booking_request(served, desktop):
    name, (sami, lina) = new_family([("Sami", 9), ("Lina", 8)])  # eldest first
    wednesdays = period("ST GABRIEL MERCREDI PERI", "6/12 ans")  # staff validate there
    staff = actor(STAFF_EMAIL)
    request = registrations.request_registration(family_of(lina), lina, wednesdays)
    registration = registrations.request_registration(family_of(sami), sami, wednesdays)
    registrations.decide(staff, registration, True)
    day, unit = open_day(wednesdays, "APRES-MIDI", far())
    assert reserve(family_of(sami), registration, [(day, unit)]).cells[0].outcome == "requested"

    sign_in(desktop, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    desktop.get_by_role("link", name="File de validation").click()
    desktop.get_by_role("heading", name="File de validation").wait_for()
    lina_box = desktop.get_by_text(f"Lina {name} (famille {name})")
    sami_box = desktop.get_by_text(f"Sami {name} (famille {name})")
    lina_box.wait_for()
    lina_box.click()
    wait_idle(desktop)
    sami_box.click()
    wait_idle(desktop)
    shot(desktop, "staff_queue_selected")
    desktop.get_by_role("button", name="Valider la sélection").click()
    desktop.get_by_text(f"✓ Inscription n° {request}").wait_for()
    desktop.get_by_text("✓ Réservation").first.wait_for()
    shot(desktop, "staff_queue_validated")
    with read() as session:
        assert session.get(Registration, request).state == "validated"
        assert session.scalar(select(Reservation.state).where(
            Reservation.registration_id == registration)) == "validated"
