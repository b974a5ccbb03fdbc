"""The cancellation and promotion path as it was before issue #17 (row by row through the
ORM), kept only as the reference the set-based one is compared with
(tests/services/test_cancel_equivalence.py). Not used by the portal."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import transaction, with_retry
from db.models import CapacitySlot, Charge, CreditOrigin, Period, Promotion, Registration, Reservation
from db.states import HOLDS_PLACE, PaymentMethod
from db.states import ReservationState as R
from services import audit, organisation
from services.actor import Actor
from services.billing.charges import create_charges
from services.billing.credits import ledger_euros
from services.booking import capacity, context
from services.booking.cancel import _ALREADY, _CANCELLABLE
from services.booking.notify import lines_by_family, mail_submission
from services.booking.outcomes import CellOutcome, Submission
from services.booking.rules import LOCAL, why_cannot_cancel
from services.errors import NotFound
from services.mail import recipients
from services.mail.pages import go_line
from services.payments import ledger


def cancel(actor: Actor, registration_id: int, reservation_ids: list[int],
           reason: str = "", family_id: int | None = None) -> Submission:
    ids = sorted(set(reservation_ids))
    return with_retry(lambda: _cancel_once(actor, registration_id, ids, reason, family_id))


def _decide(actor, ctx, r, now, freed, left_queue, cancelled) -> CellOutcome:  # type: ignore[no-untyped-def]
    name = ctx.units[r.unit_id]
    reason = None if actor.is_staff else why_cannot_cancel(ctx.window, r.day, now)
    if r.state in _ALREADY:
        return CellOutcome(r.day, r.unit_id, name, _ALREADY[r.state])
    if r.state not in _CANCELLABLE:
        return CellOutcome(r.day, r.unit_id, name, "rejected",
                           reason="cette case ne peut plus être annulée")
    if r.by_staff and not actor.is_staff:
        return CellOutcome(r.day, r.unit_id, name, "rejected",
                           reason="réservation faite par l'accueil : "
                                  "contactez l'accueil pour l'annuler")
    if reason:
        return CellOutcome(r.day, r.unit_id, name, "rejected", reason=reason)
    if r.state == R.VALIDATED and not ctx.period.auto_validate and not actor.is_staff:
        r.state = R.CANCEL_REQUESTED.value
        return CellOutcome(r.day, r.unit_id, name, "cancel_requested")
    if r.state in HOLDS_PLACE:
        freed[r.slot_id] += 1
    elif r.state == R.WAITLISTED:
        left_queue[r.slot_id] -= 1
    r.state = R.CANCELLED.value
    r.decided_at = now
    r.queue_rank = None
    cancelled.append(r.id)
    return CellOutcome(r.day, r.unit_id, name, "cancelled")


def _cancel_once(actor: Actor, registration_id: int, ids: list[int], why: str,
                 family_id: int | None) -> Submission:
    with transaction() as session:
        ctx = context.load(session, actor, registration_id)
        if family_id is not None and ctx.family_id != family_id:
            raise NotFound("Cette inscription n'est pas celle de cette famille.")
        rows = list(session.scalars(select(Reservation).where(
            Reservation.id.in_(ids), Reservation.registration_id == ctx.registration_id)))
        if len(rows) != len(ids):
            raise NotFound("Certaines réservations n'existent pas ou ne sont pas les vôtres.")
        capacity.lock_slots(session, [r.slot_id for r in rows])
        now = capacity.db_now(session)
        for r in rows:
            session.refresh(r)
        freed: Counter[int] = Counter()
        left_queue: Counter[int] = Counter()
        cancelled: list[int] = []
        outcomes = [_decide(actor, ctx, r, now, freed, left_queue, cancelled) for r in rows]
        cancel_charges(session, cancelled, now)
        capacity.free_places(session, dict(freed))
        capacity.join_queue(session, dict(left_queue))
        session.flush()
        promoted = promote_and_notify(session, freed, now)
        submission = Submission(ctx.registration_id, ctx.child_name,
                                sorted(outcomes, key=lambda c: (c.day, c.unit_id)))
        audit.record(session, actor, "cancel", "registration", ctx.registration_id,
                     cells=[(c.day.isoformat(), c.unit_id, c.outcome) for c in submission.cells],
                     promoted=[r.id for r in promoted], family_id=ctx.family_id,
                     **({"reason": why} if why else {}))
        mail_submission(session, ctx, submission)
        return submission


def promote_and_notify(session: Session, slot_ids: Iterable[int], now: datetime,
                       limit: int | None = None) -> list[Reservation]:
    promoted = promote(session, slot_ids, now, limit)
    create_charges(session, [r for r in promoted if r.state == R.VALIDATED.value],
                   now.astimezone(LOCAL).date())
    mail_promoted(session, promoted)
    return promoted


def promote(session: Session, slot_ids: Iterable[int], now: datetime,
            limit: int | None = None) -> list[Reservation]:
    promoted: list[Reservation] = []
    for slot_id in sorted(set(slot_ids)):
        places, booked = session.execute(
            select(CapacitySlot.places, CapacitySlot.booked).where(CapacitySlot.id == slot_id)).one()
        free = places - booked
        if free <= 0:
            continue
        heads = capacity.queue(session, slot_id)[:free if limit is None else min(free, limit)]
        modes = dict(session.execute(
            select(Registration.id, Period.auto_validate)
            .join(Period, Period.id == Registration.period_id)
            .where(Registration.id.in_({r.registration_id for r in heads}))).all())
        for reservation in heads:
            validated = modes.get(reservation.registration_id, True)
            reservation.state = (R.VALIDATED if validated else R.REQUESTED).value
            reservation.decided_at = now if validated else None
            reservation.queue_rank = None
            promoted.append(reservation)
            session.add(Promotion(reservation_id=reservation.id, slot_id=slot_id,
                                  requested_at=reservation.requested_at, promoted_at=now,
                                  state=reservation.state))
        if heads:
            capacity.take_places(session, {slot_id: len(heads)}, from_queue=True)
    session.flush()
    return promoted


def mail_promoted(session: Session, promoted: list[Reservation]) -> None:
    if not promoted:
        return
    by_family = lines_by_family(
        session, promoted, lambda r: "réservation validée" if r.state == "validated"
        else "demande envoyée à l'accueil pour validation")
    for fam, lines in by_family.items():
        body = "\n".join(["Bonjour,", "", "Une place s'est libérée : votre demande en liste "
                          "d'attente a obtenu une place.", "", *lines, "",
                          go_line("bookings", "Vos réservations"), "",
                          organisation.signature()])
        recipients.queue_family(session, fam, "booking",
                                "Une place s'est libérée pour votre enfant", body)


def cancel_charges(session: Session, reservation_ids: Iterable[int], now: datetime) -> int:
    ids = list(reservation_ids)
    if not ids:
        return 0
    charges = list(session.scalars(select(Charge).where(
        Charge.reservation_id.in_(ids), Charge.cancelled_at.is_(None))
        .order_by(Charge.id).with_for_update()))
    for charge in charges:
        charge.cancelled_at = now
    session.flush()
    credit_cancelled(session, [c.id for c in charges], now)
    return len(charges)


def credit_cancelled(session: Session, charge_ids: Iterable[int], now: datetime) -> list[int]:
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
        recipients.queue_family(session, charge.family_id, "payment",
                     "Avoir sur votre compte",
                     f"Bonjour,\n\nLa prestation « {charge.label} » a été annulée alors qu'elle "
                     f"était déjà réglée. Un avoir n° {note.reference} de "
                     f"{ledger_euros(amount)} est disponible sur votre compte : il servira à "
                     "régler vos prochaines réservations (« Mon compte »).\n\n"
                     + go_line("account") + "\n\n"
                     + organisation.signature())
        notes.append(note.id)
    session.flush()
    return notes
