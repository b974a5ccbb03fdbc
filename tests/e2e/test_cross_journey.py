"""The journey across both sides, in chromium: a family asks to register a child and books a
day where reception validates bookings; reception validates both in its queue; the family
then sees the registration and the booking validated."""
from __future__ import annotations

import re

from services.demo import DEMO_PASSWORDS
from services.families import accounts
from tests.e2e.conftest import go, shot, sign_in, wait_idle
from tests.e2e.staff_data import STAFF_EMAIL, actor, new_family, served
from tests.e2e.test_family_journey import choose, submit

__all__ = ["served"]
MANAGER = "direction@csjacquard.example"
PASSWORD = "parcours2026"
AFTERNOON = re.compile(", APRES-MIDI : ")  # "jeudi 3 décembre, APRES-MIDI : libre…"


def _validate_in_queue(page, base: str, label: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, base, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    page.get_by_role("link", name="File de validation").click()
    page.get_by_role("heading", name="File de validation").wait_for()
    page.get_by_text(label).first.click()
    wait_idle(page)
    page.get_by_role("button", name="Valider la sélection").click()
    page.get_by_text(f"✓ {kind}").first.wait_for()


def test_family_requests_staff_validate_family_sees_validated(served, browser, desktop):
    name, (child,) = new_family([("Nina", 8)])
    del child
    email = f"{name.lower()}@example.org"
    for user in accounts.account_ids(_family_id(name)):
        accounts.set_password_directly(actor(MANAGER), user, PASSWORD)
    staff_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    staff = staff_context.new_page()
    staff.set_default_timeout(20_000)

    # 1. The family asks to register Nina for Saint Gabriel's Wednesdays.
    sign_in(desktop, served, email, PASSWORD)
    desktop.get_by_role("heading", name="Mon tableau de bord").wait_for()
    go(desktop, "Nouvelle inscription")
    choose(desktop, 1, "Saint Gabriel")
    choose(desktop, 2, "Périscolaire")
    choose(desktop, 3, "ST GABRIEL MERCREDI PERI")
    desktop.get_by_role("button", name="Enregistrer ma demande").click()
    desktop.get_by_text("Demande envoyée pour Nina").wait_for()
    go(desktop, "Mon tableau de bord")
    desktop.get_by_text("? En attente de validation").first.wait_for()

    # 2. Reception validates the registration.
    _validate_in_queue(staff, served, f"Nina {name} (famille {name})", "Inscription")

    # 3. The family books a Wednesday afternoon: sent to reception, not yet validated.
    go(desktop, "Mes réservations")
    desktop.get_by_text("Semaine", exact=True).first.click()
    wait_idle(desktop)
    cell = desktop.get_by_role("button", name=AFTERNOON).and_(desktop.locator(":enabled")).first
    cell.click()
    desktop.get_by_role("button", name=re.compile("APRES-MIDI : Demande de réservation \\(cochée"))\
        .first.wait_for()
    assert "en attente de validation par l'accueil" in submit(desktop)
    shot(desktop, "cross_booking_sent")

    # 4. Reception validates the booking; the family refreshes and sees it validated.
    staff.get_by_role("button", name="Se déconnecter").click()
    staff.get_by_role("button", name="Se connecter").wait_for()
    _validate_in_queue(staff, served, f"Nina {name} (famille {name})", "Réservation")
    shot(staff, "cross_staff_validated")
    staff_context.close()
    desktop.get_by_role("button", name="Actualiser").click()
    wait_idle(desktop)
    desktop.get_by_role("button", name=re.compile("APRES-MIDI : Réservation validée")).first\
        .wait_for()
    shot(desktop, "cross_family_sees_validated")


def _family_id(name: str) -> int:
    from sqlalchemy import select

    from db.engine import read
    from db.models import Family

    with read() as session:
        found = session.scalar(select(Family.id).where(Family.name == name))
    assert found is not None
    return found
