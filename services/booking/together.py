"""Siblings booked together (issue #13): one submission for several children of a family in
the same activity, cell by cell either « ensemble ou pas du tout » or each on its own.

Together, a cell goes to every child that asks for it (each in its own slot: enough free
places and nobody waiting there) or to none: they all join the waiting lists as one group
(one group id, one queue rank), which promotion seats only when every member fits
(services/booking/groups.py). A child that may not ask (closed day, deadline) or already
holds the cell is left out of the group. Same transaction shape as reserve(): every slot
involved locked in id order by one statement, the clock read under the locks, one
conditional UPDATE for places and queues, one INSERT for the rows.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, insert, update
from sqlalchemy.orm import Session

from db.engine import transaction, with_retry
from db.models import Reservation
from db.states import ReservationState as R
from services import audit
from services.actor import Actor
from services.billing.charges import Pricing, charge_new, get_pricing
from services.booking import capacity, context, queue
from services.booking.context import BookingContext
from services.booking.errors import NothingToSubmit
from services.booking.notify import submission_mail
from services.booking.outcomes import CellOutcome, Submission
from services.booking.reserve import MAX_CELLS, NewReservation, clean_cells
from services.booking.rules import LOCAL, why_cannot_add
from services.errors import InvalidInput
from services.families.rights.pending import refuse_booking_for_closed
from services.health.pickup import require_emergency_contact
from services.mail import outbox, recipients

MAX_CHILDREN = 8
_CLOSED = "jour fermé ou hors de la période"


@dataclass
class _Child:
    ctx: BookingContext
    slots: dict[tuple[date, int], int]
    pricing: Pricing
    held: set[int]
    outcomes: list[CellOutcome]


def reserve_together(actor: Actor, registration_ids: list[int], cells: list[tuple[date, int]],
                     together: bool = True, by_staff: bool = False) -> list[Submission]:
    """Request the cells for each registration (children of one family, one activity); with
    `together`, a cell is granted to all the children asking for it or to none, who then
    wait as one group. One Submission per registration, in the order given."""
    regs = list(dict.fromkeys(registration_ids))
    if not regs or not all(isinstance(r, int) and not isinstance(r, bool) for r in regs):
        raise InvalidInput("Choisissez au moins un enfant.")
    if len(regs) > MAX_CHILDREN:
        raise InvalidInput(f"Trop d'enfants en une fois (maximum {MAX_CHILDREN}).")
    wanted = clean_cells(cells)
    if not wanted:
        raise NothingToSubmit()
    if len(wanted) * len(regs) > MAX_CELLS:
        raise NothingToSubmit(f"Trop de cases en une fois (maximum {MAX_CELLS}).")
    if by_staff:
        actor.require_staff()
    if queue.active():  # the opening rush's queue: in arrival order with every other request
        done = queue.submit(actor, "together", {
            "registrations": regs, "together": together, "by_staff": by_staff,
            "cells": [[day.isoformat(), unit] for day, unit in wanted]})
        if done is not None:
            return [s for s in map(queue.submission, done["submissions"]) if s is not None]
    return with_retry(lambda: _once(actor, regs, wanted, together, by_staff))


def _load(session: Session, actor: Actor, regs: list[int],
          wanted: list[tuple[date, int]]) -> list[_Child]:
    """Each registration's context (scope checked by context.load), slots and prices."""
    ctxs = [context.load(session, actor, r) for r in regs]
    if len({c.activity.id for c in ctxs}) > 1 or len({c.family_id for c in ctxs}) > 1:
        raise InvalidInput("Les enfants choisis doivent être de la même famille "
                           "et inscrits à la même activité.")
    if not actor.is_staff:
        require_emergency_contact(session, ctxs[0].family_id)
    kids = []
    for ctx in ctxs:
        slots = context.slot_ids(session, ctx, wanted)
        kids.append(_Child(ctx, slots, get_pricing(session, ctx.registration_id,
                                                   {u for _, u in slots}), set(), []))
    return kids


def _once(actor: Actor, regs: list[int], wanted: list[tuple[date, int]], together: bool,
          by_staff: bool) -> list[Submission]:
    with transaction() as session:
        return together_in(session, actor, regs, wanted, together, by_staff)


def together_in(session: Session, actor: Actor, regs: list[int],
                wanted: list[tuple[date, int]], together: bool, by_staff: bool,
                now: datetime | None = None) -> list[Submission]:
    """The submission inside `session`'s transaction (cells already cleaned), judged at
    `now` (the queue's applier: the request's arrival), else at the clock under the locks."""
    kids = _load(session, actor, regs, wanted)
    refuse_booking_for_closed(session, regs)  # once the caller may book them
    locked = capacity.lock_slots(session, [s for k in kids for s in k.slots.values()])
    clock = None
    for kid in kids:  # after the locks: the rows of whoever held them are seen
        at, kid.held = capacity.held_cells_and_now(session, kid.slots.values(),
                                                   kid.ctx.child_id)
        clock = clock or at
    assert clock is not None
    now = now or clock
    rows, groups = _judge(actor, kids, wanted, locked, now, together, by_staff)
    booked = Counter(r["slot_id"] for r in rows if r["state"] != R.WAITLISTED.value)
    queued = Counter(r["slot_id"] for r in rows if r["state"] == R.WAITLISTED.value)
    capacity.shift(session, dict(booked), dict(queued))
    _insert(session, kids, rows, groups, now.astimezone(LOCAL).date())
    return _finish(session, actor, kids, together, by_staff)


def _judge(actor: Actor, kids: list[_Child], wanted: list[tuple[date, int]],
           locked: dict[int, capacity.SlotState], now: datetime, together: bool,
           by_staff: bool) -> tuple[list[dict[str, object]], list[list[int]]]:
    """Every child's outcome per cell (into kid.outcomes) and the rows to insert; groups
    are lists of row indexes (two children or more waiting or seated together)."""
    free = {sid: s.free for sid, s in locked.items()}
    waiting = {sid: s.waiting for sid, s in locked.items()}
    rank = capacity.queue_rank(now)
    rows: list[dict[str, object]] = []
    groups: list[list[int]] = []
    for day, unit in wanted:
        askers: list[tuple[_Child, int]] = []
        for kid in kids:
            sid = kid.slots.get((day, unit))
            name = kid.ctx.units.get(unit, "?")
            reason = (_CLOSED if sid is None else
                      None if actor.is_staff else why_cannot_add(kid.ctx.window, day, now))
            if reason or sid in kid.held:
                kid.outcomes.append(CellOutcome(day, unit, name, "rejected" if reason
                                                else "unchanged", reason=reason or ""))
            else:
                askers.append((kid, sid))  # type: ignore[arg-type]
        grouped = together and len(askers) > 1
        need = Counter(sid for _, sid in askers)
        fits = all(free[sid] >= n and waiting[sid] == 0 for sid, n in need.items())
        first = len(rows)
        for kid, sid in askers:
            seated = fits if grouped else free[sid] > 0 and waiting[sid] == 0
            state = ((R.VALIDATED if kid.ctx.period.auto_validate or by_staff else R.REQUESTED)
                     if seated else R.WAITLISTED)
            if seated:
                free[sid] -= 1
            else:
                waiting[sid] += 1
            rows.append(dict(
                registration_id=kid.ctx.registration_id, child_id=kid.ctx.child_id,
                slot_id=sid, unit_id=unit, day=day, state=state.value, requested_at=now,
                decided_at=now if state == R.VALIDATED else None, by_staff=by_staff,
                queue_rank=None if seated else rank, updated_at=now,
                requested_by=actor.user_id))
            kid.outcomes.append(CellOutcome(day, unit, kid.ctx.units[unit], state.value,
                                            position=None if seated else waiting[sid],
                                            grouped=grouped and not seated))
        if grouped:
            groups.append(list(range(first, len(rows))))
    return rows, groups


def _insert(session: Session, kids: list[_Child], rows: list[dict[str, object]],
            groups: list[list[int]], today: date) -> None:
    """The rows (one INSERT), their group ids (one UPDATE: each group takes its first row's
    id) and a charge for each validated row (one INSERT per child)."""
    if not rows:
        return
    ids = list(session.scalars(insert(Reservation).returning(Reservation.id,
                                                             sort_by_parameter_order=True),
                               rows))
    members = {ids[i]: ids[g[0]] for g in groups for i in g}
    if members:
        session.execute(update(Reservation).where(Reservation.id.in_(list(members)))
                        .values(group_id=case(members, value=Reservation.id)),
                        execution_options={"synchronize_session": False})
    for kid in kids:
        charge_new(session, [
            NewReservation(rid, r["slot_id"], r["registration_id"], r["unit_id"],  # type: ignore[arg-type]
                           r["day"], r["state"])  # type: ignore[arg-type]
            for rid, r in zip(ids, rows)
            if r["registration_id"] == kid.ctx.registration_id
            and r["state"] == R.VALIDATED.value], today, kid.pricing)


def _finish(session: Session, actor: Actor, kids: list[_Child], together: bool,
            by_staff: bool) -> list[Submission]:
    """Each child's submission, audit entry and confirmation mail (all mails one INSERT)."""
    out = []
    for kid in kids:
        submission = Submission(kid.ctx.registration_id, kid.ctx.child_name,
                                sorted(kid.outcomes, key=lambda c: (c.day, c.unit_id)))
        audit.record(session, actor, "reserve_by_staff" if by_staff else "reserve",
                     "registration", kid.ctx.registration_id,
                     together=together and len(kids) > 1,
                     cells=[(c.day.isoformat(), c.unit_id, c.outcome) for c in submission.cells])
        out.append(submission)
    outbox.queue_many(session, recipients.expand(
        session, [submission_mail(k.ctx, s) for k, s in zip(kids, out)], "booking",
        actor.user_id), kind="booking", caused_by=actor.user_id)
    return out
