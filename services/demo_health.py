"""The demo's health part: the centre's consents, an emergency contact per family, and a
child with a food allergy and a PAI that reception has checked (shown on the Pointage)."""
from __future__ import annotations

from db.states import Role
from services.actor import Actor
from services.families import changes
from services.health import consents, pickup, sheet
from services.health.forms import HealthForm, PickupForm

CONSENTS = [
    "Droit à l'image : photos et vidéos de l'enfant pendant les activités",
    "Partir seul(e) à la fin de l'accueil du soir (à partir de 17 h 30)",
    "Baignade et activités nautiques encadrées",
    "Transport en car ou en minibus lors des sorties",
]
CONTACTS = [("Mamie Jocelyne", "Grand-mère", "06 23 45 67 89"),
            ("Karim Voisin", "Voisin", "06 98 76 54 32"),
            ("Tante Samia", "Tante", "07 11 22 33 44")]


def seed(actor: Actor, families: list[int], allergic_child: int) -> None:
    """Consents, contacts and one checked health sheet, through the services."""
    for label in CONSENTS:
        consents.create_consent_kind(actor, label)
    for family_id, (name, relation, phone) in zip(families, CONTACTS):
        pickup.add_pickup_person(actor, family_id, PickupForm(name, relation, phone,
                                                              may_pick_up=True, emergency=True))
    # MARTIN fills in Emma's sheet; reception checks the allergy and accepts it.
    martin = Actor(user_id=None, role=Role.FAMILY, label="Julien MARTIN", family_id=families[1])
    saved = sheet.save_health_sheet(martin, allergic_child, HealthForm(
        food_allergies="Arachides", food_action="Stylo d'adrénaline dans le sac, appeler le 15",
        pai=True, diet="no_pork", doctor_name="Dr Lefebvre", doctor_phone="03 20 00 00 00"))
    if saved.change_id is not None:
        changes.decide_change(actor, saved.change_id, True)
    kinds = consents.list_consent_kinds(martin)
    consents.answer_consents(martin, allergic_child, {k.id: i != 0 for i, k in enumerate(kinds)})
