"""AppTest of the attendance page."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import Reservation
from services import registrations
from services.booking.reserve import reserve
from tests.pages.apptest import page_as, texts

STAFF, FAMILY, GABRIEL = "accueil@test.example", "dupont@test.example", "gabriel@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    world = build()
    for actor, child in [(world.family_a, world.lea), (world.family_b, world.zoe)]:
        reg = registrations.request_registration(actor, child, world.period_peri)
        registrations.decide(world.staff, reg, True)
        reserve(actor, reg, [(world.first_day, world.units_peri[1])])
    return world


def _open(world, email=STAFF):
    at = page_as("pages/staff_attendance.py", email)
    at.date_input(key="att_day").set_value(world.first_day).run()
    return at


def _states() -> dict[int, str]:
    with read() as session:
        return dict(session.execute(select(Reservation.child_id, Reservation.state)).all())


def test_tick_one_absent_and_the_rest_present(built):
    at = _open(built)
    assert not at.exception
    assert "Léa DUPONT" in " ".join(s.label for s in at.segmented_control)
    lea = next(s for s in at.segmented_control if s.label.startswith("Léa"))
    lea.set_value("absent_justified")
    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.exception
    assert "Pointage enregistré (2 changement(s))" in texts(at)
    assert _states() == {built.lea: "absent_justified", built.zoe: "present"}
    at.run()
    (totals,) = [row for row in at.dataframe[0].value.to_dict("records")
                 if row["Unité"].endswith("MATIN AVEC REPAS")]
    assert (totals["Attendus"], totals["Présents"], totals["Justifiés"],
            totals["À pointer"]) == (2, 1, 1, 0)


def test_late_arrival_is_added_present(built):
    at = _open(built)
    at.selectbox(key="late_unit").select("APRES-MIDI").run()
    at.selectbox(key="late_child").select("Léa DUPONT")
    at.button(key="late_add").click().run()
    assert "ajouté(e) et marqué(e) présent(e)" in texts(at)


def test_late_arrival_on_a_full_unit_says_complet(built):
    from tests.world import add_child
    paul = add_child(built, built.family_b_id, "Paul", 10)
    reg = registrations.request_registration(built.family_b, paul, built.period_peri)
    registrations.decide(built.staff, reg, True)
    at = _open(built)
    at.selectbox(key="late_unit").select("MATIN AVEC REPAS").run()
    at.selectbox(key="late_child").select("Paul TEST")
    at.button(key="late_add").click().run()
    assert "Complet" in texts(at)


def test_wrong_roles(built):
    assert "n'est pas accessible" in texts(page_as("pages/staff_attendance.py", FAMILY))
    at = _open(built, GABRIEL)
    assert "Aucun enfant attendu" in texts(at)
