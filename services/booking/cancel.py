"""Cancelling cells: within the deadline, or as a request to staff; a freed place goes
at once to the head of that cell's waiting list.

Set-based (issue #17, bench/bench_cancellations.py measures it): one statement locks the
slots, one reads the cells and the clock, one UPDATE per new state, then the charges,
the places and the promotions of every freed slot each in a bounded number of
statements, whatever the number of cells and the length of the queues.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session

from db.engine import transaction, with_retry
from db.models import CapacitySlot, Reservation
from db.states import HOLDS_PLACE
from db.states import ReservationState as R
from services import audit
from services.actor import Actor
from services.billing.credits import cancel_charges
from services.booking import cancel_step, capacity, context, groups, queue
from services.booking.context import BookingContext
from services.booking.errors import NothingToSubmit
from services.booking.notify import submission_mail
from services.booking.outcomes import CellOutcome, Submission
from services.booking.promotion import promote_and_notify
from services.booking.rules import why_cannot_cancel
from services.errors import NotFound

_CANCELLABLE = (R.REQUESTED, R.WAITLISTED, R.VALIDATED)
_ALREADY = {R.CANCELLED: "already_cancelled", R.CANCEL_REQUESTED: "already_cancel_requested"}
NOT_CANCELLABLE = "cette case ne peut plus être annulée"
# Réservation facilitée: booked by reception, changed only by reception.
BY_RECEPTION = "réservation faite par l'accueil : contactez l'accueil pour l'annuler"
NOT_YOURS = "Certaines réservations n'existent pas ou ne sont pas les vôtres."


def cancel(actor: Actor, registration_id: int, reservation_ids: list[int],
           reason: str = "", family_id: int | None = None) -> Submission:
    """Cancel reservations of one registration; staff may cancel past the deadline (the
    reception desk, on the family's behalf, gives a reason kept in the audit entry)."""
    ids = sorted(set(reservation_ids))
    if not ids:
        raise NothingToSubmit()
    if queue.active():  # cancellations take the same queue as bookings, in the same order
        done = queue.submission(queue.submit(actor, "cancel", {
            "registration": registration_id, "ids": ids, "reason": reason, "family": family_id}))
        if done is not None:
            return done
    return with_retry(lambda: _cancel_once(actor, registration_id, ids, reason, family_id))


def _cells(registration_id: int, ids: list[int]):  # type: ignore[no-untyped-def]
    return (Reservation.id.in_(ids), Reservation.registration_id == registration_id)


def _lock_and_read(session: Session, registration_id: int,
                   ids: list[int]) -> tuple[datetime, list[Row[Any]]]:
    """Lock the cells' slots in id order (one statement), then read the cells as the
    previous lock holder left them, with the database clock (one statement)."""
    slots = select(Reservation.slot_id).where(*_cells(registration_id, ids))
    session.execute(select(CapacitySlot.id).where(CapacitySlot.id.in_(slots))
                    .order_by(CapacitySlot.id).with_for_update())
    postgres = session.get_bind().dialect.name == "postgresql"
    clock = select(func.clock_timestamp()).scalar_subquery() if postgres else func.current_timestamp()
    rows = session.execute(select(Reservation.id, Reservation.slot_id, Reservation.unit_id,
                                  Reservation.day, Reservation.state, Reservation.by_staff, clock,
                                  Reservation.group_id)
                           .where(*_cells(registration_id, ids))).all()
    if len(rows) != len(ids):
        raise NotFound(NOT_YOURS)
    now = rows[0][6].astimezone(timezone.utc) if postgres else datetime.now(timezone.utc)
    return now, rows


def _judge(actor: Actor, ctx: BookingContext, r: Row[Any], now: datetime) -> CellOutcome:
    """What becomes of one cell (its outcome names its new state, if any)."""
    name = ctx.units[r.unit_id]
    reason = None if actor.is_staff else why_cannot_cancel(ctx.window, r.day, now)
    if r.state in _ALREADY:
        # A second tab, or a grid left open, asks again: say it is done, not refused.
        return CellOutcome(r.day, r.unit_id, name, _ALREADY[r.state])
    if r.state not in _CANCELLABLE:
        return CellOutcome(r.day, r.unit_id, name, "rejected", reason=NOT_CANCELLABLE)
    if r.by_staff and not actor.is_staff:
        return CellOutcome(r.day, r.unit_id, name, "rejected", reason=BY_RECEPTION)
    if reason:
        # Past the deadline a request on a waiting list is not the family's to change
        # either (domain.md: "Réservation en liste d'attente (non modifiable)"): it
        # could be promoted at any moment, and then no longer be cancelled.
        return CellOutcome(r.day, r.unit_id, name, "rejected", reason=reason)
    if r.state == R.VALIDATED and not ctx.period.auto_validate and not actor.is_staff:
        # Where staff validate bookings, they also validate cancellations.
        return CellOutcome(r.day, r.unit_id, name, "cancel_requested")
    return CellOutcome(r.day, r.unit_id, name, "cancelled")


def _cancel_once(actor: Actor, registration_id: int, ids: list[int], why: str,
                 family_id: int | None) -> Submission:
    with transaction() as session:
        return cancel_in(session, actor, registration_id, ids, why, family_id, commit=True)


def cancel_in(session: Session, actor: Actor, registration_id: int, ids: list[int], why: str,
              family_id: int | None, now: datetime | None = None,
              commit: bool = False) -> Submission:
    """The cancellation inside `session`'s transaction (the applier's batch, or its own),
    judged at `now` (the queue: the request's arrival), else the clock under the locks.
    `commit`: the transaction is the cancellation's own, and PostgreSQL's step may end it
    with its last writes."""
    ctx = context.load(session, actor, registration_id)
    if family_id is not None and ctx.family_id != family_id:
        raise NotFound("Cette inscription n'est pas celle de cette famille.")
    if cancel_step.ENABLED and session.get_bind().dialect.name == "postgresql":
        done = cancel_step.cancel(session, actor, ctx, ids, why, now,
                                  (NOT_CANCELLABLE, BY_RECEPTION, NOT_YOURS), commit)
        if done is not None:
            return done
    clock, rows = _lock_and_read(session, ctx.registration_id, ids)
    now = now or clock
    outcomes = {r.id: _judge(actor, ctx, r, now) for r in rows}
    asked = [rid for rid, c in outcomes.items() if c.outcome == "cancel_requested"]
    cancelled = [r for r in rows if outcomes[r.id].outcome == "cancelled"]
    freed = Counter(r.slot_id for r in cancelled if r.state in HOLDS_PLACE)
    left = Counter(r.slot_id for r in cancelled if r.state == R.WAITLISTED)
    _set_states(session, asked, [r.id for r in cancelled], now)
    cancel_charges(session, [r.id for r in cancelled], now)
    capacity.shift(session, {sid: -n for sid, n in freed.items()},
                   {sid: -n for sid, n in left.items()})
    submission = Submission(ctx.registration_id, ctx.child_name,
                            sorted(outcomes.values(), key=lambda c: (c.day, c.unit_id)))
    review = set(freed) | _regrouped(session, [r for r in cancelled if r.state == R.WAITLISTED])
    # The family's confirmation goes in the same INSERT as the promotions' mails.
    promoted = promote_and_notify(session, review, now,
                                  mails=[submission_mail(ctx, submission)],
                                  caused_by=actor.user_id)
    audit.record(session, actor, "cancel", "registration", ctx.registration_id,
                 cells=[(c.day.isoformat(), c.unit_id, c.outcome) for c in submission.cells],
                 promoted=[p.id for p in promoted], family_id=ctx.family_id,
                 **({"reason": why} if why else {}))
    return submission


def _regrouped(session: Session, left: list[Row[Any]]) -> set[int]:
    """A waiting member leaving its group (siblings booked together) may unblock the queues
    where the group waited: its slot and its partners' slots, locked, to be reviewed."""
    gone = {r.group_id for r in left if r.group_id}
    if not gone:
        return set()
    slots = {r.slot_id for r in left if r.group_id} | groups.partner_slots(session, gone)
    capacity.lock_slots(session, slots)
    return slots


def _set_states(session: Session, asked: list[int], cancelled: list[int],
                now: datetime) -> None:
    """Requests to cancel sent to staff, and cells cancelled: one UPDATE for each."""
    if asked:
        session.execute(update(Reservation).where(Reservation.id.in_(asked))
                        .values(state=R.CANCEL_REQUESTED.value),
                        execution_options={"synchronize_session": False})
    if cancelled:
        session.execute(update(Reservation).where(Reservation.id.in_(cancelled))
                        .values(state=R.CANCELLED.value, decided_at=now, queue_rank=None),
                        execution_options={"synchronize_session": False})
