"""The waiting-list board: who waits for which unit, day and age group, in which order.

Places are never overbooked: staff promote only into free places; to seat more children
a manager raises the capacity in the configuration, which promotes the queue at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read, transaction, with_retry
from db.models import (Activity, AgeGroup, CapacitySlot, Child, Family, Registration, Reservation,
                       Unit)
from services import audit
from db.states import ReservationState as R
from services.actor import Actor
from services.booking import capacity
from services.booking.promotion import promote_and_notify
from services.errors import InvalidInput, NotFound, PortalError
from services.families.names import full_name
from services.families.rights.pending import refuse_closed


class NoFreePlace(PortalError):
    default_message = ("Aucune place libre sur ce créneau : la liste d'attente avance quand une "
                       "place se libère. Pour accueillir plus d'enfants, la direction peut "
                       "augmenter la capacité dans la configuration.")


@dataclass(frozen=True)
class Waiting:
    reservation_id: int
    position: int
    child: str
    family: str
    since: datetime
    group_id: int | None = None  # siblings booked together: seated all at once or not at all


@dataclass(frozen=True)
class SlotBoard:
    slot_id: int
    day: date
    activity: str
    unit: str
    age_group: str
    places: int
    booked: int
    waiting: list[Waiting]

    @property
    def free(self) -> int:
        return self.places - self.booked


def list_board(actor: Actor, site_id: int, day: date, unit_id: int | None = None,
               age_group_id: int | None = None) -> list[SlotBoard]:
    """Every capacity slot of a site on a day, with its queue head first."""
    actor.require_site(site_id)
    query = (select(CapacitySlot, Activity.name, Unit.name, AgeGroup.label)
             .join(Unit, Unit.id == CapacitySlot.unit_id)
             .join(Activity, Activity.id == Unit.activity_id)
             .join(AgeGroup, AgeGroup.id == CapacitySlot.age_group_id)
             .where(Activity.site_id == site_id, CapacitySlot.day == day)
             .order_by(Activity.name, AgeGroup.min_age, Unit.position, Unit.id))
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    if age_group_id is not None:
        query = query.where(AgeGroup.id == age_group_id)
    with read() as session:
        boards = []
        for slot, activity, unit, group in session.execute(query).all():
            queue = capacity.queue(session, slot.id)
            order = {r.id: n for n, r in enumerate(queue, start=1)}
            groups = {r.id: r.group_id for r in queue}
            rows = session.execute(
                select(Reservation.id, Reservation.requested_at, Child.first_name,
                       Child.last_name, Family.name)
                .join(Child, Child.id == Reservation.child_id)
                .join(Registration, Registration.id == Reservation.registration_id)
                .join(Family, Family.id == Registration.family_id)
                .where(Reservation.id.in_(list(order)))).all() if order else []
            waiting = sorted((Waiting(rid, order[rid], full_name(first, last), fam, at,
                                      groups[rid])
                              for rid, at, first, last, fam in rows), key=lambda w: w.position)
            boards.append(SlotBoard(slot.id, slot.day, activity, unit, group, slot.places,
                                    slot.booked, waiting))
        return boards


def _slot_site(session: Session, slot_id: int) -> int:
    site = session.scalar(select(Activity.site_id).join(Unit, Unit.activity_id == Activity.id)
                          .join(CapacitySlot, CapacitySlot.unit_id == Unit.id)
                          .where(CapacitySlot.id == slot_id))
    if site is None:
        raise NotFound("Ce créneau n'existe pas.")
    return int(site)


def _family_of(session: Session, reservation: Reservation) -> int:
    return int(session.get_one(Registration, reservation.registration_id).family_id)


def promote(actor: Actor, slot_id: int, head_only: bool = True) -> list[int]:
    """Give free places to the head of the queue (or to all who fit); ids promoted. A group
    of siblings booked together at the head counts as one: all seated, or none."""
    def once() -> list[int]:
        with transaction() as session:
            actor.require_site(_slot_site(session, slot_id))
            slot = capacity.lock_slots(session, [slot_id])[slot_id]
            if slot.waiting == 0:
                raise InvalidInput("Personne n'attend sur ce créneau.")
            if slot.free <= 0:
                raise NoFreePlace()
            now = capacity.db_now(session)
            promoted = promote_and_notify(session, [slot_id], now, 1 if head_only else None)
            ids = [r.id for r in promoted]
            refuse_closed(session, {_family_of(session, r) for r in promoted},
                          "elle ne reçoit plus de place ; retirez sa demande de la liste")
            if not ids:  # free places exist: the head is a group they cannot all seat
                raise InvalidInput("En tête de liste, des frères et sœurs réservés ensemble "
                                   "attendent une place chacun : il n'y a pas assez de places "
                                   "libres pour le groupe (ni personne derrière lui ne passe "
                                   "devant).")
            audit.record(session, actor, "promote_waitlist", "capacity_slot", slot_id,
                         reservations=ids, head_only=head_only)
            return ids
    return with_retry(once)


def move(actor: Actor, reservation_id: int, up: bool, reason: str) -> int:
    """Move a waiting request one place up or down (siblings booked together and waiting
    side by side move as one, past the next request or group); the written reason goes to
    the audit log. Returns its new position."""
    reason = reason.strip()
    if len(reason) < 3:
        raise InvalidInput("Indiquez le motif du changement d'ordre (il est gardé dans le "
                           "journal).")
    if len(reason) > 1000:
        raise InvalidInput("Le motif est trop long (1000 caractères au plus).")

    def once() -> int:
        with transaction() as session:
            row = session.get(Reservation, reservation_id)
            if row is None:
                raise NotFound("Cette demande n'existe pas.")
            actor.require_site(_slot_site(session, row.slot_id))
            capacity.lock_slots(session, [row.slot_id])
            queue = capacity.queue(session, row.slot_id)
            ids = [r.id for r in queue]
            if reservation_id not in ids:
                raise InvalidInput("Cette demande n'est plus en liste d'attente.")
            blocks = _blocks(queue)
            at = next(n for n, block in enumerate(blocks)
                      if reservation_id in {r.id for r in block})
            to = at - 1 if up else at + 1
            if not 0 <= to < len(blocks):
                raise InvalidInput("Cette demande est déjà en tête de liste." if up else
                                   "Cette demande est déjà en fin de liste.")
            # One rank a block, strictly increasing: siblings booked together keep sharing
            # theirs, so they move as one and stay one group in the queue.
            ranks = _strict([block[0].queue_rank or 0 for block in blocks])
            blocks[at], blocks[to] = blocks[to], blocks[at]
            for block, rank in zip(blocks, ranks):
                for r in block:
                    r.queue_rank = rank
            after = [r.id for block in blocks for r in block].index(reservation_id)
            audit.record(session, actor, "reorder_waitlist", "reservation", reservation_id,
                         reason=reason, position_before=ids.index(reservation_id) + 1,
                         position_after=after + 1, **_moved_with(blocks[to], reservation_id))
            return after + 1
    return with_retry(once)


def _moved_with(block: list[Reservation], reservation_id: int) -> dict[str, list[int]]:
    others = [r.id for r in block if r.id != reservation_id]
    return {"moved_with": others} if others else {}


def _blocks(queue: list[Reservation]) -> list[list[Reservation]]:
    """The waiting list cut into what moves as one: a request alone, or the siblings of one
    group (booked « ensemble ou pas du tout ») waiting next to each other."""
    blocks: list[list[Reservation]] = []
    for r in queue:
        if blocks and r.group_id is not None and blocks[-1][-1].group_id == r.group_id:
            blocks[-1].append(r)
        else:
            blocks.append([r])
    return blocks


def _strict(ranks: list[int]) -> list[int]:
    """The same ranks made strictly increasing (ties were broken by id before)."""
    out: list[int] = []
    for rank in ranks:
        out.append(rank if not out or rank > out[-1] else out[-1] + 1)
    return out


def list_waiting_days(actor: Actor, site_id: int, since: date) -> list[tuple[date, int]]:
    """Days from `since` on which children wait on a site, with how many."""
    actor.require_site(site_id)
    with read() as session:
        rows = session.execute(
            select(Reservation.day, func.count(Reservation.id))
            .join(Unit, Unit.id == Reservation.unit_id)
            .join(Activity, Activity.id == Unit.activity_id)
            .where(Activity.site_id == site_id, Reservation.day >= since,
                   Reservation.state == R.WAITLISTED.value)
            .group_by(Reservation.day).order_by(Reservation.day)).all()
    return [(d, n) for d, n in rows]
