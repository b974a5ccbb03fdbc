"""A child's households: its first family (Child.family_id, which owns the child record)
and any other household staff linked it to (child_household, e.g. separated parents).

Each household has its own guardians, QF bracket and account; the child's own data (name,
birth date, health sheet, pick-up persons) is shared. A registration belongs to the household
that asked (Registration.family_id), and so do its days and their charges."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, or_, select
from sqlalchemy.orm import Session

from db.base import utcnow
from db.engine import read, transaction
from db.models import Child, ChildHousehold, Family, Registration
from db.states import OPEN_REGISTRATION_STATES
from services import audit
from services.actor import Actor
from services.errors import Forbidden, InvalidInput, NotFound, PortalError
from services.families.names import full_name
from services.staff import scope as staff_scope


class AlreadyLinked(PortalError):
    default_message = "Cet enfant fait déjà partie de ce foyer."


class StillRegistered(PortalError):
    default_message = ("Cet enfant a encore une inscription en cours dans ce foyer : "
                       "annulez-la avant de le retirer du foyer.")


@dataclass(frozen=True)
class Household:
    family_id: int
    name: str
    first: bool  # the child's first household (owner of the child record)


def household_ids(session: Session, child_id: int) -> set[int]:
    """Every household of the child: its first family and those it was linked to."""
    first = session.scalar(select(Child.family_id).where(Child.id == child_id))
    if first is None:
        return set()
    return {first, *session.scalars(select(ChildHousehold.family_id)
                                    .where(ChildHousehold.child_id == child_id))}


def children_of(family: Any) -> ColumnElement[bool]:
    """SQL condition on Child: the children of a family (an id or a column), its own or
    linked to it as a second household."""
    return or_(Child.family_id == family,
               exists().where(ChildHousehold.child_id == Child.id,
                              ChildHousehold.family_id == family))


def child_ids_of(session: Session, family_id: int) -> list[int]:
    """Ids of the family's children (own and linked), eldest first."""
    return list(session.scalars(select(Child.id).where(children_of(family_id))
                                .order_by(Child.birth_date, Child.id)))


def list_households(actor: Actor, child_id: int) -> list[Household]:
    """The child's households, first one first (staff)."""
    with read() as session:
        child = _staff_child(session, actor, child_id)
        ids = household_ids(session, child.id)
        names = dict(session.execute(select(Family.id, Family.name)
                                     .where(Family.id.in_(sorted(ids)))).all())
        return sorted((Household(fid, names[fid], fid == child.family_id) for fid in ids),
                      key=lambda h: (not h.first, h.name, h.family_id))


def link_child(actor: Actor, child_id: int, family_id: int) -> None:
    """Staff add a second household to a child (one child record, not a copy)."""
    with transaction() as session:
        child = _staff_child(session, actor, child_id)
        family = staff_scope.require_family(session, actor, family_id)
        if family.anonymised_at is not None:
            raise InvalidInput("Ce foyer a été anonymisé.")
        if family_id in household_ids(session, child_id):
            raise AlreadyLinked()
        session.add(ChildHousehold(child_id=child_id, family_id=family_id, linked_at=utcnow(),
                                   linked_by=actor.user_id))
        audit.record(session, actor, "link_household", "child", child_id, family_id=family_id,
                     child=full_name(child.first_name, child.last_name), first=child.family_id)


def unlink_child(actor: Actor, child_id: int, family_id: int) -> None:
    """Staff take a child out of a second household (never its first one), once that
    household has no open registration for it."""
    with transaction() as session:
        child = _staff_child(session, actor, child_id)
        staff_scope.require_family(session, actor, family_id)
        if family_id == child.family_id:
            raise InvalidInput("C'est le premier foyer de l'enfant : il ne peut pas en être "
                               "retiré.")
        link = session.get(ChildHousehold, (child_id, family_id))
        if link is None:
            raise NotFound("Cet enfant ne fait pas partie de ce foyer.")
        if session.scalar(select(Registration.id).where(
                Registration.child_id == child_id, Registration.family_id == family_id,
                Registration.state.in_([s.value for s in OPEN_REGISTRATION_STATES]))):
            raise StillRegistered()
        session.execute(delete(ChildHousehold).where(ChildHousehold.child_id == child_id,
                                                     ChildHousehold.family_id == family_id))
        audit.record(session, actor, "unlink_household", "child", child_id, family_id=family_id,
                     child=full_name(child.first_name, child.last_name), first=child.family_id)


def _staff_child(session: Session, actor: Actor, child_id: int) -> Child:
    """The child, for staff who see its first household."""
    actor.require_staff()
    child = session.get(Child, child_id)
    if child is None:
        raise NotFound("Cet enfant n'existe pas.")
    staff_scope.require_family(session, actor, child.family_id)
    return child


def household_for(session: Session, actor: Actor, child: Child, family_id: int | None) -> int:
    """The household a per-household paper (certificate, statement) is for: the signed-in
    family's own; for staff, the one they name (of the child's, and theirs to see), else
    the child's first household."""
    if not actor.is_staff:
        own = actor.require_family()
        if family_id not in (None, own) or own not in household_ids(session, child.id):
            raise Forbidden()
        return own
    if family_id is None:
        return child.family_id
    if family_id not in household_ids(session, child.id):
        raise NotFound("Cet enfant ne fait pas partie de ce foyer.")
    staff_scope.require_family(session, actor, family_id)
    return family_id
