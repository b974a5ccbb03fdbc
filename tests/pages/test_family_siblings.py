"""AppTest of siblings booked together from the family grid, and of their group marker on
the staff waiting-list board (SQLite file)."""
from __future__ import annotations

import pytest

from services.booking.reserve import reserve
from tests.pages.apptest import page_as, texts
from tests.pages.test_family_pages import cell_key, click, press, registered
from tests.world import add_child

FAMILY, OTHER, STAFF = "dupont@test.example", "durand@test.example", "accueil@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def _small_slot_full(w, cell) -> None:  # type: ignore[no-untyped-def]
    """Two children of family B take both places of the 4/5 ans slot of the cell."""
    for n in range(2):
        child = add_child(w, w.family_b_id, f"Petit{n}", 4)
        reserve(w.family_b, registered(w, w.family_b, child, w.period_peri_small), [cell])


def _grid(w):  # type: ignore[no-untyped-def]
    at = page_as("pages/family_bookings.py", FAMILY)
    at.selectbox[1].set_value((w.first_day.year, w.first_day.month)).run()
    assert not at.exception
    return at


def test_one_child_in_the_activity_has_no_children_picker(built):
    w = built
    registered(w, w.family_a, w.lea, w.period_peri)
    at = _grid(w)
    assert not [m for m in at.multiselect if m.label == "Enfants"]
    assert not [c for c in at.checkbox if c.label == "Ensemble ou pas du tout"]


def test_two_siblings_ticked_together_wait_as_one_group(built):
    w = built
    lea = registered(w, w.family_a, w.lea, w.period_peri)
    tom = registered(w, w.family_a, w.tom, w.period_peri_small)
    cell = (w.first_day, w.units_peri[0])
    _small_slot_full(w, cell)
    at = _grid(w)
    picker = at.multiselect(key=f"siblings_{lea}")
    assert picker.value == [lea]  # the grid's child by default
    assert not [c for c in at.checkbox if c.label == "Ensemble ou pas du tout"]
    picker.set_value([lea, tom]).run()
    assert at.checkbox(key=f"together_{lea}").value is True
    click(at, cell_key("free", lea, *cell))
    press(at, "Valider")
    page = texts(at)
    assert "Résultat de votre demande pour Léa DUPONT" in page
    assert "Résultat de votre demande pour Tom DUPONT" in page
    assert page.count("1er en liste d'attente (groupe)") == 2
    # The desk sees them as one group on each board.
    board = page_as("pages/staff_waitlist.py", STAFF)
    board.date_input(key="wl_day").set_value(w.first_day).run()
    assert texts(board).count("groupe 1** (frères et sœurs réservés ensemble") == 2
    movers = [s for s in board.selectbox if s.label == "Changer l'ordre de"]
    assert len(movers) == 2 and all("changent de place ensemble" in s.help for s in movers)


def test_not_together_each_child_gets_what_is_free(built):
    w = built
    lea = registered(w, w.family_a, w.lea, w.period_peri)
    tom = registered(w, w.family_a, w.tom, w.period_peri_small)
    cell = (w.first_day, w.units_peri[1])
    _small_slot_full(w, cell)
    at = _grid(w)
    at.multiselect(key=f"siblings_{lea}").set_value([lea, tom]).run()
    at.checkbox(key=f"together_{lea}").uncheck().run()
    click(at, cell_key("free", lea, *cell))
    press(at, "Valider")
    page = texts(at)
    assert "réservation validée" in page and "1er en liste d'attente" in page
    assert "(groupe)" not in page
