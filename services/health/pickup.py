"""The people a family allows to pick its children up, and whom to call in an emergency.
The family asks (reception checks, as for guardians); the desk may enter a paper form."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import ChangeRequest, PickupPerson, Registration, Reservation
from db.states import ChangeRequestState
from services import audit
from services.actor import Actor
from services.errors import PortalError
from services.families import changes
from services.health.forms import PickupForm, clean_pickup, pickup_json
from services.staff.scope import family_of, require_family


class NoEmergencyContact(PortalError):
    default_message = ("Avant une première réservation, indiquez dans « Ma famille » au moins "
                       "une personne à prévenir en cas d'urgence (contact d'urgence). "
                       "L'accueil la valide, puis vous pourrez réserver.")


@dataclass(frozen=True)
class PickupView:
    id: int
    name: str
    relationship: str
    phone: str
    may_pick_up: bool
    emergency: bool


def views(session: Session, family_ids: list[int]) -> dict[int, list[PickupView]]:
    """Each family's pick-up persons, emergency contacts first (inside a scoped service)."""
    rows = session.scalars(select(PickupPerson).where(PickupPerson.family_id.in_(family_ids))
                           .order_by(PickupPerson.emergency.desc(), PickupPerson.name))
    out: dict[int, list[PickupView]] = {f: [] for f in family_ids}
    for p in rows:
        out[p.family_id].append(PickupView(p.id, p.name, p.relationship, p.phone,
                                           p.may_pick_up, p.emergency))
    return out


def list_pickup_persons(actor: Actor, family_id: int | None = None) -> list[PickupView]:
    """A family's pick-up persons: its own, or a family the staff member works with."""
    with read() as session:
        family = family_of(session, actor, family_id)
        return views(session, [family])[family]


def request_pickup(actor: Actor, form: PickupForm, pickup_id: int | None = None,
                   remove: bool = False) -> int:
    """The family adds, changes or withdraws a person; reception checks it (request id)."""
    actor.require_family()
    if remove:
        field, value = "pickup_remove", pickup_json(PickupForm(""), pickup_id)
    else:
        form = clean_pickup(form)
        field = "pickup_update" if pickup_id else "pickup_add"
        value = pickup_json(form, pickup_id)
    with transaction() as session:
        return changes.queue_request(session, actor, field, value)


def add_pickup_person(actor: Actor, family_id: int, form: PickupForm) -> int:
    """Reception enters a person from the family's paper form: recorded at once."""
    form = clean_pickup(form)
    with transaction() as session:
        require_family(session, actor, family_id)
        person = PickupPerson(family_id=family_id, name=form.name,
                              relationship=form.relationship, phone=form.phone,
                              may_pick_up=form.may_pick_up, emergency=form.emergency)
        session.add(person)
        session.flush()
        audit.record(session, actor, "add_pickup_person", "family", family_id,
                     pickup_id=person.id, name=form.name, emergency=form.emergency)
        return person.id


# One statement, run once per family submission before the locks: a family that booked
# before (pick-up persons came later) is not stopped; a new one names a contact first.
_READY = select(
    exists().where(PickupPerson.family_id == bindparam("family"),
                   PickupPerson.emergency.is_(True))
    | exists().where(Reservation.registration_id.in_(
        select(Registration.id).where(Registration.family_id == bindparam("family")))))


def require_emergency_contact(session: Session, family_id: int) -> None:
    """Refuses a family's first booking until it has an emergency contact."""
    if not session.scalar(_READY, {"family": family_id}):
        raise NoEmergencyContact()


def booking_blocker(actor: Actor) -> str | None:
    """Why the signed-in family cannot book yet, or None."""
    family_id = actor.require_family()
    with read() as session:
        if session.scalar(_READY, {"family": family_id}):
            return None
        waiting = session.scalar(select(ChangeRequest.id).where(
            ChangeRequest.family_id == family_id,
            ChangeRequest.field.in_(["pickup_add", "pickup_update"]),
            ChangeRequest.new_value.like('%"emergency": true%'),
            ChangeRequest.state == ChangeRequestState.REQUESTED.value).limit(1))
    if waiting:
        return ("Votre contact d'urgence attend la validation de l'accueil : vous pourrez "
                "réserver dès qu'elle l'aura acceptée.")
    return NoEmergencyContact.default_message
