"""Mails the booking use cases send, queued in their transaction."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Activity, Child, Period, Registration, Reservation, Unit
from services import organisation
from services.booking.context import BookingContext
from services.booking.outcomes import Submission, confirmation_body, day_label
from services.mail import outbox


def mail_submission(session: Session, ctx: BookingContext, submission: Submission) -> None:
    """The confirmation after a submission: every date and unit with its outcome."""
    subject = f"Vos réservations pour {ctx.child_name} – {ctx.activity.name}"
    body = confirmation_body(submission, ctx.activity.name, ctx.period.name)
    outbox.queue(session, ctx.family_email, subject, body, family_id=ctx.family_id)


def lines_by_family(session: Session, cells: list[Reservation],
                    status: Callable[[Reservation], str]) -> dict[int, list[str]]:
    """One mail line per cell ("- Léa, ACTIVITY, lundi 01/12/2026, UNIT : status"), by family."""
    rows = session.execute(
        select(Reservation.id, Child.family_id, Child.first_name, Activity.name, Unit.name)
        .join(Registration, Registration.id == Reservation.registration_id)
        .join(Child, Child.id == Reservation.child_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .join(Unit, Unit.id == Reservation.unit_id)
        .where(Reservation.id.in_([r.id for r in cells]))).all()
    info = {rid: (fam, first, act, unit) for rid, fam, first, act, unit in rows}
    by_family: dict[int, list[str]] = defaultdict(list)
    for r in sorted(cells, key=lambda r: (r.day, r.unit_id)):
        fam, first, act, unit = info[r.id]
        by_family[fam].append(f"- {first}, {act}, {day_label(r.day)}, {unit} : {status(r)}")
    return by_family


def mail_promoted(session: Session, promoted: list[Reservation]) -> None:
    """Tell each family whose waiting request just got a place."""
    if not promoted:
        return
    by_family = lines_by_family(
        session, promoted, lambda r: "réservation validée" if r.state == "validated"
        else "demande envoyée à l'accueil pour validation")
    for fam, lines in by_family.items():
        body = "\n".join(["Bonjour,", "", "Une place s'est libérée : votre demande en liste "
                          "d'attente a obtenu une place.", "", *lines, "",
                          organisation.signature()])
        outbox.queue(session, outbox.family_recipient(session, fam),
                     "Une place s'est libérée pour votre enfant", body, family_id=fam)
