"""Invoices as accounting documents (issue #14): issued once per family and month, numbered in
the organisation's one unbroken sequence (numbering.py), frozen at issue.

Issuing copies the lines (child, label, day, amount) and keeps the PDF as it was drawn;
nothing alters them afterwards. Changes go elsewhere: a charge booked later in a month
already invoiced waits for the family's next invoice; an invoiced charge cancelled later gets
a credit note at once (credit_notes.py). A month without any charge has no invoice (no number
is spent on an empty document); a month not begun yet cannot be invoiced.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read
from db.models import Charge, Child, Family, Invoice, InvoiceLine, Registration
from services import audit
from services.actor import Actor
from services.billing import numbering
from services.billing.invoice_render import Heading, Row, invoice_document, month_name
from services.booking.rules import LOCAL
from services.errors import NotFound
from services.families.names import full_name
from services.payments import ledger
from services.staff import scope

INVOICE, CREDIT_NOTE = "invoice", "credit_note"


def now() -> datetime:
    """The issue time (tests move it into a month that has begun)."""
    return datetime.now(timezone.utc)


def may_issue(month: date) -> bool:
    """Whether the month has begun, so that its invoice can be issued."""
    return month.replace(day=1) <= now().astimezone(LOCAL).date().replace(day=1)


def month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class InvoiceView:
    """An issued document as listed on Mon compte and in the family's file."""

    invoice_id: int
    number: str
    kind: str  # "invoice" or "credit_note"
    month: date
    total_cents: int
    issued_at: datetime


def find_issued(session: Session, family_id: int, first: date) -> Invoice | None:
    """The family's invoice for the month starting on `first`, if issued."""
    return session.scalars(select(Invoice).where(
        Invoice.family_id == family_id, Invoice.month == first,
        Invoice.kind == INVOICE)).first()


def child_names(session: Session, charges: list[Charge]) -> dict[int, str]:
    """Child's name per registration of these charges."""
    rows = session.execute(select(Registration.id, Child.first_name, Child.last_name)
                           .join(Child, Child.id == Registration.child_id)
                           .where(Registration.id.in_({c.registration_id for c in charges})))
    return {reg: full_name(first, last) for reg, first, last in rows}


def _to_invoice(session: Session, family_id: int, first: date) -> list[Charge]:
    """Live charges not invoiced yet of the month, and those booked late in a month already
    invoiced; locked in id order (as cancellations lock them), then sorted by day."""
    invoiced = set(session.scalars(select(Invoice.month).where(
        Invoice.family_id == family_id, Invoice.kind == INVOICE)))
    found = session.scalars(select(Charge).where(
        Charge.family_id == family_id, Charge.cancelled_at.is_(None),
        Charge.invoice_id.is_(None), Charge.day <= month_end(first))
        .order_by(Charge.id).with_for_update())
    return sorted((c for c in found if c.day >= first or c.day.replace(day=1) in invoiced),
                  key=lambda c: (c.day, c.id))


def issue(session: Session, actor: Actor, family: Family, first: date) -> Invoice:
    """The family's invoice for the month, issued now if it was not: numbered, frozen."""
    charges = _to_invoice(session, family.id, first)  # waits for a concurrent issuer first
    existing = find_issued(session, family.id, first)
    if existing is not None:
        return existing
    if not charges:
        raise NotFound(f"Aucune prestation en {month_name(first)} : pas de facture.")
    at = now()
    sequence, number = numbering.allocate(session, family.organisation_id, numbering.INVOICE,
                                          at.astimezone(LOCAL).date())
    total = sum(c.amount_cents for c in charges)
    invoice = Invoice(family_id=family.id, number=number, month=first, issued_at=at,
                      total_cents=total, kind=INVOICE, organisation_id=family.organisation_id,
                      sequence=sequence)
    session.add(invoice)
    session.flush()
    names = child_names(session, charges)
    session.add_all(InvoiceLine(invoice_id=invoice.id, charge_id=c.id, day=c.day, label=c.label,
                                child=names.get(c.registration_id, ""),
                                amount_cents=c.amount_cents) for c in charges)
    for charge in charges:
        charge.invoice_id = invoice.id
    left = ledger.charge_balances(session, charges)
    invoice.pdf = invoice_document(
        Heading.of(session, family), number, first,
        [Row(c.label, c.amount_cents, c.due_on, left[c.id]) for c in charges], at)
    audit.record(session, actor, "issue_invoice", "invoice", invoice.id, family_id=family.id,
                 number=number, month=first, cents=total, lines=len(charges))
    return invoice


def list_invoices(actor: Actor, family_id: int | None = None) -> list[InvoiceView]:
    """The family's issued invoices and credit notes, latest first."""
    with read() as session:
        family_id = scope.family_of(session, actor, family_id)
        rows = session.execute(  # not the PDFs: they are read one at a time, when downloaded
            select(Invoice.id, Invoice.number, Invoice.kind, Invoice.month, Invoice.total_cents,
                   Invoice.issued_at).where(Invoice.family_id == family_id)
            .order_by(Invoice.sequence.desc())).all()
        return [InvoiceView(*row) for row in rows]


def issued_pdf(actor: Actor, invoice_id: int) -> bytes:
    """The PDF of an issued invoice or credit note, byte for byte as issued."""
    with read() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None or invoice.pdf is None:
            raise NotFound("Cette facture n'existe pas.")
        scope.family_of(session, actor, invoice.family_id)
        return invoice.pdf
