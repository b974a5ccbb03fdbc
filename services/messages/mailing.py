"""Mails to an activity's families: reception picks a site, an activity, a period and
optionally days, checks who will receive it, then sends. Each family gets one mail through
the outbox, and the same words in its message box (a thread opened by the centre)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import Activity, Child, Family, Period, Registration, Reservation
from db.states import HOLDS_PLACE, RegistrationState
from services import audit, organisation
from services.actor import Actor
from services.families.households import children_of
from services.errors import InvalidInput, NotFound
from services.mail import recipients as mail
from services.mail import outbox
from services.mail.pages import go_line
from services.messages.writing import clean_body, clean_subject, open_from_centre

MAX_DAYS = 62


@dataclass(frozen=True)
class Audience:
    """Whom a mailing reaches: the site, activity and period chosen, and optional days."""

    site_id: int
    activity_id: int
    period_id: int | None = None
    days: tuple[date, ...] = ()


@dataclass(frozen=True)
class Recipient:
    family_id: int
    family: str
    email: str
    children: str


def _families(session: Session, actor: Actor, audience: Audience) -> list[int]:
    """The families reached: a reservation holding a place on one of the days when days are
    chosen, else a validated registration; on the staff member's own site only."""
    actor.require_site(audience.site_id)
    site = session.scalar(select(Activity.site_id).where(Activity.id == audience.activity_id))
    if site != audience.site_id:
        raise NotFound("Cette activité n'existe pas sur ce lieu d'accueil.")
    query = (select(Registration.family_id)
             .join(Period, Period.id == Registration.period_id)
             .where(Period.activity_id == audience.activity_id))
    if audience.period_id is not None:
        query = query.where(Registration.period_id == audience.period_id)
    if audience.days:
        if len(audience.days) > MAX_DAYS:
            raise InvalidInput(f"Choisissez au plus {MAX_DAYS} jours.")
        query = query.join(Reservation, Reservation.registration_id == Registration.id).where(
            Reservation.day.in_(sorted(audience.days)),
            Reservation.state.in_([s.value for s in HOLDS_PLACE]))
    else:
        query = query.where(Registration.state == RegistrationState.VALIDATED.value)
    return sorted(set(session.scalars(query)))


def _recipients(session: Session, actor: Actor, audience: Audience) -> list[Recipient]:
    ids = _families(session, actor, audience)
    if not ids:
        return []
    children = {family_id: list(session.scalars(
        select(Child.first_name).where(children_of(family_id)).order_by(Child.birth_date)))
        for family_id in ids}
    families = session.scalars(select(Family).where(Family.id.in_(ids)).order_by(Family.name))
    return [Recipient(f.id, f.name, f.email, ", ".join(children.get(f.id, [])))
            for f in families]


def list_recipients(actor: Actor, audience: Audience) -> list[Recipient]:
    """The families a mailing to this audience would reach, by name."""
    with read() as session:
        return _recipients(session, actor, audience)


def send_mailing(actor: Actor, audience: Audience, subject: str, body: str) -> int:
    """Mail each family of the audience (the centre's signature appended) and put the same
    message in its message box; returns how many families were reached."""
    subject, body = clean_subject(subject), clean_body(body)
    signed = f"{body}\n\n{organisation.signature()}"
    in_box = go_line("messages", "Ce message est aussi dans votre messagerie du portail")
    with transaction() as session:
        recipients = _recipients(session, actor, audience)
        if not recipients:
            raise InvalidInput("Aucune famille ne correspond à ce choix : rien n'a été envoyé.")
        for recipient in recipients:
            thread = open_from_centre(session, actor, recipient.family_id, subject, signed)
            mail.queue_family(session, recipient.family_id, "info", subject,
                              f"{body}\n\n{in_box}\n\n{organisation.signature()}",
                              caused_by=actor.user_id)
            audit.record(session, actor, "message_thread_start", "message_thread", thread.id,
                         family_id=recipient.family_id, mailing=True)
        audit.record(session, actor, "activity_mailing", "activity", audience.activity_id,
                     site_id=audience.site_id, period_id=audience.period_id,
                     days=[d.isoformat() for d in audience.days], subject=subject,
                     families=[r.family_id for r in recipients])
        return len(recipients)
