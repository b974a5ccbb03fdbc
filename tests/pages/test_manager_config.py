"""AppTest of the configuration pages (managers only)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import CapacitySlot, Closure, Period, Site, Tariff, Unit
from services import registrations
from services.booking.reserve import reserve
from tests.pages.apptest import page_as, texts

MANAGER, STAFF = "direction@test.example", "accueil@test.example"
PAGES = ["pages/manager_offer.py", "pages/manager_units.py", "pages/manager_places.py",
         "pages/manager_closures.py"]


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


@pytest.mark.parametrize("path", PAGES)
def test_staff_are_refused(built, path):
    at = page_as(path, STAFF)
    assert "n'est pas accessible" in texts(at) and not at.title


def _open(path, site="Les Chats Perchés", activity="CHATS PERCHES PERISCOLAIRE"):
    at = page_as(path, MANAGER)
    at.selectbox[0].select(site).run()
    at.selectbox[1].select(activity).run()
    return at


def test_places_in_bulk_and_refused_under_bookings(built):
    reg = registrations.request_registration(built.family_a, built.lea, built.period_peri)
    registrations.decide(built.staff, reg, True)
    reserve(built.family_a, reg, [(built.first_day, built.units_peri[0])])
    at = _open("pages/manager_places.py")
    assert not at.exception
    at.multiselect(key="places_groups").select("6/12 ans")
    at.date_input(key="places_start").set_value(built.first_day)
    at.date_input(key="places_end").set_value(built.first_day + timedelta(days=6))
    at.number_input(key="places_n").set_value(0)
    at.button[0].click().run()
    assert "déjà plus d'enfants réservés" in texts(at)
    at.number_input(key="places_n").set_value(6)
    at.button[0].click().run()
    assert "16 créneau(x) à 6 place(s)" in texts(at)  # 4 days (no Wednesday) x 4 units
    with read() as session:
        assert session.scalar(select(func.max(CapacitySlot.places))) == 6


def test_closure_added_and_reopened(built):
    day = built.first_day + timedelta(days=7)
    at = _open("pages/manager_closures.py")
    at.date_input(key="closure_start").set_value(day)
    at.date_input(key="closure_end").set_value(day)
    at.text_input(key="closure_label").input("Journée pédagogique")
    at.button[0].click().run()
    assert "1 jour(s) fermé(s)." in texts(at)
    with read() as session:
        assert session.scalar(select(func.count(Closure.id))) == 1
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("reopen_"))) \
        .click().run()
    assert "rouvert" in texts(at)


def test_closure_without_a_reason_is_refused(built):
    at = _open("pages/manager_closures.py")
    at.button[0].click().run()
    assert "Indiquez le motif" in texts(at)


def test_period_switched_to_staff_validation(built):
    at = _open("pages/manager_offer.py")
    box = at.selectbox(key="offer_period")
    box.select(next(o for o in box.options if "Péri 6/12 ans" in o)).run()
    box = next(c for c in at.checkbox if c.label.startswith("Les réservations sont validées"))
    box.check()
    at.button(key=f"FormSubmitter:period_{built.period_peri}-Enregistrer la période") \
        .click().run()
    assert not at.exception
    assert "Période enregistrée." in texts(at)
    with read() as session:
        assert session.get(Period, built.period_peri).auto_validate is False


def test_the_periods_payment_rule_is_set_on_the_periodes_form(built):
    at = _open("pages/manager_offer.py")
    box = at.selectbox(key="offer_period")
    box.select(next(o for o in box.options if "Péri 6/12 ans" in o)).run()
    field = at.number_input(key=f"p{built.period_peri}_pay_before")
    assert field.value == 7  # the default: a week before the period starts
    field.set_value(30)
    at.button(key=f"FormSubmitter:period_{built.period_peri}-Enregistrer la période") \
        .click().run()
    assert not at.exception and "Période enregistrée." in texts(at)
    with read() as session:
        assert session.get(Period, built.period_peri).pay_days_before_start == 30


def test_new_period_needs_a_name(built):
    at = _open("pages/manager_offer.py")
    at.selectbox(key="offer_period").select("Nouvelle période").run()
    at.button(key="FormSubmitter:new_period-Créer la période").click().run()
    assert "Le nom de la période est obligatoire." in texts(at)


def test_unit_price_and_tariffs(built):
    from services.catalogue.setup import create_bracket
    create_bracket(built.manager, built.organisation, "QF 0 à 700", 0, 700, {})
    at = _open("pages/manager_units.py")
    assert "ACCUEIL RELAI MATIN" in str(at.dataframe[0].value)
    at.text_input[-1].input("2,5x")
    at.button[-1].click().run()
    assert "Prix invalide" in texts(at)
    at.text_input[-1].input("2,50")
    at.button[-1].click().run()
    assert "Tarifs enregistrés" in texts(at)
    with read() as session:
        assert session.scalar(select(Tariff.price_cents)) == 250


def test_new_activity_then_new_unit(built):
    at = _open("pages/manager_offer.py")
    name = next(t for t in at.text_input if t.label == "Nom de l'activité")
    name.input("CHATS PERCHES ETE")
    at.button(key="FormSubmitter:new_activity-Créer l'activité").click().run()
    assert "Activité créée." in texts(at)
    at = _open("pages/manager_units.py", activity="CHATS PERCHES ETE")
    next(t for t in at.text_input if t.label == "Nom de l'unité").input("JOURNEE")
    at.text_input(key="new_unit_price").input("12,50")
    at.button(key="FormSubmitter:new_unit-Ajouter l'unité").click().run()
    assert "Unité ajoutée" in texts(at)
    assert "12,50 €" in str(at.dataframe[0].value)


def test_meal_part_of_a_unit(built):
    at = _open("pages/manager_units.py")
    form = "FormSubmitter:unit_{}-Enregistrer l'unité"
    unit_id = built.units_peri[0]
    next(c for c in at.checkbox if c.label == "Avec repas" and c.key is None).check()
    meal = next(t for t in at.text_input if t.label == "Dont repas (€)" and t.key is None)
    meal.input("9,00")  # more than the 1,00 € price
    at.button(key=form.format(unit_id)).click().run()
    assert "au plus égal au prix" in texts(at)
    with read() as session:
        assert session.get(Unit, unit_id).meal_cents == 0
    assert not at.exception
    next(t for t in at.text_input if t.label == "Dont repas (€)" and t.key is None).input("0,60")
    at.button(key=form.format(unit_id)).click().run()
    assert "Unité enregistrée." in texts(at)
    assert at.dataframe[0].value["Repas"].iloc[0] == "oui, 0,60 €"
    with read() as session:
        assert (session.get(Unit, unit_id).has_meal, session.get(Unit, unit_id).meal_cents) == \
            (True, 60)


def test_renaming_a_site_keeps_its_address(built):
    at = _open("pages/manager_offer.py")
    name = next(t for t in at.text_input if t.label == "Nom" and t.value == "Les Chats Perchés")
    assert next(t for t in at.text_input if t.label == "Adresse").value == \
        "140 rue du Buisson, Lille"
    name.input("Les Chats Perchés (Fives)")
    at.button(key="FormSubmitter:site-Enregistrer le lieu").click().run()
    assert "Lieu enregistré." in texts(at)
    with read() as session:
        site = session.get(Site, built.site_chats)
        assert (site.name, site.address) == ("Les Chats Perchés (Fives)",
                                             "140 rue du Buisson, Lille")
