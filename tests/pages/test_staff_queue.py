"""AppTest of the validation queue page."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services import registrations
from services.booking.reserve import reserve
from tests.pages.apptest import page_as, texts

STAFF, GABRIEL, FAMILY = "accueil@test.example", "gabriel@test.example", "dupont@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def _requests(world):
    reg_peri = registrations.request_registration(world.family_a, world.lea, world.period_peri)
    reg_wed = registrations.request_registration(world.family_b, world.zoe, world.period_wed)
    registrations.decide(world.staff, reg_wed, True)
    reserve(world.family_b, reg_wed, [(world.first_day + timedelta(days=2), world.units_wed[0])])
    return reg_peri, reg_wed


def test_staff_validate_a_registration_and_a_booking_together(built):
    reg_peri, _ = _requests(built)
    at = page_as("pages/staff_queue.py", STAFF)
    assert not at.exception
    page = texts(at)
    assert "Léa DUPONT" in " ".join(c.label for c in at.checkbox)
    at.checkbox(key=f"pick_registration_{reg_peri}").check()
    booking = next(c for c in at.checkbox if c.key.startswith("pick_booking_"))
    booking.check()
    at.run()
    at.button[0].click().run()
    assert not at.exception
    page = texts(at)
    assert "Aucune demande en attente" in page
    assert "✓ Inscription" in page and "✓ Réservation" in page


def test_refusing_with_a_reason(built):
    reg_peri, _ = _requests(built)
    at = page_as("pages/staff_queue.py", STAFF)
    at.checkbox(key=f"pick_registration_{reg_peri}").check().run()
    at.text_input[0].input("Dossier incomplet")
    at.button[1].click().run()
    assert "Refusée" in texts(at)


def test_filters_by_site_and_kind(built):
    _requests(built)
    at = page_as("pages/staff_queue.py", STAFF)
    at.selectbox(key="queue_site").select("Saint Gabriel").run()
    labels = " ".join(c.label for c in at.checkbox)
    assert "Zoé DURAND" in labels and "Léa DUPONT" not in labels
    at.selectbox(key="queue_site").select("Tous").run()
    at.multiselect[0].unselect("Réservation").run()
    labels = " ".join(c.label for c in at.checkbox)
    assert "Léa DUPONT" in labels and "Zoé DURAND" not in labels


def test_saint_gabriel_staff_see_only_their_requests(built):
    _requests(built)
    at = page_as("pages/staff_queue.py", GABRIEL)
    labels = " ".join(c.label for c in at.checkbox)
    assert "Zoé DURAND" in labels and "Léa DUPONT" not in labels


def test_a_family_is_refused(built):
    at = page_as("pages/staff_queue.py", FAMILY)
    assert "n'est pas accessible" in texts(at) and not at.title
