"""Places and queues, inside the caller's transaction.

Measured facts (shared/docs/concurrency.md) decide the shape: slots are locked in id
order (no deadlock between two submissions touching the same cells), places move by a
conditional UPDATE under that lock, and the CHECK (booked <= places) is the backstop.
The time of arrival comes from the database clock while the locks are held, so queue
order equals the order in which capacity was judged.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, case, exists, func, literal, select, text, update
from sqlalchemy.orm import Session

from db.models import CapacitySlot, Reservation
from db.states import ACTIVE_RESERVATION
from db.states import ReservationState as R


@dataclass
class SlotState:
    id: int
    places: int
    booked: int
    waiting: int

    @property
    def free(self) -> int:
        return self.places - self.booked


# Built once: these run in every submission, inside the locks (see bench/bench_surge.py).
# FOR UPDATE hands back the row as the previous lock holder committed it, so `booked` and
# `waiting` read here are current.
_LOCK = (select(CapacitySlot.id, CapacitySlot.places, CapacitySlot.booked, CapacitySlot.waiting)
         .where(CapacitySlot.id.in_(bindparam("ids", expanding=True)))
         .order_by(CapacitySlot.id).with_for_update())


def lock_slots(session: Session, slot_ids: Iterable[int]) -> dict[int, SlotState]:
    """Lock the slots in id order (one statement); places, booked and queue length of each."""
    ids = sorted(set(slot_ids))
    if not ids:
        return {}
    # FOR UPDATE is a no-op on SQLite, where BEGIN IMMEDIATE already serialises writers.
    rows = session.execute(_LOCK, {"ids": ids}).all()
    return {sid: SlotState(sid, p, b, w) for sid, p, b, w in rows}


# Literally the predicate of the partial unique index uq_reservation_active (child, unit,
# day), so PostgreSQL answers "does the child already hold this cell" from that index; a
# bound IN list of the live states scanned every reservation of the day instead (slow
# once a thousand families have booked).
_LIVE = text("mine.state NOT IN ('cancelled', 'refused')")
assert {s.value for s in R} - {s.value for s in ACTIVE_RESERVATION} == {"cancelled", "refused"}


def _after_lock_query(with_clock: bool):  # type: ignore[no-untyped-def]
    mine = Reservation.__table__.alias("mine")
    held = exists().where(mine.c.child_id == bindparam("child"),
                          mine.c.unit_id == CapacitySlot.unit_id, mine.c.day == CapacitySlot.day,
                          _LIVE)
    # An uncorrelated scalar subquery is evaluated once: one instant for the whole statement.
    clock = (select(func.clock_timestamp()).scalar_subquery() if with_clock
             else func.current_timestamp())
    return select(CapacitySlot.id, held, clock).where(
        CapacitySlot.id.in_(bindparam("ids", expanding=True)))


_AFTER_LOCK = {"postgresql": _after_lock_query(True), "sqlite": _after_lock_query(False)}


def held_cells_and_now(session: Session, slot_ids: Iterable[int],
                       child_id: int) -> tuple[datetime, set[int]]:
    """For locked slots, in one statement issued after the locks are granted (so its
    snapshot sees the rows of whoever held them before): the database clock, and the
    slots where the child already has a live reservation."""
    ids = sorted(set(slot_ids))
    dialect = session.get_bind().dialect.name
    if not ids:
        return db_now(session), set()
    rows = session.execute(_AFTER_LOCK[dialect], {"ids": ids, "child": child_id}).all()
    now = (rows[0][2].astimezone(timezone.utc) if dialect == "postgresql"
           else datetime.now(timezone.utc))
    return now, {sid for sid, held, _ in rows if held}


def db_now(session: Session) -> datetime:
    """The database's clock (PostgreSQL: the real time now, not the transaction start)."""
    if session.get_bind().dialect.name == "postgresql":
        value = session.scalar(text("SELECT clock_timestamp()"))
        assert isinstance(value, datetime)
        return value.astimezone(timezone.utc)
    return datetime.now(timezone.utc)


def queue_rank(at: datetime) -> int:
    """Default place in the waiting list: arrival time in microseconds."""
    return int(at.timestamp() * 1_000_000)


def _by_count(counts: dict[int, int]) -> dict[int, list[int]]:
    """Slots grouped by how many places move, so each group is one statement."""
    groups: dict[int, list[int]] = {}
    for sid, n in sorted(counts.items()):
        if n:
            groups.setdefault(n, []).append(sid)
    return groups


_TAKE = (update(CapacitySlot)
         .where(CapacitySlot.id.in_(bindparam("ids", expanding=True)),
                CapacitySlot.booked + bindparam("n") <= CapacitySlot.places)
         .values(booked=CapacitySlot.booked + bindparam("n"),
                 waiting=CapacitySlot.waiting - bindparam("left")))
_QUEUE = (update(CapacitySlot).where(CapacitySlot.id.in_(bindparam("ids", expanding=True)))
          .values(waiting=CapacitySlot.waiting + bindparam("n")))


def take_places(session: Session, counts: dict[int, int], from_queue: bool = False) -> None:
    """Add `counts[slot]` to booked for locked slots, refusing to pass capacity (and take
    as many off the waiting list when the places go to its heads).

    One conditional UPDATE per distinct count (a submission takes one place per slot, so
    one statement); the rows are already locked in id order, so no deadlock.
    """
    for n, ids in _by_count(counts).items():
        result = session.execute(_TAKE, {"ids": ids, "n": n, "left": n if from_queue else 0},
                                 execution_options={"synchronize_session": False})
        if result.rowcount != len(ids):  # type: ignore[attr-defined]
            raise RuntimeError("capacity changed under a held lock")


def _one_if_in(name: str):  # type: ignore[no-untyped-def]
    return case((CapacitySlot.id.in_(bindparam(name, expanding=True)), 1), else_=0)


_ENTER = (update(CapacitySlot)
          .where(CapacitySlot.id.in_(bindparam("ids", expanding=True)),
                 CapacitySlot.booked + _one_if_in("granted") <= CapacitySlot.places)
          .values(booked=CapacitySlot.booked + _one_if_in("granted"),
                  waiting=CapacitySlot.waiting + _one_if_in("queued")))


def enter(session: Session, granted: list[int], queued: list[int]) -> None:
    """A submission's effect on its locked slots in one conditional UPDATE: a place taken
    on each granted slot, one more request in the waiting list of each queued one."""
    ids = sorted(set(granted) | set(queued))
    if not ids:
        return
    result = session.execute(_ENTER, {"ids": ids, "granted": granted, "queued": queued},
                             execution_options={"synchronize_session": False})
    if result.rowcount != len(ids):  # type: ignore[attr-defined]
        raise RuntimeError("capacity changed under a held lock")


def free_places(session: Session, counts: dict[int, int]) -> None:
    """Give places back to their slots."""
    for n, ids in _by_count(counts).items():
        session.execute(update(CapacitySlot).where(CapacitySlot.id.in_(ids))
                        .values(booked=CapacitySlot.booked - n)
                        .execution_options(synchronize_session=False))


def join_queue(session: Session, counts: dict[int, int]) -> None:
    """Move the waiting-list length of locked slots by `counts[slot]` (negative: requests
    left it), in the transaction that adds or removes the waiting reservations."""
    for n, ids in _by_count(counts).items():
        session.execute(_QUEUE, {"ids": ids, "n": n},
                        execution_options={"synchronize_session": False})


def _per_slot(amounts: dict[int, int]):  # type: ignore[no-untyped-def]
    """The amount of the slot being updated (0 for slots not named)."""
    named = {sid: n for sid, n in amounts.items() if n}
    return case(named, value=CapacitySlot.id, else_=0) if named else literal(0)


# PostgreSQL: one statement text whatever the slots and amounts, compiled once and planned
# as a join on the primary key (a CASE with a branch per slot cost some 5 ms per UPDATE,
# under the locks of every cancellation).
_SHIFT_PG = text(
    "UPDATE capacity_slot s SET booked = s.booked + d.b, waiting = s.waiting + d.w "
    "FROM unnest(CAST(:ids AS integer[]), CAST(:b AS integer[]), CAST(:w AS integer[])) "
    "AS d(id, b, w) WHERE s.id = d.id AND s.booked + d.b <= s.places")


def shift(session: Session, booked: dict[int, int], waiting: dict[int, int]) -> None:
    """Move booked and waiting of locked slots by these amounts (per slot), all slots in
    one conditional UPDATE whatever the amounts (a cancellation frees one place here, the
    queue's heads take two there); never past capacity."""
    ids = sorted(sid for sid in set(booked) | set(waiting) if booked.get(sid) or waiting.get(sid))
    if not ids:
        return
    if session.get_bind().dialect.name == "postgresql":
        result = session.execute(_SHIFT_PG, {"ids": ids, "b": [booked.get(i, 0) for i in ids],
                                             "w": [waiting.get(i, 0) for i in ids]})
    else:
        more, longer = _per_slot(booked), _per_slot(waiting)
        result = session.execute(
            update(CapacitySlot).where(CapacitySlot.id.in_(ids),
                                       CapacitySlot.booked + more <= CapacitySlot.places)
            .values(booked=CapacitySlot.booked + more, waiting=CapacitySlot.waiting + longer),
            execution_options={"synchronize_session": False})
    if result.rowcount != len(ids):  # type: ignore[attr-defined]
        raise RuntimeError("capacity changed under a held lock")


def queue(session: Session, slot_id: int) -> list[Reservation]:
    """The waiting list of one slot, head first."""
    return list(session.scalars(
        select(Reservation).where(Reservation.slot_id == slot_id,
                                  Reservation.state == R.WAITLISTED.value)
        .order_by(Reservation.queue_rank, Reservation.id)))


def positions(session: Session, reservation_ids: Iterable[int]) -> dict[int, int]:
    """1-based place in its slot's waiting list, for each waitlisted reservation given."""
    ids = list(reservation_ids)
    if not ids:
        return {}
    mine = select(Reservation.id, Reservation.slot_id, Reservation.queue_rank).where(
        Reservation.id.in_(ids), Reservation.state == R.WAITLISTED.value).subquery()
    other = Reservation.__table__.alias("other")
    ahead = (select(mine.c.id, func.count(other.c.id))
             .join(other, (other.c.slot_id == mine.c.slot_id)
                   & (other.c.state == R.WAITLISTED.value)
                   & ((other.c.queue_rank < mine.c.queue_rank)
                      | ((other.c.queue_rank == mine.c.queue_rank) & (other.c.id <= mine.c.id))))
             .group_by(mine.c.id))
    return {rid: n for rid, n in session.execute(ahead).all()}
