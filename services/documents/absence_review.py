"""Reception's decision on a declared absence: justified (never billed) or not (billed as
CHARGE_UNJUSTIFIED_ABSENCE says, like an unjustified absence ticked at Pointage)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import settings
from db.engine import read, transaction
from db.models import AbsenceNotice, Activity, Child, Family, Reservation, Unit
from db.states import ReservationState as R
from services import audit, organisation
from services.actor import Actor
from services.billing.charges import create_charges, is_charged
from services.billing.credits import cancel_charges
from services.booking.capacity import db_now
from services.booking.rules import LOCAL
from services.documents.absences import JUSTIFIED, REASONS, REQUESTED, UNJUSTIFIED
from services.errors import InvalidTransition
from services.families.names import full_name
from services.mail import recipients
from services.mail.dates import day_words
from services.mail.pages import go_line
from services.staff.scope import families_filter, require_reservation


@dataclass(frozen=True)
class AbsenceRow:
    reservation_id: int
    family: str
    child: str
    day: date
    unit: str
    reason: str
    note: str
    proof_id: int | None
    declared_at: datetime


def list_absences(actor: Actor) -> list[AbsenceRow]:
    """Declared absences waiting for reception, oldest first, on the caller's sites."""
    actor.require_staff()
    query = (select(AbsenceNotice, Family.name, Child.first_name, Child.last_name,
                    Reservation.day, Unit.name, Activity.site_id)
             .join(Reservation, Reservation.id == AbsenceNotice.reservation_id)
             .join(Child, Child.id == Reservation.child_id)
             .join(Family, Family.id == AbsenceNotice.family_id)
             .join(Unit, Unit.id == Reservation.unit_id)
             .join(Activity, Activity.id == Unit.activity_id)
             .where(AbsenceNotice.state == REQUESTED,
                    families_filter(actor, AbsenceNotice.family_id))
             .order_by(AbsenceNotice.id))
    with read() as session:
        rows = session.execute(query).all()
    return [AbsenceRow(n.reservation_id, fam, full_name(first, last), day, unit,
                       REASONS.get(n.reason, n.reason), n.note, n.proof_id, n.declared_at)
            for n, fam, first, last, day, unit, site in rows
            if actor.site_ids is None or site in actor.site_ids]


def decide_absence(actor: Actor, reservation_id: int, justified: bool) -> None:
    """Justify a declared absence or not; the charge follows, the family is told by mail."""
    actor.require_staff()
    with transaction() as session:
        res = require_reservation(session, actor, reservation_id)
        notice = session.scalar(select(AbsenceNotice).where(
            AbsenceNotice.reservation_id == reservation_id).with_for_update())
        if notice is None:
            raise InvalidTransition("Aucune absence n'est signalée pour ce jour.")
        if notice.state != REQUESTED:
            raise InvalidTransition("Cette absence a déjà été traitée.")
        now = db_now(session)
        notice.state = JUSTIFIED if justified else UNJUSTIFIED
        notice.decided_at, notice.decided_by = now, actor.user_id
        _charge(session, res, justified, now)
        verdict = "justifiée" if justified else "non justifiée"
        body = ["Bonjour,", "", f"L'absence signalée pour le {day_words(res.day)} a été "
                f"examinée par l'accueil : absence {verdict}.",
                "La journée ne vous sera pas facturée." if justified
                else "La journée reste facturée selon le règlement du centre."
                if settings.as_bool(settings.CHARGE_UNJUSTIFIED_ABSENCE)
                else "La journée ne vous sera pas facturée.", "",
                go_line("bookings", "Vos réservations"), "", organisation.signature()]
        recipients.queue_family(
            session, notice.family_id, "safety", f"Absence du {day_words(res.day)} : {verdict}",
            "\n".join(body),
            caused_by=recipients.asked_by(session, "reservation", res.id, "declare_absence"),
            child_id=res.child_id)
        audit.record(session, actor, "decide_absence", "reservation", res.id,
                     family_id=notice.family_id, justified=justified)


def _charge(session: Session, res: Reservation, justified: bool, now: datetime) -> None:
    billed = not justified and settings.as_bool(settings.CHARGE_UNJUSTIFIED_ABSENCE)
    if res.state == R.CANCELLED.value:
        # The place went back to the waiting list; only the charge is left to settle.
        if not billed:
            cancel_charges(session, [res.id], now)
        return
    target = R.ABSENT_JUSTIFIED if justified else R.ABSENT
    was = is_charged(res.state)
    res.state = target.value
    if was and not is_charged(target):
        cancel_charges(session, [res.id], now)
    elif not was and is_charged(target):
        create_charges(session, [res], now.astimezone(LOCAL).date())
