"""Mails the booking use cases send, queued in their transaction."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Activity, Child, Period, Registration, Reservation, Unit
from services import organisation
from services.billing.charges import Payer
from services.booking.context import BookingContext
from services.booking.outcomes import Submission, confirmation_body, day_label
from services.mail import outbox


def mail_submission(session: Session, ctx: BookingContext, submission: Submission) -> None:
    """The confirmation after a submission: every date and unit with its outcome."""
    to, subject, body, family_id = submission_mail(ctx, submission)
    outbox.queue(session, to, subject, body, family_id=family_id)


def submission_mail(ctx: BookingContext,
                    submission: Submission) -> tuple[str, str, str, int | None]:
    """That confirmation as (recipient, subject, body, family), to queue with others."""
    subject = f"Vos réservations pour {ctx.child_name} – {ctx.activity.name}"
    body = confirmation_body(submission, ctx.activity.name, ctx.period.name)
    return ctx.family_email, subject, body, ctx.family_id


def lines_by_family(session: Session, cells: list[Reservation],
                    status: Callable[[Reservation], str]) -> dict[int, list[str]]:
    """One mail line per cell ("- Léa, ACTIVITY, lundi 01/12/2026, UNIT : status"), by family."""
    rows = session.execute(
        select(Reservation.id, Registration.family_id, Child.first_name, Activity.name, Unit.name)
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


class PromotedCell(Protocol):
    """What the mail of a promotion says of each cell (services.booking.promotion.Promoted)."""

    @property
    def day(self) -> date: ...
    @property
    def unit_id(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def payer(self) -> Payer: ...
    @property
    def unit(self) -> tuple[str, int, int]: ...
    @property
    def family_email(self) -> str: ...
    @property
    def activity(self) -> str: ...


PROMOTED_SUBJECT = "Une place s'est libérée pour votre enfant"


def promoted_mails(promoted: Sequence[PromotedCell]) -> list[tuple[str, str, str, int | None]]:
    """One mail to each family whose waiting requests just got a place (recipient, subject,
    body, family), from what the promotion read: no query of its own."""
    by_family: dict[int, list[str]] = defaultdict(list)
    email: dict[int, str] = {}
    for p in sorted(promoted, key=lambda p: (p.day, p.unit_id)):
        status = ("réservation validée" if p.state == "validated"
                  else "demande envoyée à l'accueil pour validation")
        fam = p.payer.family_id
        email[fam] = p.family_email
        by_family[fam].append(f"- {p.payer.first_name}, {p.activity}, {day_label(p.day)}, "
                              f"{p.unit[0]} : {status}")
    return [(email[fam], PROMOTED_SUBJECT, "\n".join(
        ["Bonjour,", "", "Une place s'est libérée : votre demande en liste d'attente a obtenu "
         "une place.", "", *lines, "", organisation.signature()]), fam)
        for fam, lines in by_family.items()]
