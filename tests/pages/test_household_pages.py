"""AppTest of a child of two households: staff link it from the family file and see each
child's households; the second family asks a registration for it and books, its grid shows
the first family's days as « l'autre foyer »."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import ChildHousehold, Registration
from services import registrations
from services.booking.reserve import reserve
from services.families import households
from tests.pages.apptest import page_as, texts
from tests.pages.test_family_pages import cell_key, mark, spoken

STAFF, DUPONT, DURAND = "accueil@test.example", "dupont@test.example", "durand@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def _open(at, family_id, query):  # type: ignore[no-untyped-def]
    at.text_input(key="family_query").input(query).run()
    at.button(key=f"open_{family_id}").click().run()
    assert not at.exception, at.exception
    return at


def test_staff_link_a_child_to_a_second_household_and_unlink_it(built):
    w = built
    at = _open(page_as("pages/staff_families.py", STAFF), w.family_a_id, "dupont")
    assert "Léa DUPONT : DUPONT (premier foyer)" in texts(at)
    at.selectbox(key="household_child").set_value(w.lea)
    at.text_input(key="household_query").input("durand").run()
    assert at.selectbox(key="household_family").value == w.family_b_id
    at.button(key="household_link").click().run()
    assert not at.exception, at.exception
    assert "est rattaché(e) au foyer DURAND" in texts(at)
    assert "Léa DUPONT : DUPONT (premier foyer), DURAND" in texts(at)
    with read() as session:
        assert session.scalar(select(ChildHousehold.family_id)) == w.family_b_id
    # In DURAND's file Léa is one of the children, and may be taken off that household.
    at = _open(page_as("pages/staff_families.py", STAFF), w.family_b_id, "durand")
    assert "Léa DUPONT" in texts(at)
    at.button(key=f"unlink_{w.lea}").click().run()
    assert not at.exception, at.exception
    assert "ne fait plus partie du foyer DURAND" in texts(at)
    with read() as session:
        assert session.scalar(select(ChildHousehold.family_id)) is None


def test_the_second_household_registers_the_child_and_books_its_own_days(built):
    w = built
    households.link_child(w.staff, w.lea, w.family_b_id)
    at = page_as("pages/family_registration_new.py", DURAND)
    at.selectbox[0].set_value(w.lea).run()
    assert not at.exception, at.exception
    next(b for b in at.button if b.label == "Enregistrer ma demande").click().run()
    assert "Demande envoyée pour Léa" in texts(at)
    with read() as session:
        reg_b, family = session.execute(select(Registration.id, Registration.family_id)).one()
    assert family == w.family_b_id
    registrations.decide(w.staff, reg_b, validate=True)
    reg_a = registrations.request_registration(w.family_a, w.lea, w.period_peri)
    registrations.decide(w.staff, reg_a, validate=True)
    monday, unit = w.first_day, w.units_peri[0]
    reserve(w.family_a, reg_a, [(monday, unit)])
    at = page_as("pages/family_bookings.py", DURAND)
    at.selectbox[1].set_value((monday.year, monday.month)).run()
    assert not at.exception, at.exception
    key = cell_key("other_household", reg_b, monday, unit)
    assert mark(at, key) == "⌂"
    assert "l'autre foyer" in spoken(at, key)
    assert "Journée réservée par l'autre foyer" in " ".join(h.value for h in at.html)
    at.button(key=key).click().run()  # says why, books nothing
    assert "réservée par l'autre foyer de l'enfant" in texts(at)
    # DUPONT's own page never mentions the other household unless it has such a day.
    at = page_as("pages/family_bookings.py", DUPONT)
    at.selectbox[1].set_value((monday.year, monday.month)).run()
    assert mark(at, cell_key("validated", reg_a, monday, unit)) == "✓"
