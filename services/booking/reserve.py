"""Reserving cells of the grid: the family's submission, or staff booking for a family.

Set-based on purpose (bench/bench_surge.py measures it): one ordered lock statement for
all the slots, one conditional UPDATE for all the places taken, one batched INSERT for
all the new rows, whatever the number of cells. Row-by-row ORM work held the locks
several times longer and made a booking-opening surge queue behind them.

On PostgreSQL the whole submission is one server-side step (services/booking/preread.py
reads, services/booking/server_step.py decides and writes in one call); the Python path
below is SQLite's, and the reference that tests/services/test_submit_equivalence.py holds
the step to.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from db.base import utcnow
from db.engine import transaction, with_retry
from db.models import Registration, Reservation
from db.states import ACTIVE_RESERVATION
from db.states import ReservationState as R
from services import audit
from services.actor import Actor
from services.billing.charges import Pricing, charge_new, get_pricing
from services.booking import capacity, context, prepared, preread, queue, server_step
from services.booking.errors import NothingToSubmit
from services.booking.notify import mail_submission
from services.booking.outcomes import CellOutcome, Submission
from services.booking.rules import CLOSED_DAY, LOCAL, OTHER_HOUSEHOLD, why_cannot_add
from services.errors import InvalidInput
from services.families.rights.pending import refuse_booking_for_closed
from services.health.pickup import require_emergency_contact

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
    wanted = clean_cells(cells)
    if not wanted:
        raise NothingToSubmit()
    if len(wanted) > MAX_CELLS:
        raise NothingToSubmit(f"Trop de cases en une fois (maximum {MAX_CELLS}).")
    if by_staff:
        actor.require_staff()
    if queue.active():  # the opening rush's queue (PostgreSQL, BOOKING_QUEUE=1)
        done = prepared.reserve(actor, registration_id, wanted, by_staff)
        if done is not None:
            return done  # else no applier runs: applied here, as without the queue
    return with_retry(lambda: _reserve_once(actor, registration_id, wanted, by_staff))


def clean_cells(cells: list[tuple[date, int]]) -> list[tuple[date, int]]:
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
        return reserve_in(session, actor, registration_id, wanted, by_staff)


def reserve_in(session: Session, actor: Actor, registration_id: int,
               wanted: list[tuple[date, int]], by_staff: bool,
               in_batch: bool = False, now: datetime | None = None) -> Submission:
    """The submission inside `session`'s transaction (cells already cleaned); `in_batch`:
    the queue's applier commits the whole batch itself (services/booking/applier.py);
    `now`: the instant it is judged at (the queue: the request's arrival), else the clock
    once the slots are locked."""
    if server_step.ENABLED and session.get_bind().dialect.name == "postgresql":
        before = preread.load(session, actor, registration_id, wanted)
        refuse_booking_for_closed(session, [registration_id])  # once the caller may book it
        return server_step.submit(session, actor, before.ctx, wanted, before.slots,
                                  before.pricing, by_staff, before.to, commit=not in_batch,
                                  now=now)
    # Everything that does not move with places is read before the locks: every
    # statement after them makes the families queued on the same slots wait.
    ctx = context.load(session, actor, registration_id)
    refuse_booking_for_closed(session, [registration_id])
    if not actor.is_staff:  # a family names an emergency contact before its first booking
        require_emergency_contact(session, ctx.family_id)
    slots = context.slot_ids(session, ctx, wanted)
    pricing = get_pricing(session, ctx.registration_id, {u for _, u in slots})
    outcomes = [CellOutcome(d, u, ctx.units.get(u, "?"), "rejected",
                            reason=CLOSED_DAY)
                for d, u in wanted if (d, u) not in slots]
    # Locks first (in id order), then the clock and the child's own cells, read by a
    # statement issued after the locks are granted: a second tab or family waiting on
    # the same slots sees the first one's rows, and arrival order equals the order in
    # which the locks were granted.
    locked = capacity.lock_slots(session, slots.values())
    clock, held = capacity.held_cells_and_now(session, locked, ctx.child_id)
    now = now or clock
    rank = capacity.queue_rank(now)
    theirs = _held_by_another_household(session, held, ctx)
    granted_state = R.VALIDATED if (ctx.period.auto_validate or by_staff) else R.REQUESTED
    rows: list[dict[str, object]] = []
    positions: dict[int, int] = {}
    for day, unit_id in wanted:
        sid = slots.get((day, unit_id))
        if sid is None:
            continue
        reason = None if actor.is_staff else why_cannot_add(ctx.window, day, now)
        if sid in theirs:
            reason = OTHER_HOUSEHOLD
        if reason or sid in held:
            outcomes.append(CellOutcome(day, unit_id, ctx.units[unit_id],
                                        "rejected" if reason else "unchanged",
                                        reason=reason or ""))
            continue
        slot = locked[sid]
        # A free place goes to the queue first: a newcomer never jumps it. One child
        # asks at most once per slot, so one place per slot is at stake here.
        state = granted_state if slot.free > 0 and slot.waiting == 0 else R.WAITLISTED
        if state == R.WAITLISTED:
            # Its rank is the latest arrival time yet (ranks are arrival times, which
            # staff only swap), so it goes to the end of the queue.
            positions[sid] = slot.waiting + 1
        rows.append(dict(
            registration_id=ctx.registration_id, child_id=ctx.child_id, slot_id=sid,
            unit_id=unit_id, day=day, state=state.value, requested_at=now,
            decided_at=now if state == R.VALIDATED else None, by_staff=by_staff,
            queue_rank=rank if state == R.WAITLISTED else None, updated_at=now,
            requested_by=actor.user_id))
        outcomes.append(CellOutcome(day, unit_id, ctx.units[unit_id], state.value,
                                    position=positions.get(sid)))
    capacity.enter(session, [r["slot_id"] for r in rows  # type: ignore[misc]
                             if r["state"] != R.WAITLISTED.value], list(positions))
    _insert(session, rows, now.astimezone(LOCAL).date(), pricing)
    submission = Submission(ctx.registration_id, ctx.child_name,
                            sorted(outcomes, key=lambda c: (c.day, c.unit_id)))
    audit.record(session, actor, "reserve_by_staff" if by_staff else "reserve",
                 "registration", ctx.registration_id,
                 cells=[(c.day.isoformat(), c.unit_id, c.outcome) for c in submission.cells])
    mail_submission(session, ctx, submission, actor.user_id)
    return submission


def _held_by_another_household(session: Session, held: set[int],
                               ctx: context.BookingContext) -> set[int]:
    """Of the slots the child already holds, those held under a registration of its other
    household: refused with that reason rather than "already booked". Read only
    when the child holds one of the slots asked, which a plain submission never does."""
    if not held:
        return set()
    return set(session.scalars(select(Reservation.slot_id).join(
        Registration, Registration.id == Reservation.registration_id).where(
        Reservation.slot_id.in_(sorted(held)), Reservation.child_id == ctx.child_id,
        Registration.family_id != ctx.family_id,
        Reservation.state.in_([s.value for s in ACTIVE_RESERVATION]))))


_COLUMNS = {"registration_id": "integer[]", "child_id": "integer[]", "slot_id": "integer[]",
            "unit_id": "integer[]", "day": "date[]", "state": "text[]",
            "requested_at": "timestamptz[]", "decided_at": "timestamptz[]",
            "by_staff": "boolean[]", "queue_rank": "bigint[]", "updated_at": "timestamptz[]"}
# On PostgreSQL one short statement of arrays, the same text whatever the number of rows,
# so the driver caches it and the server prepares it (a multi-row VALUES is parsed anew
# each time, in the locked part of the transaction). The charges of the validated rows
# are inserted by the same statement: one round trip less while the locks are held.
_UNNEST = text(
    f"WITH ins AS (INSERT INTO reservation ({', '.join(_COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"CAST(:{c} AS {t})" for c, t in _COLUMNS.items())
    + ") RETURNING id, slot_id, registration_id, day), "
    "charged AS (INSERT INTO charge (family_id, registration_id, reservation_id, activity_id, "
    "label, day, amount_cents, meal_cents, created_at, due_on) SELECT :family_id, "
    "ins.registration_id, ins.id, :activity_id, c.label, ins.day, c.amount_cents, c.meal_cents, :created_at, :due_on FROM ins "
    "JOIN unnest(CAST(:charge_slot AS integer[]), CAST(:charge_label AS text[]), "
    "CAST(:charge_cents AS integer[]), CAST(:charge_meal AS integer[])) "
    "AS c(slot_id, label, amount_cents, meal_cents) "
    "ON c.slot_id = ins.slot_id RETURNING 1) "
    "SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM charged)")


def _insert(session: Session, rows: list[dict[str, object]], today: date,
            pricing: Pricing) -> None:
    """All new reservations (at most one per slot) and a charge for each validated one."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        returned = session.execute(insert(Reservation).returning(Reservation.id,
                                                                 Reservation.slot_id), rows).all()
        by_slot = {r["slot_id"]: r for r in rows}
        charge_new(session, [NewReservation(rid, sid, *(by_slot[sid][k] for k in _NEW))
                             for rid, sid in sorted(returned)
                             if by_slot[sid]["state"] == R.VALIDATED.value], today, pricing)
        return
    validated = [r for r in rows if r["state"] == R.VALIDATED.value]
    charges = [pricing.label_and_price(r["unit_id"], r["day"])  # type: ignore[arg-type]
               for r in validated]
    inserted, charged = session.execute(_UNNEST, {
        **{c: [r[c] for r in rows] for c in _COLUMNS},
        "family_id": pricing.family_id, "activity_id": pricing.activity_id, "created_at": utcnow(), "due_on": pricing.due_on(today),
        "charge_slot": [r["slot_id"] for r in validated],
        "charge_label": [label for label, _, _ in charges],
        "charge_cents": [cents for _, cents, _ in charges],
        "charge_meal": [meal for _, _, meal in charges]}).one()
    if (inserted, charged) != (len(rows), len(validated)):
        raise RuntimeError("a reservation or its charge was not written")


_NEW = ("registration_id", "unit_id", "day", "state")
