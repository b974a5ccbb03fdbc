"""On a phone, a parent fills in the health sheet (an allergy) and names a pick-up person;
reception accepts both; the Pointage shows the allergy badge and, on a tap, the phone."""
from __future__ import annotations

from services import registrations
from services.booking.reserve import reserve
from services.demo import DEMO_PASSWORDS
from services.families import accounts
from services.families.changes import list_changes
from tests.e2e.conftest import go, shot, sign_in, wait_idle
from tests.e2e.staff_data import (STAFF_EMAIL, actor, family_of, far, new_family, open_day,
                                  period, served)
from tests.e2e.test_staff_attendance import set_date

__all__ = ["served"]
PASSWORD = "fiche-sante-2026"


def _booked_child() -> tuple[str, int, object]:
    """A new family's child booked (by reception) on a far evening at Les Chats Perchés."""
    name, (child,) = new_family([("Lina", 8)])
    peri = period("CHATS PERCHES PERISCOLAIRE", "6/12 ans")
    staff = actor(STAFF_EMAIL)
    reg = registrations.request_registration(staff, child, peri)
    registrations.decide(staff, reg, True)
    day, unit = open_day(peri, "ACCUEIL RELAI SOIR", far())
    reserve(staff, reg, [(day, unit)], by_staff=True)
    for user in accounts.account_ids(family_of(child).family_id):
        accounts.set_password_directly(actor("direction@csjacquard.example"), user, PASSWORD)
    return name, child, day


def test_parent_fills_the_health_sheet_and_the_pointage_shows_the_allergy(served, browser,
                                                                          phone):
    name, child, day = _booked_child()
    sign_in(phone, served, f"{name.lower()}@example.org", PASSWORD)
    go(phone, "Ma famille")
    phone.get_by_text("Fiche sanitaire de Lina").click()
    phone.get_by_label("Allergies alimentaires", exact=True).fill("Arachides")
    phone.get_by_label("Conduite à tenir (alimentaires)").fill("Stylo d'adrénaline, appeler le 15")
    phone.get_by_label("Allergies alimentaires", exact=True).scroll_into_view_if_needed()
    shot(phone, "health_sheet_family_phone")
    phone.get_by_role("button", name="Enregistrer la fiche sanitaire").click()
    phone.get_by_text("envoyés à l'accueil, qui les vérifie").wait_for()
    phone.get_by_text("Ajouter ou modifier une personne").click()
    phone.get_by_label("Nom et prénom").fill("Jean VOISIN")
    person = phone.get_by_test_id("stExpander").filter(has_text="Ajouter ou modifier une personne")
    person.get_by_label("Téléphone", exact=True).fill("06 11 22 33 44")
    phone.get_by_text("Contact en cas d'urgence").click()
    phone.get_by_role("button", name="Envoyer la demande à l'accueil").click()
    phone.get_by_text("Demande envoyée à l'accueil").wait_for()
    wait_idle(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("heading", name="Personnes autorisées et contacts d'urgence"
                      ).scroll_into_view_if_needed()
    shot(phone, "health_pickup_family_phone")
    phone.set_viewport_size({"width": 1280, "height": 900})
    phone.get_by_role("heading", name="Santé et autorisations").scroll_into_view_if_needed()
    shot(phone, "health_family_desktop")

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    desk = context.new_page()
    desk.set_default_timeout(20_000)
    sign_in(desk, served, STAFF_EMAIL, DEMO_PASSWORDS[STAFF_EMAIL])
    go(desk, "Demandes de modification")
    ours = [c for c in list_changes(actor(STAFF_EMAIL)) if c.family == name]
    assert {c.field for c in ours} == {"health_sheet", "pickup_add"}
    for change in ours:
        desk.locator(f".st-key-Accepter_{change.id} button").click()
        desk.get_by_text(f"la famille {name} est prévenue").wait_for()
        wait_idle(desk)
    assert not [c for c in list_changes(actor(STAFF_EMAIL)) if c.family == name]

    desk.goto(served + "/pointage")
    desk.get_by_role("heading", name="Pointage").wait_for()
    wait_idle(desk)
    desk.get_by_label("Lieu d'accueil").click()
    desk.get_by_role("option", name="Les Chats Perchés").click()
    wait_idle(desk)
    set_date(desk, "Jour", day)
    form = desk.get_by_test_id("stForm").filter(has_text="ACCUEIL RELAI SOIR")
    # The child's line (its "Santé et sortie · Lina …" panel names it too, once rendered).
    form.get_by_text(f"Lina {name} · 6/12 ans").wait_for()
    form.get_by_text("Allergie", exact=True).wait_for()
    form.get_by_text(f"Santé et sortie · Lina {name}").click()
    form.get_by_text("Arachides").wait_for()
    form.get_by_text("06 11 22 33 44").wait_for()
    shot(desk, "health_pointage_desktop")
    desk.set_viewport_size({"width": 390, "height": 844})
    wait_idle(desk)
    shot(desk, "health_pointage_phone")
    context.close()
