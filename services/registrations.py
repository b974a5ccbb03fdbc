"""Registration requests: a family asks to register a child for a period; staff decide."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.base import utcnow
from db.engine import transaction
from db.models import Activity, AgeGroup, Child, Period, Registration, Site
from db.states import OPEN_REGISTRATION_STATES, REGISTRATION_TRANSITIONS, RegistrationState
from services import audit, organisation
from services.actor import Actor
from services.errors import Forbidden, InvalidInput, InvalidTransition, NotFound, PortalError
from services.families.households import household_ids
from services.families.rights.pending import refuse_closed
from services.families.scope import visible_child
from services.mail import recipients
from services.mail.pages import go_line
from services.staff.scope import require_family


class AgeGroupMismatch(PortalError):
    default_message = ("Cette période est réservée à une autre tranche d'âge : choisissez la "
                       "période qui correspond à l'âge de votre enfant.")


class DuplicateRegistration(PortalError):
    default_message = ("Une demande d'inscription existe déjà pour cet enfant sur cette période.")


class RegistrationClosed(PortalError):
    default_message = "Les inscriptions à cette période sont fermées."


def age_on(birth: date, on: date) -> int:
    """Age in whole years on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def fits(birth: date, group: AgeGroup, period_start: date) -> bool:
    """A child fits an age group if its age on the period's first day is in the range."""
    return group.min_age <= age_on(birth, period_start) <= group.max_age


@dataclass(frozen=True)
class Decision:
    registration_id: int
    state: str


def request_registration(actor: Actor, child_id: int, period_id: int,
                         family_id: int | None = None) -> int:
    """Ask to register a child (of the caller's family) for a period; returns the request id.
    The registration is the asking household's (staff name it; by default the first one)."""
    with transaction() as session:
        child = visible_child(session, actor, child_id)
        household = _asking_household(session, actor, child, family_id)
        row = session.execute(
            select(Period, AgeGroup, Activity).join(AgeGroup, AgeGroup.id == Period.age_group_id)
            .join(Activity, Activity.id == Period.activity_id).where(Period.id == period_id)).first()
        if row is None:
            raise NotFound("Cette période n'existe pas.")
        period, group, activity = row
        if actor.is_staff:
            actor.require_site(activity.site_id)
            # A family another site's desk works with is not this desk's to sign up.
            require_family(session, actor, household)
        if not period.registration_open:
            raise RegistrationClosed()
        if not fits(child.birth_date, group, period.start_date):
            raise AgeGroupMismatch(
                f"{child.first_name} aura {age_on(child.birth_date, period.start_date)} ans au "
                f"début de la période : la période « {period.name} » est réservée aux "
                f"{group.label}. Choisissez la période de sa tranche d'âge.")
        existing = session.scalar(select(Registration.id).where(
            Registration.child_id == child_id, Registration.period_id == period_id,
            Registration.family_id == household, Registration.state.in_([s.value for s in OPEN_REGISTRATION_STATES])))
        if existing is not None:
            raise DuplicateRegistration()
        registration = Registration(child_id=child_id, period_id=period_id, family_id=household,
                                    state=RegistrationState.REQUESTED.value, requested_at=utcnow())
        session.add(registration)
        try:
            session.flush()
        except IntegrityError as exc:  # a double click that raced past the check above
            raise DuplicateRegistration() from exc
        audit.record(session, actor, "request_registration", "registration", registration.id,
                     child_id=child_id, period_id=period_id, family_id=household)
        recipients.queue_family(
            session, household, "booking", "Demande d'inscription reçue",
            f"Bonjour,\n\nNous avons bien reçu votre demande d'inscription de "
            f"{child.first_name} à « {activity.name} – {period.name} ».\n"
            f"L'accueil du centre la traite{organisation.get_profile().hours_sentence} ; "
            "vous recevrez un mail dès qu'elle sera validée.\n\n"
            f"{go_line('home', 'Votre tableau de bord')}\n\n"
            + organisation.signature(), caused_by=actor.user_id)
        return registration.id


def _asking_household(session: Session, actor: Actor, child: Child,
                      family_id: int | None) -> int:
    """The household a registration is for: the signed-in family, or the one staff name
    (the child's first household unless told)."""
    if not actor.is_staff:
        own = actor.require_family()
        if family_id not in (None, own):
            raise Forbidden()
        return own
    if family_id is None:
        return child.family_id
    if family_id not in household_ids(session, child.id):
        raise InvalidInput("Cet enfant ne fait pas partie de ce foyer.")
    return family_id


def decide(actor: Actor, registration_id: int, validate: bool, reason: str = "") -> Decision:
    """Staff validate or refuse a registration request; the family is emailed either way."""
    actor.require_staff()
    with transaction() as session:
        return decide_in(session, actor, registration_id, validate, reason)


def decide_in(session: Session, actor: Actor, registration_id: int, validate: bool,
              reason: str = "") -> Decision:
    """The decision inside the caller's transaction (staff decide many at once)."""
    actor.require_staff()
    target = RegistrationState.VALIDATED if validate else RegistrationState.REFUSED
    row = session.execute(
        select(Registration, Child, Period, Activity, Site)
        .join(Child, Child.id == Registration.child_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .join(Site, Site.id == Activity.site_id)
        .where(Registration.id == registration_id).with_for_update(of=Registration)).first()
    if row is None:
        raise NotFound("Cette demande d'inscription n'existe pas.")
    registration, child, period, activity, site = row
    actor.require_site(site.id)
    if validate:  # a closed account's request is withdrawn; this one was reopened elsewhere
        refuse_closed(session, [registration.family_id], "son inscription ne peut plus être "
                      "validée (refusez la demande)")
    if target not in REGISTRATION_TRANSITIONS[RegistrationState(registration.state)]:
        raise InvalidTransition("Cette demande a déjà été traitée.")
    registration.state = target.value
    registration.decided_at = utcnow()
    registration.decided_by = actor.user_id
    registration.reason = reason.strip()[:1000]
    audit.record(session, actor, "decide_registration", "registration", registration.id,
                 state=target.value, reason=registration.reason)
    verdict = ("a été validée : vous pouvez maintenant réserver les jours dans "
               "« Mes réservations »." if validate else "n'a pas pu être acceptée.")
    body = (f"Bonjour,\n\nLa demande d'inscription de {child.first_name} à "
            f"« {activity.name} – {period.name} » {verdict}\n")
    if registration.reason:
        body += f"\nMotif : {registration.reason}\n"
    recipients.queue_family(
        session, registration.family_id, "booking",
        "Inscription validée" if validate else "Demande d'inscription refusée",
        body + "\n" + go_line("bookings" if validate else "home") + "\n\n"
        + organisation.signature(),
        caused_by=recipients.asked_by(session, "registration", registration.id,
                                      "request_registration"))
    return Decision(registration.id, registration.state)
