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

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.orm import Session

from db.models import CapacitySlot, Period, Registration, Reservation
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


def lock_slots(session: Session, slot_ids: Iterable[int]) -> dict[int, SlotState]:
    """Lock the slots in id order and read places, booked and queue length."""
    ids = sorted(set(slot_ids))
    if not ids:
        return {}
    # FOR UPDATE is a no-op on SQLite, where BEGIN IMMEDIATE already serialises writers.
    rows = session.execute(
        select(CapacitySlot.id, CapacitySlot.places, CapacitySlot.booked)
        .where(CapacitySlot.id.in_(ids)).order_by(CapacitySlot.id).with_for_update()).all()
    waiting = dict(session.execute(
        select(Reservation.slot_id, func.count()).where(
            Reservation.slot_id.in_(ids), Reservation.state == R.WAITLISTED.value)
        .group_by(Reservation.slot_id)).all())
    return {r.id: SlotState(r.id, r.places, r.booked, waiting.get(r.id, 0)) for r in rows}


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


def take_places(session: Session, counts: dict[int, int]) -> None:
    """Add `counts[slot] ` to booked for locked slots, refusing to pass capacity."""
    if not counts:
        return
    stmt = (update(CapacitySlot).where(CapacitySlot.id == bindparam("sid"),
                                       CapacitySlot.booked + bindparam("n") <= CapacitySlot.places)
            .values(booked=CapacitySlot.booked + bindparam("n"))
            .execution_options(synchronize_session=False))
    params = [{"sid": sid, "n": n} for sid, n in sorted(counts.items())]
    result = session.connection().execute(stmt, params)
    if result.rowcount != len(params):
        raise RuntimeError("capacity changed under a held lock")


def free_places(session: Session, counts: dict[int, int]) -> None:
    """Give places back to their slots."""
    if not counts:
        return
    stmt = (update(CapacitySlot).where(CapacitySlot.id == bindparam("sid"))
            .values(booked=CapacitySlot.booked - bindparam("n"))
            .execution_options(synchronize_session=False))
    session.connection().execute(stmt, [{"sid": s, "n": n} for s, n in sorted(counts.items())])


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


def promote(session: Session, slot_ids: Iterable[int], now: datetime,
            limit: int | None = None) -> list[Reservation]:
    """Give free places of locked slots to the heads of their queues, at once
    (at most `limit` per slot when staff promote only the head).

    A head under a period that validates by itself becomes validated; otherwise it
    becomes a request for staff, its place held.
    """
    promoted: list[Reservation] = []
    for slot_id in sorted(set(slot_ids)):
        places, booked = session.execute(
            select(CapacitySlot.places, CapacitySlot.booked).where(CapacitySlot.id == slot_id)).one()
        free = places - booked
        if free <= 0:
            continue
        heads = queue(session, slot_id)[:free if limit is None else min(free, limit)]
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
        if heads:
            take_places(session, {slot_id: len(heads)})
    session.flush()
    return promoted
