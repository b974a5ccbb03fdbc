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
from services.booking.outcomes import Submission, confirmation_body
from services.mail import outbox, recipients
from services.mail.dates import day_words
from services.mail.pages import go_line


def mail_submission(session: Session, ctx: BookingContext, submission: Submission,
                    caused_by: int | None = None) -> None:
    """The confirmation after a submission: every date and unit with its outcome, to the
    family's recipients (services.mail.recipients)."""
    outbox.queue_many(session, recipients.expand(session, [submission_mail(ctx, submission)],
                                                 "booking", caused_by),
                      kind="booking", caused_by=caused_by)


def submission_mail(ctx: BookingContext,
                    submission: Submission) -> tuple[str, str, str, int | None]:
    """That confirmation as (recipient, subject, body, family), to queue with others."""
    body = confirmation_body(submission, ctx.activity.name, ctx.period.name)
    return ctx.family_email, submission_subject(ctx), body, ctx.family_id


def submission_subject(ctx: BookingContext) -> str:
    return f"Vos réservations pour {ctx.child_name} – {ctx.activity.name}"


def lines_by_family(session: Session, cells: list[Reservation],
                    status: Callable[[Reservation], str]) -> dict[int, list[str]]:
    """One mail line per cell ("- Léa, ACTIVITY, mardi 1er décembre 2026, UNIT : status"), by family."""
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
        by_family[fam].append(f"- {first}, {act}, {day_words(r.day)}, {unit} : {status(r)}")
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
    @property
    def requested_by(self) -> int | None: ...


PROMOTED_SUBJECT = "Une place s'est libérée pour votre enfant"


def requesters(promoted: Sequence[PromotedCell]) -> dict[int, set[int]]:
    """Who asked for each family's promoted cells: a guardian who takes only the mails
    about what they did hears of their own waiting requests getting a place."""
    asked: dict[int, set[int]] = defaultdict(set)
    for p in promoted:
        if p.requested_by is not None:
            asked[p.payer.family_id].add(p.requested_by)
    return dict(asked)


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
        by_family[fam].append(f"- {p.payer.first_name}, {p.activity}, {day_words(p.day)}, "
                              f"{p.unit[0]} : {status}")
    return [(email[fam], PROMOTED_SUBJECT, "\n".join(
        ["Bonjour,", "", "Une place s'est libérée : votre demande en liste d'attente a obtenu "
         "une place.", "", *lines, "", go_line("bookings", "Vos réservations"), "",
         organisation.signature()]), fam)
        for fam, lines in by_family.items()]
