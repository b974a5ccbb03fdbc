"""Credit notes (avoirs) on issued invoices: an invoiced charge that gets cancelled (in
time, a justified absence, a place released) leaves its invoice as issued and is written
off by a credit note, issued in the cancellation's own transaction, one per invoice touched,
numbered in the same unbroken sequence as invoices (numbering.py).

The money a family gets back when what it paid is cancelled is kept apart (credits.py, a
Payment of method credit_note: what can be spent). When the cancelled charge was both paid
and invoiced, the family gets one document for it, this avoir: it says what was already paid
and is now credit on the account, the money's Payment names it (`notes_of`) and its PDF is
this one (receipts.receipt_pdf), so one cancelled day never shows as two avoirs."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Charge, CreditOrigin, Family, Invoice, InvoiceLine
from services import audit
from services.actor import SYSTEM
from services.billing import invoices, numbering
from services.billing.invoice_render import Heading, Row, credit_note_document
from services.billing.invoices import CREDIT_NOTE, child_names
from services.booking.rules import LOCAL


def credit_invoiced(session: Session, charges: list[Charge]) -> list[int]:
    """A credit note for each issued invoice some of these cancelled charges are on; ids."""
    by_invoice: dict[int, list[Charge]] = defaultdict(list)
    for charge in charges:
        if charge.invoice_id is not None and charge.cancelled_at is not None:
            by_invoice[charge.invoice_id].append(charge)
    at = invoices.now()
    return [_issue(session, session.get_one(Invoice, invoice_id), items, at).id
            for invoice_id, items in sorted(by_invoice.items())]


def _issue(session: Session, invoice: Invoice, charges: list[Charge],
           at: datetime) -> Invoice:
    family = session.get_one(Family, invoice.family_id)
    sequence, number = numbering.allocate(session, invoice.organisation_id,
                                          numbering.CREDIT_NOTE, at.astimezone(LOCAL).date())
    total = -sum(c.amount_cents for c in charges)
    note = Invoice(family_id=family.id, number=number, month=invoice.month, issued_at=at,
                   total_cents=total, kind=CREDIT_NOTE, organisation_id=invoice.organisation_id,
                   sequence=sequence, corrects_id=invoice.id)
    session.add(note)
    session.flush()
    names = child_names(session, charges)
    session.add_all(InvoiceLine(invoice_id=note.id, charge_id=c.id, day=c.day, label=c.label,
                                child=names.get(c.registration_id, ""),
                                amount_cents=-c.amount_cents) for c in charges)
    note.pdf = credit_note_document(Heading.of(session, family), number, invoice.number,
                                    [Row(c.label, -c.amount_cents) for c in charges], at,
                                    paid_cents=sum(c.paid_cents for c in charges))
    # Issued by the portal itself; who cancelled is in the cancellation's own entry.
    audit.record(session, SYSTEM, "issue_credit_note", "invoice", note.id, family_id=family.id,
                 number=number, corrects=invoice.number, cents=total)
    return note


def notes_of(session: Session, charge_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Charge id -> (id, number) of the avoir that wrote it off, for those invoiced."""
    ids = list(charge_ids)
    if not ids:
        return {}
    return {cid: (nid, number) for cid, nid, number in session.execute(
        select(InvoiceLine.charge_id, Invoice.id, Invoice.number)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(InvoiceLine.charge_id.in_(ids), Invoice.kind == CREDIT_NOTE))}


def note_of_payment(session: Session, payment_id: int) -> Invoice | None:
    """The avoir on an invoice that stands for this credit note (a paid and invoiced charge
    that was cancelled), if there is one."""
    return session.scalars(
        select(Invoice).join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .join(CreditOrigin, CreditOrigin.charge_id == InvoiceLine.charge_id)
        .where(CreditOrigin.payment_id == payment_id, Invoice.kind == CREDIT_NOTE)).first()
