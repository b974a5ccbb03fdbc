"""The ledger's arithmetic, inside the caller's transaction: balances of charges, a
payment's free money, allocation. Integer cents only.

Invariants (checked by tests/services/test_money_properties.py):
- an allocation never exceeds its charge's balance nor its payment's free money;
- a family's credit is the part of its paid payments not allocated yet;
- money received = allocations to live charges + credit;
- a charge's paid_cents is the sum of its allocations (written here, nowhere else);
- a payment reversed by mistake keeps its row and its allocations; its counter-entry has
  the opposite amount and undoes each allocation with a negative one (`reverse`), so the
  pair weighs nothing and neither has free money.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Charge, Payment, PaymentAllocation
from db.states import PaymentState

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(prefix: str = "P") -> str:
    """A unique-enough reference the bank accepts: [A-Z0-9], 12 characters."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(12 - len(prefix)))


def allocated_to_charges(session: Session, charge_ids: Iterable[int]) -> dict[int, int]:
    ids = list(charge_ids)
    if not ids:
        return {}
    return dict(session.execute(
        select(PaymentAllocation.charge_id, func.sum(PaymentAllocation.amount_cents))
        .where(PaymentAllocation.charge_id.in_(ids)).group_by(PaymentAllocation.charge_id)).all())


def charge_balances(session: Session, charges: Iterable[Charge]) -> dict[int, int]:
    """What is left to pay on each live charge given."""
    items = [c for c in charges if c.cancelled_at is None]
    paid = allocated_to_charges(session, [c.id for c in items])
    return {c.id: c.amount_cents - int(paid.get(c.id, 0)) for c in items}


def free_money(session: Session, payment: Payment) -> int:
    """The part of a paid payment not allocated yet (0 for a payment not paid)."""
    if payment.state != PaymentState.PAID.value or is_reversed(session, payment):
        return 0
    used = session.scalar(select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0))
                          .where(PaymentAllocation.payment_id == payment.id))
    return payment.amount_cents - int(used or 0)


def allocate(session: Session, payment: Payment, wanted: list[tuple[int, int]]) -> int:
    """Allocate a paid payment to (charge id, cents) in order, each capped by the charge's
    balance (a cancelled charge takes nothing) and the payment's free money; returns cents
    allocated. What does not fit stays free: it is the family's credit."""
    free = free_money(session, payment)
    total = 0
    charges = {c.id: c for c in session.scalars(
        select(Charge).where(Charge.id.in_([cid for cid, _ in wanted]),
                             Charge.family_id == payment.family_id).with_for_update())}
    balances = charge_balances(session, charges.values())
    for charge_id, cents in wanted:
        amount = min(cents, balances.get(charge_id, 0), free)
        if amount <= 0:
            continue
        session.add(PaymentAllocation(payment_id=payment.id, charge_id=charge_id,
                                      amount_cents=amount))
        charges[charge_id].paid_cents += amount  # locked above: the reports' copy of the sum
        balances[charge_id] -= amount
        free -= amount
        total += amount
    session.flush()
    return total


def open_charges(session: Session, family_id: int,
                 registration_ids: Iterable[int] | None = None) -> list[tuple[Charge, int]]:
    """Live charges with something left to pay, oldest due first, with that balance."""
    query = select(Charge).where(Charge.family_id == family_id, Charge.cancelled_at.is_(None))
    if registration_ids is not None:
        query = query.where(Charge.registration_id.in_(list(registration_ids)))
    charges = list(session.scalars(query.order_by(Charge.due_on, Charge.day, Charge.id)))
    balances = charge_balances(session, charges)
    return [(c, balances[c.id]) for c in charges if balances[c.id] > 0]


def plan(charges: list[tuple[Charge, int]], amount: int) -> list[tuple[int, int]]:
    """Spread `amount` over charges in the order given (oldest first)."""
    out: list[tuple[int, int]] = []
    for charge, balance in charges:
        if amount <= 0:
            break
        part = min(balance, amount)
        out.append((charge.id, part))
        amount -= part
    return out


def record_paid(session: Session, family_id: int, method: str, amount: int, now: datetime,
                recorded_by: int | None, details: str = "", prefix: str = "P") -> Payment:
    """A payment already received (desk payment or credit note)."""
    payment = Payment(family_id=family_id, reference=new_reference(prefix), method=method,
                      state=PaymentState.PAID.value, amount_cents=amount, created_at=now,
                      paid_at=now, recorded_by=recorded_by, bank_details=details)
    session.add(payment)
    session.flush()
    return payment


def is_reversed(session: Session, payment: Payment) -> bool:
    """A counter-entry, or a payment that has one."""
    return payment.reverses_id is not None or session.scalar(
        select(Payment.id).where(Payment.reverses_id == payment.id)) is not None


def reverse(session: Session, payment: Payment, now: datetime, recorded_by: int | None,
            details: str) -> Payment:
    """The counter-entry of a paid payment: the opposite amount, and each of its
    allocations undone by a negative allocation (the charges' paid_cents follow)."""
    parts = dict(session.execute(
        select(PaymentAllocation.charge_id, func.sum(PaymentAllocation.amount_cents))
        .where(PaymentAllocation.payment_id == payment.id)
        .group_by(PaymentAllocation.charge_id)).all())
    counter = Payment(family_id=payment.family_id, reference=new_reference("R"),
                      method=payment.method, state=PaymentState.PAID.value,
                      amount_cents=-payment.amount_cents, created_at=now, paid_at=now,
                      recorded_by=recorded_by, bank_details=details, reverses_id=payment.id)
    session.add(counter)
    session.flush()
    charges = session.scalars(select(Charge).where(Charge.id.in_(list(parts)))
                              .order_by(Charge.id).with_for_update())
    for charge in charges:
        cents = int(parts[charge.id])
        if cents:
            session.add(PaymentAllocation(payment_id=counter.id, charge_id=charge.id,
                                          amount_cents=-cents))
            charge.paid_cents -= cents
    session.flush()
    return counter
