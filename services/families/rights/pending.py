"""What a family that closes its account leaves pending, and what becomes of it.

In the closure's own transaction, the family's requests that only wait for the centre's yes
are withdrawn, each with an audit entry: a registration request (state requested), its days
on a waiting list (which could be promoted at any moment, past the cancellation deadline
too), and its requests to change its file. What the centre still has to decide stays for
staff, counted in the closure-requests list: a booking request holding a place, or a
cancellation request, past the deadline the family's own cancellation could not cross.
Open message threads stay open: the centre may still answer a question (about a bill), and
answering is not a decision made for the family. Staff cannot validate a closed family's
registration or booking, nor give it a place from a waiting list (`refuse_closed`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import ChangeRequest, Family, Registration, Reservation
from db.states import ChangeRequestState, RegistrationState
from db.states import ReservationState as R
from services import audit
from services.actor import Actor
from services.booking import capacity
from services.errors import PortalError

WHY = "clôture du compte demandée"
# Left for staff: a booking request holds its place, a cancellation request its charge.
FOR_STAFF = (R.REQUESTED.value, R.CANCEL_REQUESTED.value)


class FamilyClosed(PortalError):
    default_message = ("Cette famille a demandé la clôture de son compte : ses demandes ne "
                       "peuvent plus être validées ni recevoir une place de la liste d'attente.")


@dataclass(frozen=True)
class Withdrawn:
    registrations: int
    waiting_days: int
    changes: int


def withdraw_pending(session: Session, actor: Actor, family_id: int,
                     now: datetime) -> Withdrawn:
    """Withdraw the family's requests that wait for the centre (see the module); counts."""
    regs = list(session.scalars(select(Registration).where(
        Registration.family_id == family_id,
        Registration.state == RegistrationState.REQUESTED.value)
        .order_by(Registration.id).with_for_update()))
    for reg in regs:
        reg.state, reg.decided_at, reg.reason = RegistrationState.CANCELLED.value, now, WHY
        audit.record(session, actor, "withdraw_registration", "registration", reg.id,
                     family_id=family_id, reason=WHY)
    waiting = _withdraw_waiting(session, actor, family_id, now)
    changes = list(session.scalars(select(ChangeRequest).where(
        ChangeRequest.family_id == family_id,
        ChangeRequest.state == ChangeRequestState.REQUESTED.value)
        .order_by(ChangeRequest.id).with_for_update()))
    for change in changes:
        change.state = ChangeRequestState.REFUSED.value
        change.decided_at, change.decided_by = now, actor.user_id
        audit.record(session, actor, "withdraw_change", "change_request", change.id,
                     family_id=family_id, field=change.field, reason=WHY)
    return Withdrawn(len(regs), waiting, len(changes))


def _withdraw_waiting(session: Session, actor: Actor, family_id: int, now: datetime) -> int:
    """The family's days on waiting lists, whatever their date: off the lists."""
    slots = set(session.scalars(select(Reservation.slot_id).join(
        Registration, Registration.id == Reservation.registration_id).where(
        Registration.family_id == family_id, Reservation.state == R.WAITLISTED.value)))
    if not slots:
        return 0
    capacity.lock_slots(session, slots)  # the order every booking locks them in
    days = list(session.scalars(select(Reservation).join(
        Registration, Registration.id == Reservation.registration_id).where(
        Registration.family_id == family_id, Reservation.state == R.WAITLISTED.value)
        .order_by(Reservation.id)))
    for r in days:
        r.state, r.decided_at = R.CANCELLED.value, now
    capacity.join_queue(session, {sid: -n for sid, n in Counter(r.slot_id for r in days).items()})
    audit.record(session, actor, "withdraw_waitlist", "family", family_id,
                 family_id=family_id, reservations=[r.id for r in days], reason=WHY)
    return len(days)


def left_for_staff(session: Session, family_ids: Iterable[int]) -> dict[int, int]:
    """Per family: booking and cancellation requests staff still have to decide."""
    ids = list(family_ids)
    if not ids:
        return {}
    return {fam: int(n) for fam, n in session.execute(
        select(Registration.family_id, func.count(Reservation.id))
        .join(Registration, Registration.id == Reservation.registration_id)
        .where(Registration.family_id.in_(ids), Reservation.state.in_(FOR_STAFF))
        .group_by(Registration.family_id))}


def closed_families(session: Session, family_ids: Iterable[int]) -> dict[int, str]:
    """Those of these families that asked to close their account: id -> name."""
    ids = sorted(set(family_ids))
    if not ids:
        return {}
    return dict(session.execute(select(Family.id, Family.name).where(
        Family.id.in_(ids), Family.closure_requested_at.is_not(None))).all())


def refuse_closed(session: Session, family_ids: Iterable[int], what: str) -> None:
    """Raise FamilyClosed, naming the family, if one of these asked to close its account."""
    closed = closed_families(session, family_ids)
    if closed:
        raise _refused(", ".join(sorted(closed.values())), what)


def _refused(names: str, what: str) -> FamilyClosed:
    return FamilyClosed(f"La famille {names} a demandé la clôture de son compte : {what}.")


NO_BOOKING = "aucun jour ne peut plus lui être réservé"


def refuse_booking_for_closed(session: Session, registration_ids: Iterable[int]) -> None:
    """No day is booked for a family that closed its account, by the desk or by a page of
    the family's still open: no new request could be validated or promoted afterwards. The
    family's row is held (shared) until the booking commits: a closure waits for it, then
    withdraws what it left waiting; a booking behind a closure sees it once it commits."""
    rows = session.execute(select(Family.name, Family.closure_requested_at)
                           .join(Registration, Registration.family_id == Family.id)
                           .where(Registration.id.in_(list(registration_ids)))
                           .order_by(Family.id).with_for_update(read=True, of=Family)).all()
    closed = sorted({name for name, at in rows if at is not None})
    if closed:
        raise booking_refused(", ".join(closed))


def booking_refused(names: str) -> FamilyClosed:
    """The refusal of a booking for the named family (or families) that closed its account."""
    return _refused(names, NO_BOOKING)
