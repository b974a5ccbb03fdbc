"""The health sheet, pick-up persons and consents: what applies at once, what waits for
reception, the emergency contact before a first booking, and the Pointage's health list."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from db.engine import read, transaction
from db.models import AuditEntry, ChangeRequest, PickupPerson
from services import registrations
from services.booking.reserve import reserve
from services.errors import Forbidden, InvalidInput
from services.families.changes import decide_change, list_changes
from services.health import consents, pickup
from services.health.forms import HealthForm, PickupForm
from services.health.pickup import NoEmergencyContact
from services.health.sheet import get_health_sheet, save_health_sheet
from services.staff import health_day
from tests.pdf import pdf_text

SHEET = HealthForm(food_allergies="Arachides", food_action="Adrénaline, appeler le 15",
                   pai=True, treatment="Ventoline le matin", diet="vegetarian",
                   doctor_name="Dr Martin", doctor_phone="03 20 11 22 33",
                   dtp_dates=(date(2017, 3, 1), date(2018, 5, 2)),
                   dtp_last_booster=date(2022, 9, 1), other_info="Porte des lunettes")


def accept_all(world) -> None:  # type: ignore[no-untyped-def]
    for change in list_changes(world.staff):
        decide_change(world.staff, change.id, True)


def test_health_sheet_round_trip_after_reception_accepts(world):
    saved = save_health_sheet(world.family_a, world.lea, SHEET)
    assert set(saved.applied) >= {"diet", "doctor_name", "dtp_dates", "dtp_last_booster"}
    assert saved.change_id is not None
    accept_all(world)
    view = get_health_sheet(world.family_a, world.lea)
    assert view.form == SHEET and not view.pending
    assert get_health_sheet(world.staff, world.lea).form == SHEET


def test_an_allergy_waits_for_reception_and_the_diet_applies_at_once(world):
    saved = save_health_sheet(world.family_a, world.lea, HealthForm(
        food_allergies="Lait", diet="no_pork"))
    assert saved.applied == ("diet",)
    view = get_health_sheet(world.family_a, world.lea)
    assert view.form.diet == "no_pork" and view.form.food_allergies == "" and view.pending
    assert view.updated_by  # who changed the diet is kept
    (change,) = [c for c in list_changes(world.staff) if c.field == "health_sheet"]
    assert "Allergies alimentaires : Lait" in change.new_value and change.child == "Léa"
    with read() as session:
        assert session.scalar(select(AuditEntry.details).where(
            AuditEntry.action == "update_health_sheet")).count("no_pork") == 1
    decide_change(world.staff, change.id, True)
    assert get_health_sheet(world.family_a, world.lea).form.food_allergies == "Lait"


def test_a_refused_health_change_is_not_applied(world):
    saved = save_health_sheet(world.family_a, world.lea, HealthForm(treatment="Insuline"))
    decide_change(world.staff, saved.change_id, False, "Ordonnance manquante")
    assert get_health_sheet(world.family_a, world.lea).form.treatment == ""


@pytest.mark.parametrize("form", [HealthForm(diet="other"), HealthForm(diet="halal?"),
                                  HealthForm(doctor_phone="appelez-moi"),
                                  HealthForm(dtp_dates=(date(2099, 1, 1),))])
def test_bad_health_sheets_are_refused(world, form):
    with pytest.raises(InvalidInput):
        save_health_sheet(world.family_a, world.lea, form)


def test_another_family_and_another_site_cannot_read_a_sheet(world):
    with pytest.raises(Forbidden):
        get_health_sheet(world.family_b, world.lea)
    with pytest.raises(Forbidden):
        save_health_sheet(world.family_b, world.lea, SHEET)


def test_consents_are_recorded_with_date_and_who(world):
    image = consents.create_consent_kind(world.manager, "Droit à l'image")
    alone = consents.create_consent_kind(world.manager, "Partir seul à 17 h 30")
    with pytest.raises(Forbidden):
        consents.create_consent_kind(world.staff, "Baignade")
    assert consents.answer_consents(world.family_a, world.lea, {image: False, alone: True}) == 2
    assert consents.answer_consents(world.family_a, world.lea, {image: False}) == 0
    got = {c.label: c for c in consents.get_consents(world.staff, world.lea)}
    assert got["Droit à l'image"].answer is False and got["Partir seul à 17 h 30"].answer
    assert got["Droit à l'image"].answered_by == world.family_a.label
    assert got["Droit à l'image"].answered_at is not None
    consents.update_consent_kind(world.manager, alone, "Partir seul", active=False)
    assert [c.label for c in consents.get_consents(world.family_a, world.lea)] == [
        "Droit à l'image"]
    with pytest.raises(InvalidInput):
        consents.answer_consents(world.family_a, world.lea, {alone: True})
    with pytest.raises(Forbidden):
        consents.answer_consents(world.family_b, world.lea, {image: True})


def test_pickup_persons_go_through_reception(world):
    before = pickup.list_pickup_persons(world.family_a)
    pickup.request_pickup(world.family_a, PickupForm("Jean VOISIN", "Voisin", "06 11 22 33 44"))
    assert pickup.list_pickup_persons(world.family_a) == before
    with pytest.raises(InvalidInput):
        pickup.request_pickup(world.family_a, PickupForm("Sans numéro", "Oncle", "abc"))
    accept_all(world)
    names = [p.name for p in pickup.list_pickup_persons(world.staff, world.family_a_id)]
    assert "Jean VOISIN" in names
    jean = next(p for p in pickup.list_pickup_persons(world.family_a) if p.name == "Jean VOISIN")
    with pytest.raises(Forbidden):
        pickup.request_pickup(world.family_b, PickupForm("x"), jean.id, remove=True)
    pickup.request_pickup(world.family_a, PickupForm("x"), jean.id, remove=True)
    accept_all(world)
    assert "Jean VOISIN" not in [p.name for p in pickup.list_pickup_persons(world.family_a)]


def test_first_booking_refused_without_an_emergency_contact(world):
    with transaction() as session:
        session.execute(delete(PickupPerson).where(PickupPerson.family_id == world.family_a_id))
    reg = registrations.request_registration(world.family_a, world.lea, world.period_peri)
    registrations.decide(world.staff, reg, validate=True)
    cell = [(world.first_day, world.units_peri[0])]
    with pytest.raises(NoEmergencyContact, match="contact d'urgence"):
        reserve(world.family_a, reg, cell)
    assert "contact d'urgence" in (pickup.booking_blocker(world.family_a) or "")
    pickup.request_pickup(world.family_a, PickupForm("Mamie", "Grand-mère", "0600000000",
                                                     may_pick_up=False, emergency=True))
    assert "attend la validation" in (pickup.booking_blocker(world.family_a) or "")
    accept_all(world)
    assert pickup.booking_blocker(world.family_a) is None
    assert reserve(world.family_a, reg, cell).cells[0].outcome == "validated"


def test_pointage_health_list_has_badges_and_stays_on_its_site(world):
    save_health_sheet(world.family_b, world.zoe, HealthForm(food_allergies="Kiwi", pai=True,
                                                            diet="no_meat"))
    accept_all(world)
    reg = registrations.request_registration(world.family_b, world.zoe, world.period_peri)
    registrations.decide(world.staff, reg, validate=True)
    reserve(world.family_b, reg, [(world.first_day, world.units_peri[1])])
    (zoe,) = health_day.list_day_health(world.staff, world.site_chats, world.first_day)
    assert zoe.badges == ("Allergie", "PAI", "Régime : sans viande")
    assert [p.name for p in zoe.pickups] == ["Papi DURAND"]
    with pytest.raises(Forbidden):
        health_day.list_day_health(world.staff_gabriel, world.site_chats, world.first_day)
    with pytest.raises(Forbidden):
        health_day.day_list_pdf(world.family_b, world.site_chats, world.first_day)
    text = pdf_text(health_day.day_list_pdf(world.staff, world.site_chats, world.first_day))
    for expected in ("Zoé DURAND", "Kiwi", "Sans viande", "Papi DURAND", "Liste du jour"):
        assert expected in text
    assert "06 00 00 00 00" in text.replace("\u00a0", " ")


@pytest.mark.parametrize("field, value, shown", [
    ("health_sheet", '{"treatment": 5, "pai": "yes"}', "Traitement régulier : 5\nPAI : non"),
    ("health_sheet", "[1]", None),
    ("pickup_add", '{"name": "Ana", "phone": 612345678, "emergency": true, "may_pick_up": 1}',
     "Ana · 612345678 · contact d'urgence"),
    ("pickup_update", '{"name": "A", "phone": "0600000000"}', None),
    ("pickup_remove", '{"pickup_id": "abc"}', None)])
def test_crafted_requests_are_refused_or_typed(world, field, value, shown):
    """A request built by hand (not by the forms) is refused or stored as the forms type it."""
    from services.families.changes import request_change

    child = world.lea if field == "health_sheet" else None
    if shown is None:
        with pytest.raises(InvalidInput):
            request_change(world.family_a, field, value, child)
        return
    change = request_change(world.family_a, field, value, child)
    (stored,) = [c for c in list_changes(world.staff) if c.id == change]
    assert stored.new_value == shown
