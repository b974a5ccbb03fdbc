"""Reserving cells of the grid: the family's submission, or staff booking for a family."""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import transaction, with_retry
from db.models import Reservation
from db.states import ACTIVE_RESERVATION
from db.states import ReservationState as R
from services import audit
from services.actor import Actor
from services.billing.charges import create_charges
from services.booking import capacity, context
from services.booking.errors import NothingToSubmit
from services.booking.notify import mail_submission
from services.booking.outcomes import CellOutcome, Submission
from services.booking.rules import LOCAL, why_cannot_add

MAX_CELLS = 800  # a school year's typical week (4 units x 5 days) fits; more is not human


def reserve(actor: Actor, registration_id: int, cells: list[tuple[date, int]],
            by_staff: bool = False) -> Submission:
    """Request cells (day, unit) for a registration; each is validated, sent to staff,
    waitlisted or rejected with its reason. Never overbooks, whatever the concurrency."""
    wanted = sorted(set(cells))
    if not wanted:
        raise NothingToSubmit()
    if len(wanted) > MAX_CELLS:
        raise NothingToSubmit(f"Trop de cases en une fois (maximum {MAX_CELLS}).")
    if by_staff:
        actor.require_staff()
    return with_retry(lambda: _reserve_once(actor, registration_id, wanted, by_staff))


def _reserve_once(actor: Actor, registration_id: int, wanted: list[tuple[date, int]],
                  by_staff: bool) -> Submission:
    with transaction() as session:
        ctx = context.load(session, actor, registration_id)
        slots = context.slot_ids(session, ctx, wanted)
        now = capacity.db_now(session)
        outcomes: list[CellOutcome] = []
        candidates: list[tuple[date, int, int]] = []
        for day, unit_id in wanted:
            reason = None
            if (day, unit_id) not in slots:
                reason = "jour fermé ou hors de la période"
            elif not actor.is_staff:
                reason = why_cannot_add(ctx.window, day, now)
            if reason:
                outcomes.append(CellOutcome(day, unit_id, ctx.units.get(unit_id, "?"), "rejected",
                                            reason=reason))
            else:
                candidates.append((day, unit_id, slots[(day, unit_id)]))
        # Locks first, then the duplicate check: a second tab waiting on the same slots
        # sees the first tab's rows once it gets the lock.
        locked = capacity.lock_slots(session, [sid for _, _, sid in candidates])
        taken = _already_active(session, ctx.child_id, [(d, u) for d, u, _ in candidates])
        judged = []
        for day, unit_id, sid in candidates:
            if (day, unit_id) in taken:
                outcomes.append(CellOutcome(day, unit_id, ctx.units[unit_id], "unchanged"))
            else:
                judged.append((day, unit_id, sid))
        now = capacity.db_now(session)
        granted: Counter[int] = Counter()
        new_rows: list[Reservation] = []
        granted_state = R.VALIDATED if (ctx.period.auto_validate or by_staff) else R.REQUESTED
        for day, unit_id, sid in judged:
            slot = locked[sid]
            # A free place goes to the queue first: a newcomer never jumps it.
            if slot.free - granted[sid] > 0 and slot.waiting == 0:
                granted[sid] += 1
                state = granted_state
            else:
                state = R.WAITLISTED
            new_rows.append(Reservation(
                registration_id=ctx.registration_id, child_id=ctx.child_id, slot_id=sid,
                unit_id=unit_id, day=day, state=state.value, requested_at=now,
                decided_at=now if state == R.VALIDATED else None, by_staff=by_staff,
                queue_rank=capacity.queue_rank(now) if state == R.WAITLISTED else None))
        capacity.take_places(session, dict(granted))
        session.add_all(new_rows)
        session.flush()
        create_charges(session, [r for r in new_rows if r.state == R.VALIDATED.value],
                       now.astimezone(LOCAL).date())
        ranks = capacity.positions(session, [r.id for r in new_rows if r.state == R.WAITLISTED])
        for r in new_rows:
            outcomes.append(CellOutcome(r.day, r.unit_id, ctx.units[r.unit_id], r.state,
                                        position=ranks.get(r.id)))
        submission = Submission(ctx.registration_id, ctx.child_name,
                                sorted(outcomes, key=lambda c: (c.day, c.unit_id)))
        audit.record(session, actor, "reserve_by_staff" if by_staff else "reserve",
                     "registration", ctx.registration_id,
                     cells=[(c.day.isoformat(), c.unit_id, c.outcome) for c in submission.cells])
        mail_submission(session, ctx, submission)
        return submission


def _already_active(session: Session, child_id: int,
                    wanted: list[tuple[date, int]]) -> set[tuple[date, int]]:
    days = {d for d, _ in wanted}
    rows = session.execute(select(Reservation.day, Reservation.unit_id).where(
        Reservation.child_id == child_id, Reservation.day.in_(days),
        Reservation.state.in_([s.value for s in ACTIVE_RESERVATION]))).all()
    return {(d, u) for d, u in rows}
