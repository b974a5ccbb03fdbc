"""Reserving cells of the grid: the family's submission, or staff booking for a family.

Set-based on purpose (bench/bench_surge.py measures it): one ordered lock statement for
all the slots, one conditional UPDATE for all the places taken, one batched INSERT for
all the new rows, whatever the number of cells. Row-by-row ORM work held the locks
several times longer and made a booking-opening surge queue behind them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from db.engine import transaction, with_retry
from db.models import Reservation
from db.states import ReservationState as R
from services import audit
from services.actor import Actor
from services.billing.charges import create_charges
from services.booking import capacity, context
from services.booking.errors import NothingToSubmit
from services.booking.notify import mail_submission
from services.booking.outcomes import CellOutcome, Submission
from services.booking.rules import LOCAL, why_cannot_add
from services.errors import InvalidInput

MAX_CELLS = 800  # a school year's typical week (4 units x 5 days) fits; more is not human


@dataclass(frozen=True)
class NewReservation:
    """A row just inserted (what charges and outcomes need), without an ORM object."""

    id: int
    slot_id: int
    registration_id: int
    unit_id: int
    day: date
    state: str


def reserve(actor: Actor, registration_id: int, cells: list[tuple[date, int]],
            by_staff: bool = False) -> Submission:
    """Request cells (day, unit) for a registration; each is validated, sent to staff,
    waitlisted or rejected with its reason. Never overbooks, whatever the concurrency."""
    wanted = _clean(cells)
    if not wanted:
        raise NothingToSubmit()
    if len(wanted) > MAX_CELLS:
        raise NothingToSubmit(f"Trop de cases en une fois (maximum {MAX_CELLS}).")
    if by_staff:
        actor.require_staff()
    return with_retry(lambda: _reserve_once(actor, registration_id, wanted, by_staff))


def _clean(cells: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """Sorted distinct cells; anything but (date, int) is refused before touching the db."""
    try:
        pairs = {(day, unit) for day, unit in cells}
    except (TypeError, ValueError) as exc:
        raise InvalidInput("Cases invalides.") from exc
    for day, unit in pairs:
        if (not isinstance(day, date) or not isinstance(unit, int) or isinstance(unit, bool)
                or not 0 < unit < 2**31):
            raise InvalidInput("Cases invalides.")
    return sorted(pairs)


def _reserve_once(actor: Actor, registration_id: int, wanted: list[tuple[date, int]],
                  by_staff: bool) -> Submission:
    with transaction() as session:
        ctx = context.load(session, actor, registration_id)
        slots = context.slot_ids(session, ctx, wanted)
        outcomes = [CellOutcome(d, u, ctx.units.get(u, "?"), "rejected",
                                reason="jour fermé ou hors de la période")
                    for d, u in wanted if (d, u) not in slots]
        # Locks first (in id order), then the clock, then the queues and the child's own
        # cells, read by a statement issued after the locks are granted: a second tab or
        # family waiting on the same slots sees the first one's rows, and arrival order
        # equals the order in which the locks were granted.
        locked = capacity.lock_places(session, slots.values())
        now = capacity.db_now(session)
        rank = capacity.queue_rank(now)
        views = capacity.slot_views(session, locked, ctx.child_id, rank)
        granted_state = R.VALIDATED if (ctx.period.auto_validate or by_staff) else R.REQUESTED
        granted: list[int] = []
        rows: list[dict[str, object]] = []
        for day, unit_id in wanted:
            sid = slots.get((day, unit_id))
            if sid is None:
                continue
            reason = None if actor.is_staff else why_cannot_add(ctx.window, day, now)
            if reason or views[sid].mine:
                outcomes.append(CellOutcome(day, unit_id, ctx.units[unit_id],
                                            "rejected" if reason else "unchanged",
                                            reason=reason or ""))
                continue
            places, booked = locked[sid]
            # A free place goes to the queue first: a newcomer never jumps it. One child
            # asks at most once per slot, so one place per slot is at stake here.
            state = (granted_state if places > booked and views[sid].waiting == 0
                     else R.WAITLISTED)
            if state != R.WAITLISTED:
                granted.append(sid)
            rows.append(dict(
                registration_id=ctx.registration_id, child_id=ctx.child_id, slot_id=sid,
                unit_id=unit_id, day=day, state=state.value, requested_at=now,
                decided_at=now if state == R.VALIDATED else None, by_staff=by_staff,
                queue_rank=rank if state == R.WAITLISTED else None, updated_at=now))
        capacity.take_places(session, {sid: 1 for sid in granted})
        new_rows = _insert(session, rows)
        create_charges(session, [r for r in new_rows if r.state == R.VALIDATED.value],
                       now.astimezone(LOCAL).date())
        # Nobody else can join these queues while the locks are held: the new request
        # comes right after the `ahead` ones.
        ranks = {r.id: views[r.slot_id].ahead + 1 for r in new_rows if r.state == R.WAITLISTED}
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


_COLUMNS = {"registration_id": "integer[]", "child_id": "integer[]", "slot_id": "integer[]",
            "unit_id": "integer[]", "day": "date[]", "state": "text[]",
            "requested_at": "timestamptz[]", "decided_at": "timestamptz[]",
            "by_staff": "boolean[]", "queue_rank": "bigint[]", "updated_at": "timestamptz[]"}
# On PostgreSQL one short statement of arrays, the same text whatever the number of rows,
# so the driver caches it and the server prepares it (a multi-row VALUES is parsed anew
# each time, in the locked part of the transaction).
_UNNEST = text(f"INSERT INTO reservation ({', '.join(_COLUMNS)}) SELECT * FROM unnest("
               + ", ".join(f"CAST(:{c} AS {t})" for c, t in _COLUMNS.items())
               + ") RETURNING id, slot_id")


def _insert(session: Session, rows: list[dict[str, object]]) -> list[NewReservation]:
    """All new reservations in one INSERT ... RETURNING (at most one row per slot)."""
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        returned = session.execute(_UNNEST, {c: [r[c] for r in rows] for c in _COLUMNS}).all()
    else:
        returned = session.execute(insert(Reservation).returning(Reservation.id,
                                                                 Reservation.slot_id), rows).all()
    by_slot = {r["slot_id"]: r for r in rows}
    return [NewReservation(rid, sid, by_slot[sid]["registration_id"],  # type: ignore[arg-type]
                           by_slot[sid]["unit_id"], by_slot[sid]["day"],  # type: ignore[arg-type]
                           by_slot[sid]["state"])  # type: ignore[arg-type]
            for rid, sid in sorted(returned)]
