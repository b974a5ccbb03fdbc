"""The family dashboard's sentences: what is done and what is left, per registration."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from services.booking.rules import LOCAL
from services.families.overview import RegistrationSummary, WaitingCell
from tests.pages.apptest import shown
from ui.progress import next_steps

DAY = date(2026, 12, 7)  # a Monday


def summary(state: str = "validated", **kw) -> RegistrationSummary:  # type: ignore[no-untyped-def]
    return RegistrationSummary(1, "Les Chats Perchés", "PERI", "Péri 6/12 ans", DAY, DAY,
                               state, **kw)


@pytest.mark.parametrize("reg, said, not_said", [
    (summary("requested"), ["Demande envoyée", "ensuite vous pourrez réserver"], ["Il reste"]),
    (summary("refused", reason="Dossier incomplet"), ["Demande refusée : Dossier incomplet"],
     ["réserv"]),
    (summary(days_to_book=12), ["Il reste 12 jour(s) ouvert(s) sans réservation"],
     ["Rien à payer", "enregistrée"]),
    (summary(days_to_book=12, booking_opens_at=datetime(2026, 11, 2, 6, tzinfo=LOCAL)),
     ["Les réservations ouvrent le 02/11/2026 à 06:00 : 12 jour(s)"], ["Il reste"]),
    (summary(booked=3, amount_due_cents=650), ["3 réservation(s) enregistrée(s).",
                                               "Reste à payer : **6,50 €**"], ["Plus aucun"]),
    (summary(booked=3, cancel_asked=1), ["3 réservation(s) enregistrée(s), dont 1 avec une "
                                         "demande d'annulation", "Rien à payer"], []),
    # Requests waiting for reception are not counted as bookings as well.
    (summary(sent_to_staff=2), ["2 demande(s) de réservation en attente de l'accueil",
                                "Rien à payer"], ["enregistrée", "Plus aucun"]),
    (summary(waiting=[WaitingCell(DAY, "APRES-MIDI", 3)]),
     ["Liste d'attente : lundi 07/12/2026, APRES-MIDI – 3e en liste d'attente."], ["Plus aucun"]),
    (summary(), ["Plus aucun jour réservable sur cette période."], ["Rien à payer"]),
])
def test_next_steps_table(reg, said, not_said):
    text = shown("\n".join(next_steps(reg)))
    assert all(words in text for words in said), text
    assert not any(words in text for words in not_said), text


def test_a_long_waiting_list_is_summed_up():
    waiting = [WaitingCell(DAY, f"U{n}", n + 1) for n in range(7)]
    lines = next_steps(summary(waiting=waiting))
    assert "… et 2 autre(s) demande(s) en liste d'attente." in lines
