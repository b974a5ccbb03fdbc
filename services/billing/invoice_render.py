"""The PDFs of issued invoices and credit notes, drawn once, at issue, from the frozen lines.

fpdf stamps a creation date (and a file id hashed from it) into every file: it is set to the
issue time, so that the same frozen document always gives the same bytes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from db.models import Family, Organisation
from services import organisation
from services.billing.pdf import Document, euros
from services.booking.rules import LOCAL

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]


def month_name(first: date) -> str:
    """'décembre 2026'."""
    return f"{MONTHS_FR[first.month - 1]} {first.year}"


@dataclass(frozen=True)
class Heading:
    """Who issues the document to whom, as it stands at issue."""

    organisation: str
    letterhead: str
    place: str
    family: str

    @classmethod
    def of(cls, session: Session, family: Family) -> Heading:
        org = session.get(Organisation, family.organisation_id)
        assert org is not None
        profile = organisation.profile_of(org)
        return cls(profile.name, profile.letterhead, profile.city,
                   f"Famille {family.name}\n{family.address}\n{family.postal_code} {family.city}")


@dataclass(frozen=True)
class Row:
    """A printed line: label, due date (invoices only), amount, left to pay at issue."""

    label: str
    amount_cents: int
    due_on: date | None = None
    left_cents: int = 0


def _document(heading: Heading, title: str, issued_at: datetime) -> Document:
    doc = Document(heading.organisation, heading.letterhead, title)
    doc.set_creation_date(issued_at)
    doc.para(heading.family)
    return doc


def _signed(doc: Document, heading: Heading, issued_at: datetime) -> bytes:
    doc.signature(heading.place, issued_at.astimezone(LOCAL).date())
    return doc.render()


def invoice_document(heading: Heading, number: str, month: date, rows: list[Row],
                     issued_at: datetime) -> bytes:
    """Facture: the month's charges (and any booked late in a month invoiced before)."""
    doc = _document(heading, f"Facture n° {number} – {month_name(month)}", issued_at)
    doc.rows_table(["Prestation", "Échéance", "Montant", "Reste dû"],
                   [[r.label, f"{r.due_on:%d/%m/%Y}" if r.due_on else "",
                     euros(r.amount_cents), euros(r.left_cents)] for r in rows],
                   [100, 25, 25, 30])
    total, left = sum(r.amount_cents for r in rows), sum(r.left_cents for r in rows)
    day = issued_at.astimezone(LOCAL).date()
    doc.para(f"Total du mois : {euros(total)} – déjà réglé : {euros(total - left)} – "
             f"reste à payer : {euros(left)} (au {day:%d/%m/%Y})", bold=True)
    doc.para("Facture émise le jour de sa première demande ; une prestation réservée ou "
             "annulée ensuite figure sur une facture ou un avoir suivant.", size=8)
    return _signed(doc, heading, issued_at)


def credit_note_document(heading: Heading, number: str, corrects: str, rows: list[Row],
                         issued_at: datetime, paid_cents: int = 0) -> bytes:
    """Avoir: charges of an issued invoice cancelled since, with negative amounts, and what
    had already been paid on them, now credit on the family's account."""
    doc = _document(heading, f"Avoir n° {number} – sur la facture n° {corrects}", issued_at)
    doc.rows_table(["Prestation annulée", "Montant"],
                   [[r.label, euros(r.amount_cents)] for r in rows], [150, 30])
    doc.para(f"Total de l'avoir : {euros(sum(r.amount_cents for r in rows))}", bold=True)
    if paid_cents:
        doc.para(f"Déjà réglé sur ces prestations : {euros(paid_cents)}, rendu en avoir "
                 "disponible sur votre compte ; il servira à régler vos prochaines "
                 "réservations (« Mon compte »).")
    return _signed(doc, heading, issued_at)
