"""Attestation de paiement et de présence: for a child of any age and a chosen period, the
days attended per activity and what was charged and paid for them. Employers and works
councils (CE/CSE) ask for it; the tax certificate only covers children under 6."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read
from db.models import (Activity, Charge, Child, Family, Organisation, Payment,
                       PaymentAllocation, Period, Registration, Reservation, Site)
from db.states import PaymentMethod, ReservationState
from services import organisation, validate
from services.actor import Actor
from services.billing.pdf import Document, euros
from services.booking.rules import LOCAL
from services.families.names import full_name
from services.families.households import household_for
from services.families.scope import visible_child
from services.payments import ledger

LONGEST_YEARS = 2  # a works council asks for a year or a school year; two leave some room


@dataclass(frozen=True)
class ActivityLine:
    """One activity of the child in the period."""

    activity: str
    site: str
    days_present: list[date]
    charged_cents: int
    paid_cents: int


@dataclass(frozen=True)
class AttendanceStatement:
    """What the certificate says, as plain data (the page shows a summary of it)."""

    child: str
    birth_date: date
    start: date
    end: date
    lines: list[ActivityLine]
    cesu_cents: int  # of the paid amount, settled with CESU titles

    @property
    def days_present(self) -> int:
        return sum(len(line.days_present) for line in self.lines)

    @property
    def charged_cents(self) -> int:
        return sum(line.charged_cents for line in self.lines)

    @property
    def paid_cents(self) -> int:
        return sum(line.paid_cents for line in self.lines)


def checked_period(start: date | None, end: date | None) -> tuple[date, date]:
    """From/to dates of a certificate: in order, and at most two years long."""
    first = validate.day(start, "Du")
    try:
        limit = first.replace(year=first.year + LONGEST_YEARS)
    except ValueError:  # from 29 February: up to 28 February included
        limit = date(first.year + LONGEST_YEARS, 3, 1)
    last = validate.day(end, "Au", earliest=first, latest=limit - timedelta(days=1))
    return first, last


def _present_days(session: Session, child_id: int, family_id: int, start: date,
                  end: date) -> dict[int, set[date]]:
    """Activity id -> the days the child was marked present (any unit) with this household."""
    rows = session.execute(
        select(Period.activity_id, Reservation.day)
        .join(Registration, Registration.id == Reservation.registration_id)
        .join(Period, Period.id == Registration.period_id)
        .where(Reservation.child_id == child_id, Registration.family_id == family_id,
               Reservation.day.between(start, end),
               Reservation.state == ReservationState.PRESENT.value))
    days: dict[int, set[date]] = {}
    for activity_id, day in rows:
        days.setdefault(activity_id, set()).add(day)
    return days


def _charges(session: Session, child_id: int, family_id: int, start: date,
             end: date) -> list[Charge]:
    """The child's live charges to this household for the days of the period."""
    return list(session.scalars(
        select(Charge).join(Registration, Registration.id == Charge.registration_id)
        .where(Registration.child_id == child_id, Charge.family_id == family_id,
               Charge.cancelled_at.is_(None),
               Charge.day.between(start, end))))


def _statement(session: Session, child: Child, family_id: int, start: date,
               end: date) -> AttendanceStatement:
    # Each household is certified what it paid, and the days it booked (a child of two
    # households gets one certificate from each).
    present = _present_days(session, child.id, family_id, start, end)
    charges = _charges(session, child.id, family_id, start, end)
    balances = ledger.charge_balances(session, charges)
    activity_of = dict(session.execute(
        select(Registration.id, Period.activity_id)
        .join(Period, Period.id == Registration.period_id)
        .where(Registration.child_id == child.id)).all())
    charged: dict[int, int] = {}
    paid: dict[int, int] = {}
    for charge in charges:
        activity = activity_of[charge.registration_id]
        charged[activity] = charged.get(activity, 0) + charge.amount_cents
        paid[activity] = paid.get(activity, 0) + charge.amount_cents - balances[charge.id]
    ids = sorted(set(present) | set(charged))
    names = {a: (name, site) for a, name, site in session.execute(
        select(Activity.id, Activity.name, Site.name).join(Site, Site.id == Activity.site_id)
        .where(Activity.id.in_(ids)))}
    lines = [ActivityLine(names[a][0], names[a][1], sorted(present.get(a, set())),
                          charged.get(a, 0), paid.get(a, 0))
             for a in sorted(ids, key=lambda a: names[a])]
    cesu = session.scalar(
        select(func.coalesce(func.sum(PaymentAllocation.amount_cents), 0))
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(PaymentAllocation.charge_id.in_([c.id for c in charges]),
               Payment.method == PaymentMethod.CESU.value)) if charges else 0
    return AttendanceStatement(full_name(child.first_name, child.last_name), child.birth_date,
                               start, end, lines, int(cesu or 0))


def get_attendance_statement(actor: Actor, child_id: int, start: date | None,
                             end: date | None,
                             family_id: int | None = None) -> AttendanceStatement:
    """Days attended and amounts charged and paid for a child over a period (any age), for
    one of its households (the caller's; staff may name one)."""
    first, last = checked_period(start, end)
    with read() as session:
        child = visible_child(session, actor, child_id)
        return _statement(session, child, household_for(session, actor, child, family_id),
                          first, last)


def attendance_certificate_pdf(actor: Actor, child_id: int, start: date | None,
                               end: date | None, family_id: int | None = None) -> bytes:
    """Attestation de paiement et de présence of a child over a period, as a PDF, for one
    of its households."""
    first, last = checked_period(start, end)
    with read() as session:
        child = visible_child(session, actor, child_id)
        household = household_for(session, actor, child, family_id)
        family = session.get(Family, household)
        org = session.get(Organisation, family.organisation_id) if family else None
        assert family is not None and org is not None
        statement = _statement(session, child, household, first, last)
        profile = organisation.profile_of(org)
        doc = Document(profile.name, profile.letterhead, "Attestation de paiement et de présence")
        _write(doc, statement, family)
        doc.signature(profile.city, datetime.now(LOCAL).date())
        return doc.render()


def _write(doc: Document, s: AttendanceStatement, family: Family) -> None:
    place = " ".join(p for p in (family.address, family.postal_code, family.city) if p)
    doc.para(f"{doc.organisation} atteste que l'enfant {s.child}, né(e) le "
             f"{s.birth_date:%d/%m/%Y}, de la famille {family.name}"
             + (f" ({place})" if place else "") + f", a été accueilli(e) du "
             f"{s.start:%d/%m/%Y} au {s.end:%d/%m/%Y} comme suit.")
    if not s.lines:
        doc.para("Aucune présence ni prestation sur cette période.", bold=True)
        return
    doc.rows_table(["Activité", "Lieu d'accueil", "Jours de présence", "Facturé", "Réglé"],
                   [[line.activity, line.site, str(len(line.days_present)),
                     euros(line.charged_cents), euros(line.paid_cents)] for line in s.lines],
                   [68, 42, 30, 25, 25])
    doc.para(f"Total : {s.days_present} jour(s) de présence – montant facturé "
             f"{euros(s.charged_cents)} – montant réglé {euros(s.paid_cents)} – reste dû "
             f"{euros(s.charged_cents - s.paid_cents)}", bold=True)
    if s.cesu_cents:
        doc.para(f"Dont {euros(s.cesu_cents)} réglés en CESU préfinancés.")
    for line in s.lines:
        if line.days_present:
            doc.para(f"Jours de présence – {line.activity} : "
                     + ", ".join(f"{d:%d/%m/%Y}" for d in line.days_present), size=9)
    doc.para("Montants des prestations des jours de la période (réservations validées, "
             "absences non justifiées comprises) et sommes réglées à la date de l'attestation. "
             "Attestation délivrée pour servir et valoir ce que de droit.", size=9)
