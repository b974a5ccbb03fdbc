"""Cancelling cells: within the deadline, or as a request to staff; a freed place goes
at once to the head of that cell's waiting list."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from db.engine import transaction, with_retry
from db.models import Reservation
from db.states import HOLDS_PLACE
from db.states import ReservationState as R
from services import audit
from services.actor import Actor
from services.billing.charges import cancel_charges
from services.booking import capacity, context
from services.booking.errors import NothingToSubmit
from services.booking.notify import mail_submission
from services.booking.outcomes import CellOutcome, Submission
from services.booking.promotion import promote_and_notify
from services.booking.rules import why_cannot_cancel
from services.errors import NotFound

_CANCELLABLE = (R.REQUESTED, R.WAITLISTED, R.VALIDATED)
_ALREADY = {R.CANCELLED: "already_cancelled", R.CANCEL_REQUESTED: "already_cancel_requested"}


def cancel(actor: Actor, registration_id: int, reservation_ids: list[int],
           reason: str = "", family_id: int | None = None) -> Submission:
    """Cancel reservations of one registration; staff may cancel past the deadline (the
    reception desk, on the family's behalf, gives a reason kept in the audit entry)."""
    ids = sorted(set(reservation_ids))
    if not ids:
        raise NothingToSubmit()
    return with_retry(lambda: _cancel_once(actor, registration_id, ids, reason, family_id))


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
        outcomes: list[CellOutcome] = []
        freed: Counter[int] = Counter()
        left_queue: Counter[int] = Counter()
        cancelled: list[int] = []
        for r in rows:
            name = ctx.units[r.unit_id]
            reason = None if actor.is_staff else why_cannot_cancel(ctx.window, r.day, now)
            if r.state in _ALREADY:
                # A second tab, or a grid left open, asks again: say it is done, not refused.
                outcomes.append(CellOutcome(r.day, r.unit_id, name, _ALREADY[r.state]))
            elif r.state not in _CANCELLABLE:
                outcomes.append(CellOutcome(r.day, r.unit_id, name, "rejected",
                                            reason="cette case ne peut plus être annulée"))
            elif r.by_staff and not actor.is_staff:
                # Réservation facilitée: booked by reception, changed only by reception.
                outcomes.append(CellOutcome(r.day, r.unit_id, name, "rejected",
                                            reason="réservation faite par l'accueil : "
                                                   "contactez l'accueil pour l'annuler"))
            elif reason:
                # Past the deadline a request on a waiting list is not the family's to change
                # either (domain.md: "Réservation en liste d'attente (non modifiable)"): it
                # could be promoted at any moment, and then no longer be cancelled.
                outcomes.append(CellOutcome(r.day, r.unit_id, name, "rejected", reason=reason))
            elif (r.state == R.VALIDATED and not ctx.period.auto_validate
                  and not actor.is_staff):
                # Where staff validate bookings, they also validate cancellations.
                r.state = R.CANCEL_REQUESTED.value
                outcomes.append(CellOutcome(r.day, r.unit_id, name, "cancel_requested"))
            else:
                if r.state in HOLDS_PLACE:
                    freed[r.slot_id] += 1
                elif r.state == R.WAITLISTED:
                    left_queue[r.slot_id] -= 1
                r.state = R.CANCELLED.value
                r.decided_at = now
                r.queue_rank = None
                cancelled.append(r.id)
                outcomes.append(CellOutcome(r.day, r.unit_id, name, "cancelled"))
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
