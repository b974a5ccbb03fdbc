"""What a submission did, cell by cell, and the confirmation mail that says so."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from services import organisation
from services.mail.dates import day_words
from services.mail.pages import go_line


WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

OUTCOME_LABELS = {
    "validated": "réservation validée",
    "requested": "demande envoyée, en attente de validation par l'accueil",
    "waitlisted": "en liste d'attente",
    "cancelled": "annulée",
    "cancel_requested": "demande d'annulation envoyée à l'accueil",
    "rejected": "refusée",
    "unchanged": "déjà enregistrée",
    "already_cancelled": "déjà annulée",
    "already_cancel_requested": "demande d'annulation déjà envoyée à l'accueil",
}


@dataclass(frozen=True)
class CellOutcome:
    day: date
    unit_id: int
    unit_name: str
    outcome: str  # a key of OUTCOME_LABELS
    position: int | None = None  # place in the waiting list
    reason: str = ""
    grouped: bool = False  # waiting with siblings booked « ensemble ou pas du tout »

    def describe(self) -> str:
        label = OUTCOME_LABELS[self.outcome]
        if self.outcome == "waitlisted" and self.position:
            label = f"{ordinal(self.position)} en liste d'attente"
        if self.outcome == "waitlisted" and self.grouped:
            label = f"{label} (groupe)"
        if self.reason:
            label = f"{label} : {self.reason}"
        return label


@dataclass(frozen=True)
class Submission:
    registration_id: int
    child_name: str
    cells: list[CellOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for c in self.cells if c.outcome == outcome)


def ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def day_label(day: date) -> str:
    return f"{WEEKDAYS_FR[day.weekday()]} {day:%d/%m/%Y}"


def confirmation_body(submission: Submission, activity: str, period: str) -> str:
    """Plain-text confirmation listing every date and unit with its outcome."""
    cells = sorted(submission.cells, key=lambda c: (c.day, c.unit_name))
    return "\n".join([confirmation_head(submission.child_name, activity, period),
                      *(confirmation_line(c) for c in cells),
                      confirmation_tail(any(c.grouped for c in submission.cells))])


def confirmation_head(child_name: str, activity: str, period: str) -> str:
    """The confirmation's lines before its cells (one per cell, then confirmation_tail)."""
    return "\n".join(["Bonjour,", "", f"Voici le résultat de votre demande pour {child_name} "
                      f"({activity} – {period}) :", ""])


def confirmation_line(cell: CellOutcome) -> str:
    return f"- {day_words(cell.day)}, {cell.unit_name} : {cell.describe()}"


def confirmation_tail(grouped: bool = False) -> str:
    return "\n".join(["", "Les places en liste d'attente vous sont attribuées automatiquement "
                      "dès qu'une place se libère, dans l'ordre d'arrivée des demandes ; vous "
                      "recevez alors un mail.",
                      *(["Les enfants en liste d'attente « ensemble » (groupe) obtiennent leurs "
                         "places en même temps, quand il y en a une pour chacun."]
                        if grouped else []),
                      "", go_line("bookings", "Vos réservations"), "", organisation.signature()])
