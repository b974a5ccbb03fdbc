"""Corrections with a trail, made at the desk on a family's behalf: days cancelled or
withdrawn (the family's own cancellation, by staff, with a reason), and a desk payment
recorded by mistake reversed by a counter-entry (never deleted)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import (Charge, CreditOrigin, Payment, PaymentAllocation, Reservation,
                       Unit)
from db.states import PaymentMethod, PaymentState, ReservationState as R
from services import audit
from services.actor import Actor
from services.billing import credits
from services.booking.cancel import cancel
from services.booking.outcomes import Submission
from services.errors import Forbidden, InvalidInput, NotFound
from services.payments import ledger
from services.payments.desk import DESK_METHODS
from services.payments.receipts import METHODS_FR
from services.staff.scope import require_family, require_registration

STATES_FR = {R.REQUESTED.value: "demande envoyée", R.WAITLISTED.value: "liste d'attente",
             R.VALIDATED.value: "validée", R.CANCEL_REQUESTED.value: "annulation demandée"}
_DESK = {m.value for m in DESK_METHODS}


def _reason(reason: str) -> str:
    text = " ".join(reason.split())[:300]
    if not text:
        raise InvalidInput("Indiquez le motif de la correction : il est gardé au journal.")
    return text


def list_cancellable_days(actor: Actor, family_id: int, registration_id: int,
                          since: date) -> pd.DataFrame:
    """The registration's reservations from `since` that staff may still cancel."""
    with read() as session:
        require_family(session, actor, family_id)
        # The registration itself is checked too: a family in scope does not open another's.
        registration = require_registration(session, actor, registration_id)
        if registration.family_id != family_id:
            raise Forbidden()
        rows = session.execute(
            select(Reservation.id, Reservation.day, Unit.name, Reservation.state)
            .join(Unit, Unit.id == Reservation.unit_id)
            .where(Reservation.registration_id == registration_id, Reservation.day >= since,
                   Reservation.state.in_([R.REQUESTED.value, R.WAITLISTED.value,
                                          R.VALIDATED.value]))
            .order_by(Reservation.day, Unit.position, Unit.id)).all()
    return pd.DataFrame([{"id": i, "Jour": d, "Unité": u, "État": STATES_FR.get(s, s)}
                         for i, d, u, s in rows], columns=["id", "Jour", "Unité", "État"])


def cancel_for_family(actor: Actor, family_id: int, registration_id: int,
                      reservation_ids: list[int], reason: str) -> Submission:
    """Reception cancels (or withdraws from a waiting list) days for the family: the
    family's own cancellation, with its credit notes and promotions, even past the
    deadline; the reason is kept in the audit entry (source: back office)."""
    why = _reason(reason)
    with read() as session:
        require_family(session, actor, family_id)
    return cancel(actor, registration_id, reservation_ids, reason=why, family_id=family_id)


def _credited(session: Session, payment_id: int) -> dict[int, int]:
    """What the payment paid on each charge cancelled since (given back as credit notes)."""
    return {cid: int(cents) for cid, cents in session.execute(
        select(PaymentAllocation.charge_id, func.sum(PaymentAllocation.amount_cents))
        .join(Charge, Charge.id == PaymentAllocation.charge_id)
        .where(PaymentAllocation.payment_id == payment_id, Charge.cancelled_at.is_not(None))
        .group_by(PaymentAllocation.charge_id)).all() if cents}


def list_desk_payments(actor: Actor, family_id: int) -> pd.DataFrame:
    """The family's payments received at the desk, with their counter-entries."""
    with read() as session:
        require_family(session, actor, family_id)
        payments = list(session.scalars(select(Payment).where(
            Payment.family_id == family_id, Payment.method.in_(sorted(_DESK)),
            Payment.state == PaymentState.PAID.value).order_by(Payment.id)))
        reversed_by = {p.reverses_id: p.reference for p in payments if p.reverses_id}
        by_id = {p.id: p.reference for p in payments}
    rows = [{"Référence": p.reference, "Mode": METHODS_FR.get(p.method, p.method),
             "Montant": p.amount_cents, "Reçu le": p.paid_at,
             "Correction": (f"annule {by_id.get(p.reverses_id, '?')}" if p.reverses_id
                            else f"annulé par {reversed_by[p.id]}" if p.id in reversed_by
                            else ""), "Détail": p.bank_details} for p in payments]
    return pd.DataFrame(rows, columns=["Référence", "Mode", "Montant", "Reçu le", "Correction",
                                       "Détail"])


def reverse_desk_payment(actor: Actor, family_id: int, reference: str, reason: str,
                         now: datetime | None = None) -> str:
    """Reverse a desk payment recorded by mistake by a counter-entry of the opposite amount
    (its allocations undone, the charges due again); returns the counter-entry's reference."""
    why = _reason(reason)
    now = now or datetime.now(timezone.utc)
    with transaction() as session:
        require_family(session, actor, family_id)
        payment = session.scalar(select(Payment).where(
            Payment.reference == reference.strip(), Payment.family_id == family_id)
            .with_for_update())
        if payment is None or payment.method not in _DESK or payment.amount_cents <= 0 \
                or payment.state != PaymentState.PAID.value:
            raise NotFound("Ce règlement à l'accueil est introuvable pour cette famille.")
        if ledger.is_reversed(session, payment):
            raise InvalidInput("Ce règlement a déjà été annulé.")
        # What it paid on a charge cancelled since then came back as a credit note: that
        # credit is taken back too (a negative credit note on the same charge), if unspent.
        credited = _credited(session, payment.id)
        if sum(credited.values()) > credits.available_credit(session, family_id):
            raise InvalidInput("L'avoir né de ce règlement (prestation annulée depuis) a déjà "
                               "servi : ce règlement ne peut plus être annulé ici.")
        counter = ledger.reverse(session, payment, now, actor.user_id,
                                 f"Annule {payment.reference} – {why}")
        for charge_id, cents in credited.items():
            note = ledger.record_paid(session, family_id, PaymentMethod.CREDIT_NOTE.value, -cents,
                                      now, actor.user_id, f"Avoir repris : règlement "
                                      f"{payment.reference} annulé", prefix="AV")
            session.add(CreditOrigin(payment_id=note.id, charge_id=charge_id))
        audit.record(session, actor, "reverse_desk_payment", "payment", payment.id,
                     family_id=family_id, reference=payment.reference,
                     counter_entry=counter.reference, cents=payment.amount_cents, reason=why)
        return counter.reference

