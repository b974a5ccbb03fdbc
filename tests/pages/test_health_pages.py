"""AppTest of the health sheet on "Ma famille", reception's check, the consents page and the
Pointage's health badges."""
from __future__ import annotations

import pytest
from sqlalchemy import delete

from db.engine import transaction
from db.models import PickupPerson
from services import registrations
from services.booking.reserve import reserve
from services.families.changes import decide_change, list_changes
from services.health import consents
from services.health.forms import HealthForm
from services.health.sheet import save_health_sheet
from tests.pages.apptest import page_as, texts

FAMILY, STAFF, MANAGER = "dupont@test.example", "accueil@test.example", "direction@test.example"
OTHER, GABRIEL = "durand@test.example", "gabriel@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def press(at, label: str):  # type: ignore[no-untyped-def]
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    return at


def test_ma_famille_health_sheet_and_pickup_person_then_reception_accepts(built):
    w = built
    at = page_as("pages/family_members.py", FAMILY)
    assert not at.exception and "Fiche sanitaire de Léa" in [e.label for e in at.expander]
    at.text_input(key=f"food_allergies_{w.lea}").input("Arachides")
    at.text_input(key=f"food_action_{w.lea}").input("Stylo d'adrénaline")
    press(at, "Enregistrer la fiche sanitaire")
    assert "envoyés à l'accueil" in texts(at)
    assert "attend la vérification de l'accueil" in texts(at)
    at.text_input(key="pickup_name").input("Jean VOISIN")
    at.text_input(key="pickup_phone").input("06 11 22 33 44")
    at.checkbox(key="pickup_urgent").check()
    press(at, "Envoyer la demande à l'accueil")
    assert "Demande envoyée à l'accueil" in texts(at)
    staff = page_as("pages/staff_changes.py", STAFF)
    page = texts(staff)
    assert "Fiche sanitaire (allergies, PAI, traitement)" in page
    assert "Nouvelle personne autorisée" in page
    assert "Arachides" in " ".join(t.value for t in staff.text)
    press(staff, "Accepter")
    press(staff, "Accepter")
    assert not list_changes(w.staff)
    at = page_as("pages/family_members.py", FAMILY)
    assert "Jean VOISIN" in texts(at)
    assert at.text_input(key=f"food_allergies_{w.lea}").value == "Arachides"


def test_the_diet_applies_at_once_and_a_bad_phone_is_refused(built):
    w = built
    at = page_as("pages/family_members.py", FAMILY)
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Régime alimentaire")
                 ).select("vegetarian")
    press(at, "Enregistrer la fiche sanitaire")
    assert "Fiche enregistrée." in texts(at)
    assert not list_changes(w.staff)
    next(t for t in at.text_input if t.label == "Téléphone du médecin").input("appelez")
    press(at, "Enregistrer la fiche sanitaire")
    assert "n'est pas un numéro de téléphone valide" in texts(at)


def test_consents_configured_by_the_direction_are_answered_by_the_family(built):
    w = built
    staff = page_as("pages/manager_consents.py", STAFF)
    assert not staff.title
    at = page_as("pages/manager_consents.py", MANAGER)
    at.text_input[0].input("Droit à l'image")
    press(at, "Ajouter")
    assert "Autorisation ajoutée" in texts(at)
    family = page_as("pages/family_members.py", FAMILY)
    radio = next(r for r in family.radio if r.label == "Droit à l'image")
    radio.set_value("Non")
    press(family, "Enregistrer les autorisations")
    assert "1 réponse(s) modifiée(s)" in texts(family)
    (answer,) = consents.get_consents(w.staff, w.lea)
    assert answer.answer is False and "Répondu le" in texts(family)


def test_the_dashboard_says_why_booking_waits_for_an_emergency_contact(built):
    w = built
    with transaction() as session:
        session.execute(delete(PickupPerson).where(PickupPerson.family_id == w.family_a_id))
    at = page_as("pages/family_home.py", FAMILY)
    assert "au moins une personne à prévenir en cas d'urgence" in texts(at)
    assert "contact d'urgence" not in texts(page_as("pages/family_home.py", OTHER))


def test_pointage_shows_health_badges_and_pickup_phones_on_its_site_only(built):
    w = built
    saved = save_health_sheet(w.family_b, w.zoe, HealthForm(food_allergies="Kiwi", pai=True,
                                                            diet="no_pork"))
    decide_change(w.staff, saved.change_id, True)
    reg = registrations.request_registration(w.family_b, w.zoe, w.period_peri)
    registrations.decide(w.staff, reg, True)
    reserve(w.family_b, reg, [(w.first_day, w.units_peri[1])])
    at = page_as("pages/staff_attendance.py", STAFF)
    at.date_input(key="att_day").set_value(w.first_day).run()
    assert not at.exception
    (zoe,) = [s for s in at.segmented_control if s.label.startswith("Zoé")]
    for word in ("Allergie", "PAI", "Régime \\: sans porc"):
        assert word in zoe.label
    assert "Santé et sortie · Zoé DURAND" in [e.label for e in at.expander]
    page = texts(at)
    assert "Kiwi" in page and "Papi DURAND" in page and "06 00 00 00 00" in page
    gabriel = page_as("pages/staff_attendance.py", GABRIEL)
    gabriel.date_input(key="att_day").set_value(w.first_day).run()
    assert "Zoé" not in texts(gabriel) and not gabriel.segmented_control
