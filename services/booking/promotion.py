"""Promotion from the waiting list, with its charges and mails, inside the caller's transaction.

Set-based (issue #17, shared/docs/concurrency.md): the heads of every slot's queue are
picked by one query (ROW_NUMBER() per slot in queue order, up to the slot's free places),
so the statements sent under the slots' locks do not grow with the number of slots nor
with the length of their queues. Loading each queue as ORM objects held the locks of a
40-cell cancellation for some 300 statements.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, exists, func, select, text, true, update
from sqlalchemy.orm import Session

from db.bulk import insert_rows
from db.models import (Activity, CapacitySlot, Charge, Child, Family, Period, Promotion,
                       Registration, Reservation, Unit)
from db.states import ReservationState as R
from services.billing.charges import Payer, charge_promoted
from services.billing.credits import expire
from services.booking import capacity, groups
from services.booking.notify import promoted_mails, requesters
from services.booking.rules import LOCAL
from services.mail import outbox, recipients


@dataclass(frozen=True)
class Promoted:
    """A waiting request that just got a place, with what its charge and mail need."""

    id: int
    slot_id: int
    registration_id: int
    unit_id: int
    day: date
    state: str
    requested_at: datetime
    payer: Payer
    unit: tuple[str, int, int]  # name, price, meal part in cents (before the QF tariff)
    charged: bool  # a live charge exists already (never, for a waiting request)
    family_email: str
    activity: str
    group_id: int | None = None  # siblings waiting together (services/booking/groups.py)
    requested_by: int | None = None  # the account that asked for it (its mail's cause)


_SLOTS = bindparam("slots", expanding=True)
# Literally the predicate of ix_reservation_queue, so PostgreSQL reads each queue from it.
_WAITING = text("reservation.state = 'waitlisted'")


def _ranked_window():  # type: ignore[no-untyped-def]
    """SQLite: every waiting request of the slots, numbered per slot in queue order, kept
    up to the slot's free places."""
    r = Reservation
    q = select(r.id, r.slot_id, r.registration_id, r.unit_id, r.day, r.requested_at, r.group_id,
               r.requested_by, func.row_number().over(partition_by=r.slot_id, order_by=(r.queue_rank, r.id))
               .label("rn")).where(r.slot_id.in_(_SLOTS), _WAITING).subquery("q")
    return q, (q.c.rn,), [q.c.rn <= CapacitySlot.places - CapacitySlot.booked]


def _ranked_lateral(limited: bool):  # type: ignore[no-untyped-def]
    """PostgreSQL: for each slot, only its first free-places requests in queue order (read
    from ix_reservation_queue, however long the queue)."""
    r = Reservation
    room = func.greatest(CapacitySlot.places - CapacitySlot.booked, 0)
    q = (select(r.id, r.slot_id, r.registration_id, r.unit_id, r.day, r.requested_at,
                r.group_id, r.queue_rank, r.requested_by).where(r.slot_id == CapacitySlot.id, _WAITING)
         .order_by(r.queue_rank, r.id)
         .limit(func.least(room, bindparam("limit")) if limited else room).lateral("q"))
    return q, (q.c.queue_rank, q.c.id), []


def _heads(postgres: bool, limited: bool):  # type: ignore[no-untyped-def]
    """The heads of the slots' queues, as many as each has free places (at most :limit),
    with what their charges and mails need."""
    q, order, keep = _ranked_lateral(limited) if postgres else _ranked_window()
    live_charge = exists().where(Charge.reservation_id == q.c.id, Charge.cancelled_at.is_(None))
    query = select(q.c.id, q.c.slot_id, q.c.registration_id, q.c.unit_id, q.c.day,
                   q.c.requested_at, Period.auto_validate, Family.id, Family.qf,
                   Period.activity_id, Child.first_name, Period.start_date,
                   Period.pay_days_before_start, Unit.name, Unit.price_cents, Unit.meal_cents,
                   Unit.has_meal, live_charge, Family.email, Activity.name, q.c.group_id,
                   q.c.requested_by)
    query = (query.select_from(CapacitySlot).join(q, true()).where(CapacitySlot.id.in_(_SLOTS))
             if postgres else query.join(CapacitySlot, CapacitySlot.id == q.c.slot_id))
    query = (query.join(Registration, Registration.id == q.c.registration_id)
             .join(Period, Period.id == Registration.period_id)
             .join(Activity, Activity.id == Period.activity_id)
             .join(Child, Child.id == Registration.child_id)
             .join(Family, Family.id == Registration.family_id)
             .join(Unit, Unit.id == q.c.unit_id)
             .where(*keep).order_by(q.c.slot_id, *order))
    return query.where(q.c.rn <= bindparam("limit")) if limited and not postgres else query


# Built once: they run under the slots' locks, where every microsecond of Python counts.
_HEADS = {(pg, limited): _heads(pg, limited) for pg in (False, True) for limited in (False, True)}


def promote(session: Session, slot_ids: Iterable[int], now: datetime,
            limit: int | None = None) -> list[Promoted]:
    """Give free places of locked slots to the heads of their queues, at once
    (at most `limit` per slot when staff promote only the head).

    A head under a period that validates by itself becomes validated; otherwise it
    becomes a request for staff, its place held.
    """
    ids = sorted(set(slot_ids))
    if not ids:
        return []
    postgres = session.get_bind().dialect.name == "postgresql"
    heads = _read_heads(session, postgres, ids, limit)
    if any(h.group_id for h in heads):  # siblings waiting together: whole groups only
        heads = groups.seat(session, ids, heads,
                            lambda more: _read_heads(session, postgres, more, None), limit)
    if not heads:
        return []
    for state in (R.VALIDATED.value, R.REQUESTED.value):
        these = [h.id for h in heads if h.state == state]
        if these:
            session.execute(update(Reservation).where(Reservation.id.in_(these)).values(
                state=state, decided_at=now if state == R.VALIDATED.value else None,
                queue_rank=None), execution_options={"synchronize_session": False})
    expire(session, Reservation, [h.id for h in heads])
    # Kept for the waiting-list dashboard: how many got a place, after how long.
    insert_rows(session, Promotion, [
        dict(reservation_id=h.id, slot_id=h.slot_id, requested_at=h.requested_at,
             promoted_at=now, state=h.state) for h in heads])
    taken: dict[int, int] = {}
    for h in heads:
        taken[h.slot_id] = taken.get(h.slot_id, 0) + 1
    capacity.shift(session, taken, {sid: -n for sid, n in taken.items()})
    return heads


def _read_heads(session: Session, postgres: bool, ids: list[int],
                limit: int | None) -> list[Promoted]:
    return [Promoted(rid, sid, reg, unit, day, (R.VALIDATED if auto else R.REQUESTED).value,
                     at, Payer(fam, qf, act, first, start, before),
                     (uname, price, meal if has_meal else 0), bool(charged), email or "", aname,
                     gid, asker)
            for (rid, sid, reg, unit, day, at, auto, fam, qf, act, first, start, before,
                 uname, price, meal, has_meal, charged, email, aname, gid, asker)
            in session.execute(_HEADS[postgres, limit is not None],
                               {"slots": ids, "limit": limit}).all()]


def promote_and_notify(session: Session, slot_ids: Iterable[int], now: datetime,
                       limit: int | None = None,
                       mails: list[tuple[str, str, str, int | None]] | None = None,
                       caused_by: int | None = None) -> list[Promoted]:
    """Promote (see `promote`), charge the validated ones and tell their families; the
    mails go in one INSERT, after `mails` when the caller has more to send with them."""
    promoted = promote(session, slot_ids, now, limit)
    charge_promoted(session, [(p, p.payer, p.unit) for p in promoted
                              if p.state == R.VALIDATED.value and not p.charged],
                    now.astimezone(LOCAL).date())
    outbox.queue_many(session, recipients.expand(
        session, [*promoted_mails(promoted), *(mails or [])], "booking", caused_by,
        requesters(promoted)), kind="booking", caused_by=caused_by)
    return promoted
