"""Credit notes (avoirs).

Design: money a family has paid but that settles nothing is its credit. A credit note is
a Payment of method `credit_note`, state paid, whose amount is what had been allocated to a
charge that was then cancelled (a paid reservation cancelled in time, a justified absence,
a place released); a CreditOrigin row names that charge. The original allocations stay as
history, so the accounts still say the first payment settled that charge; the credit note
is new money the family can spend. A family's credit is the unallocated part of all its
paid payments (credit notes and any surplus of a card payment whose charges changed while
the family was at the bank). It is spent with `use_credit`, oldest money first.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.base import utcnow
from db.engine import transaction
from db.models import Charge, CreditOrigin, Payment, PaymentAllocation
from db.states import PaymentMethod, PaymentState
from services import audit, organisation
from services.actor import Actor
from services.errors import PortalError
from services.mail import outbox
from services.payments import ledger
from services.staff import scope


class NoCredit(PortalError):
    default_message = "Vous n'avez pas d'avoir disponible, ou rien à régler."


def credit_cancelled(session: Session, charge_ids: Iterable[int], now: datetime) -> list[int]:
    """Issue a credit note for what was paid on each cancelled charge; returns their ids."""
    ids = list(charge_ids)
    if not ids:
        return []
    paid = ledger.allocated_to_charges(session, ids)
    done = set(session.scalars(select(CreditOrigin.charge_id)
                               .where(CreditOrigin.charge_id.in_(ids))))
    notes = []
    for charge in session.scalars(select(Charge).where(Charge.id.in_(ids)).order_by(Charge.id)):
        amount = int(paid.get(charge.id, 0))
        if amount <= 0 or charge.id in done or charge.cancelled_at is None:
            continue
        note = ledger.record_paid(session, charge.family_id, PaymentMethod.CREDIT_NOTE.value,
                                  amount, now, None, f"Avoir : {charge.label}", prefix="AV")
        session.add(CreditOrigin(payment_id=note.id, charge_id=charge.id))
        outbox.queue(session, outbox.family_recipient(session, charge.family_id),
                     "Avoir sur votre compte",
                     f"Bonjour,\n\nLa prestation « {charge.label} » a été annulée alors qu'elle "
                     f"était déjà réglée. Un avoir n° {note.reference} de "
                     f"{ledger_euros(amount)} est disponible sur votre compte : il servira à "
                     "régler vos prochaines réservations (« Mon compte »).\n\n"
                     + organisation.signature(), family_id=charge.family_id)
        notes.append(note.id)
    session.flush()
    return notes


def ledger_euros(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d} €"


def available_credit(session: Session, family_id: int) -> int:
    """Unallocated money of the family's paid payments."""
    paid = session.scalar(select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
        Payment.family_id == family_id, Payment.state == PaymentState.PAID.value))
    used = session.scalar(
        select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0))
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(Payment.family_id == family_id, Payment.state == PaymentState.PAID.value))
    return int(paid or 0) - int(used or 0)


def use_credit(actor: Actor, registration_ids: list[int], family_id: int | None = None) -> int:
    """Spend the family's credit on the open charges of these registrations; returns cents."""
    with transaction() as session:
        family_id = scope.family_of(session, actor, family_id)
        for registration_id in registration_ids:  # staff: only their sites' registrations
            scope.require_registration(session, actor, registration_id)
        payments = list(session.scalars(select(Payment).where(
            Payment.family_id == family_id, Payment.state == PaymentState.PAID.value)
            .order_by(Payment.paid_at, Payment.id).with_for_update()))
        total = 0
        # The family's credit as a whole: a credit note taken back (a negative one, when the
        # payment behind it was reversed) cancels the free money of the one it takes back.
        budget = available_credit(session, family_id)
        for payment in payments:
            charges = ledger.open_charges(session, family_id, registration_ids)
            if not charges:
                break
            free = min(ledger.free_money(session, payment), budget - total)
            if free > 0:
                total += ledger.allocate(session, payment, ledger.plan(charges, free))
        if total <= 0:
            raise NoCredit()
        audit.record(session, actor, "use_credit", "family", family_id, cents=total,
                     registrations=registration_ids, at=utcnow())
        return total
