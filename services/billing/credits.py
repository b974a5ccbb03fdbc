"""Cancelled charges and the credit notes (avoirs) they give back.

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

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from db.base import utcnow
from db.bulk import insert_rows
from db.engine import transaction
from db.models import Charge, CreditOrigin, Family, Payment, PaymentAllocation
from db.states import PaymentMethod, PaymentState
from services import audit, organisation
from services.actor import Actor
from services.billing.credit_notes import credit_invoiced, notes_of
from services.errors import PortalError
from services.mail import outbox, recipients
from services.mail.pages import go_line
from services.payments import ledger
from services.staff import scope


class NoCredit(PortalError):
    default_message = "Vous n'avez pas d'avoir disponible, ou rien à régler."


def cancel_charges(session: Session, reservation_ids: Iterable[int], now: datetime) -> int:
    """Cancel the live charges of these reservations, giving back as a credit note what was
    already paid on them; returns how many charges were cancelled.

    One UPDATE whatever their number; the charges are locked in id order by its subquery
    (the order a payment locks them in), and credit notes are looked for only when the
    UPDATE says some money had been allocated to them."""
    ids = list(reservation_ids)
    if not ids:
        return 0
    live = (select(Charge.id).where(Charge.reservation_id.in_(ids), Charge.cancelled_at.is_(None))
            .order_by(Charge.id).with_for_update())
    done = session.execute(update(Charge).where(Charge.id.in_(live.scalar_subquery()))
                           .values(cancelled_at=now)
                           .returning(Charge.id, Charge.paid_cents, Charge.invoice_id),
                           execution_options={"synchronize_session": False}).all()
    settle_cancelled(session, [tuple(row) for row in done], now)
    return len(done)


def settle_cancelled(session: Session, done: list[tuple[int, int, int | None]],
                     now: datetime) -> None:
    """After charges were cancelled (id, paid cents, invoice id of each): what was paid goes
    back as credit notes, what was invoiced is cancelled by an avoir."""
    expire(session, Charge, [cid for cid, _, _ in done])
    invoiced = sorted(cid for cid, _, invoice in done if invoice is not None)
    if invoiced:  # an issued invoice stays as it is: what it billed is cancelled by an avoir
        credit_invoiced(session, list(session.scalars(
            select(Charge).where(Charge.id.in_(invoiced)).order_by(Charge.id))))
    if any(paid for _, paid, _ in done):  # after the avoirs, which the money then names
        credit_cancelled(session, sorted(cid for cid, _, _ in done), now)


def expire(session: Session, model: type, ids: Iterable[int]) -> None:
    """Forget what the session holds of rows a bulk statement just changed."""
    wanted = set(ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model) and getattr(obj, "id", None) in wanted:
            session.expire(obj)


def credit_cancelled(session: Session, charge_ids: Iterable[int], now: datetime) -> list[int]:
    """Issue a credit note for what was paid on each cancelled charge; returns their ids.

    Set-based: one query for what was paid on which charge and who to tell, then the credit
    notes, their origins and their mails each in one INSERT, in the charges' id order."""
    ids = list(charge_ids)
    if not ids:
        return []
    paid = (select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0))
            .where(PaymentAllocation.charge_id == Charge.id).scalar_subquery())
    owed = [row for row in session.execute(
        select(Charge.id, Charge.family_id, Charge.label, Family.email, paid)
        .join(Family, Family.id == Charge.family_id)
        .where(Charge.id.in_(ids), Charge.cancelled_at.is_not(None),
               ~exists().where(CreditOrigin.charge_id == Charge.id))
        .order_by(Charge.id)).all() if row[4] > 0]
    if not owed:
        return []
    notes = [ledger.new_reference("AV") for _ in owed]
    # A charge that was invoiced already has its avoir (credit_notes.py, in the invoices'
    # numbering): the money names that one, so the family gets one avoir for the day.
    invoiced = {cid: number for cid, (_, number) in notes_of(session, [r[0] for r in owed]).items()}
    shown = [invoiced.get(cid, ref) for ref, (cid, *_) in zip(notes, owed)]
    made = dict(insert_rows(session, Payment, [
        dict(family_id=fam, reference=ref, method=PaymentMethod.CREDIT_NOTE.value,
             state=PaymentState.PAID.value, amount_cents=int(amount), created_at=now,
             paid_at=now, recorded_by=None,
             bank_details=f"Avoir n° {number} : {label}" if cid in invoiced else f"Avoir : {label}")
        for ref, number, (cid, fam, label, _, amount) in zip(notes, shown, owed)],
        returning=(Payment.reference, Payment.id)))  # type: ignore[arg-type]
    insert_rows(session, CreditOrigin, [dict(payment_id=made[ref], charge_id=cid)
                                        for ref, (cid, *_) in zip(notes, owed)])
    outbox.queue_many(session, recipients.expand(session, [
        (email or "", "Avoir sur votre compte",
         f"Bonjour,\n\nLa prestation « {label} » a été annulée alors qu'elle "
         f"était déjà réglée. {_given_back(number, int(amount), cid in invoiced)} : il "
         "servira à régler vos prochaines réservations (« Mon compte »).\n\n"
         + go_line("account") + "\n\n" + organisation.signature(), fam)
        for number, (cid, fam, label, email, amount) in zip(shown, owed)], "payment"),
        kind="payment")
    return [made[ref] for ref in notes]


def _given_back(number: str, cents: int, invoiced: bool) -> str:
    if invoiced:  # the avoir on the invoice may cover other days of it too
        return (f"Les {ledger_euros(cents)} réglés sont disponibles sur votre compte, au titre "
                f"de l'avoir n° {number} sur votre facture")
    return f"Un avoir n° {number} de {ledger_euros(cents)} est disponible sur votre compte"


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
