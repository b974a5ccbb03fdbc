"""The grid's legend: every state of the tutorial's legend, each drawn distinctly."""
from __future__ import annotations

from datetime import date

import pytest

from services.booking.grid import Cell, CellState
from ui import grid as ui_grid

# The tutorial's legend (step 12), word for word, and the look that draws each.
TUTORIAL_LEGEND = {
    "Case libre": CellState.FREE,
    "Demande de réservation (cochée": ui_grid.DRAFT_ADD,
    "Demande de réservation envoyée": CellState.REQUESTED,
    "Demande de réservation en liste d'attente": CellState.WAITLISTED,
    "Présence (non modifiable)": CellState.PRESENT,
    "Réservation facilitée (non modifiable)": CellState.BY_STAFF,
    "Réservation validée": CellState.VALIDATED,
    "Demande d'annulation (cochée": ui_grid.DRAFT_CANCEL,
    "Demande d'annulation envoyée": CellState.CANCEL_REQUESTED,
    "Demande d'annulation (liste d'attente)": ui_grid.DRAFT_LEAVE,
    "Absence (non modifiable)": CellState.ABSENT,
    "Demande de réservation à annuler": ui_grid.DRAFT_WITHDRAW,
    "Réservation non modifiable": CellState.LOCKED,
    "Réservation en liste d'attente (non modifiable)": CellState.WAITLISTED_LOCKED,
}


def test_every_tutorial_legend_entry_has_its_own_look():
    for words, key in TUTORIAL_LEGEND.items():
        assert ui_grid.LOOKS[key].legend.startswith(words), (words, key)
    assert len(set(TUTORIAL_LEGEND.values())) == len(TUTORIAL_LEGEND)


def test_no_two_looks_are_drawn_alike_and_every_state_is_drawn():
    drawn = [(look.background, look.color, look.border, look.hatched)
             for look in ui_grid.LOOKS.values()]
    assert len(set(drawn)) == len(drawn)
    assert set(CellState) <= set(ui_grid.LOOKS)


@pytest.mark.parametrize("stored, ticked, shown", [
    (CellState.VALIDATED, True, ui_grid.DRAFT_CANCEL),
    (CellState.REQUESTED, True, ui_grid.DRAFT_WITHDRAW),
    (CellState.WAITLISTED, True, ui_grid.DRAFT_LEAVE),
    (CellState.WAITLISTED, False, CellState.WAITLISTED),
    (CellState.REQUESTED, False, CellState.REQUESTED),
])
def test_a_ticked_cancellation_shows_what_it_undoes(stored, ticked, shown):
    cell = Cell(date(2026, 12, 7), 1, stored, reservation_id=9, can_cancel=True)
    pending = {"add": set(), "cancel": {9} if ticked else set()}
    state = ui_grid.shown_state(cell, pending)
    assert state == shown
    assert ui_grid.long_label(cell, state, "MATIN").startswith("MATIN : ")


def test_a_day_that_cannot_be_booked_gives_its_reason_once():
    why = "Date limite de réservation dépassée (30/11 à 15:00)."
    cell = Cell(date(2026, 12, 1), 1, CellState.FREE, places_left=3, why_not=why)
    assert ui_grid.long_label(cell, ui_grid.UNAVAILABLE, "APRES-MIDI") == (
        f"APRES-MIDI : Non réservable — {why}")
    bare = Cell(date(2026, 12, 1), 1, CellState.FREE, places_left=3)
    assert "pas encore ouvertes" in ui_grid.long_label(bare, ui_grid.UNAVAILABLE, "APRES-MIDI")
