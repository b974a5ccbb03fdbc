"""Pointage: the children expected on a site and day, ticked present or absent by staff,
and late arrivals added without ever passing capacity."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import (Activity, AgeGroup, CapacitySlot, Charge, Child, Period, Registration,
                       Reservation, Unit)
from db.states import RESERVATION_TRANSITIONS, RegistrationState
from db.states import ReservationState as R
from services import audit
from services.actor import Actor
from services.billing.charges import create_charges, is_charged
from services.billing.credits import cancel_charges
from services.booking.capacity import db_now
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.errors import InvalidInput, InvalidTransition, NotFound, PortalError
from services.staff.choices import Choice
from services.staff.scope import require_child
from services.families.names import full_name

EXPECTED = (R.VALIDATED, R.PRESENT, R.ABSENT, R.ABSENT_JUSTIFIED)
MARKS = (R.PRESENT, R.ABSENT, R.ABSENT_JUSTIFIED)


class SlotFull(PortalError):
    default_message = ("Complet : plus aucune place sur cette unité ce jour-là. L'enfant ne peut "
                       "pas être ajouté sans dépasser la capacité.")


@dataclass(frozen=True)
class AttendanceRow:
    reservation_id: int
    activity: str
    unit: str
    child: str
    age_group: str
    state: str
    by_staff: bool
    child_id: int = 0


@dataclass(frozen=True)
class UnitTotal:
    unit: str
    expected: int = 0
    present: int = 0
    absent: int = 0
    justified: int = 0

    @property
    def unmarked(self) -> int:
        return self.expected - self.present - self.absent - self.justified


@dataclass(frozen=True)
class Sheet:
    rows: list[AttendanceRow]
    totals: list[UnitTotal] = field(default_factory=list)


def get_sheet(actor: Actor, site_id: int, day: date) -> Sheet:
    """Children expected on a site and day (validated reservations), by unit."""
    actor.require_site(site_id)
    with read() as session:
        found = session.execute(
            select(Reservation.id, Activity.name, Unit.name, Child.first_name, Child.last_name,
                   AgeGroup.label, Reservation.state, Reservation.by_staff, Child.id)
            .join(Unit, Unit.id == Reservation.unit_id)
            .join(Activity, Activity.id == Unit.activity_id)
            .join(Child, Child.id == Reservation.child_id)
            .join(CapacitySlot, CapacitySlot.id == Reservation.slot_id)
            .join(AgeGroup, AgeGroup.id == CapacitySlot.age_group_id)
            .where(Activity.site_id == site_id, Reservation.day == day,
                   Reservation.state.in_([s.value for s in EXPECTED]))
            .order_by(Activity.name, Unit.position, Child.last_name, Child.first_name)).all()
    rows = [AttendanceRow(rid, act, unit, full_name(first, last), group, state, by_staff, cid)
            for rid, act, unit, first, last, group, state, by_staff, cid in found]
    counts: dict[str, list[int]] = {}
    for r in rows:
        c = counts.setdefault(f"{r.activity} · {r.unit}", [0, 0, 0, 0])
        c[0] += 1
        c[1] += r.state == R.PRESENT
        c[2] += r.state == R.ABSENT
        c[3] += r.state == R.ABSENT_JUSTIFIED
    return Sheet(rows, [UnitTotal(u, *c) for u, c in counts.items()])


def mark(actor: Actor, marks: dict[int, str]) -> int:
    """Tick present / absent / absent justified; returns how many changed. The charge
    follows: a justified absence is not billed (an unjustified one as the setting says)."""
    actor.require_staff()
    wanted = {rid: R(state) for rid, state in marks.items() if state in {m.value for m in MARKS}}
    if len(wanted) != len(marks):
        raise InvalidInput("Pointage invalide : choisissez présent, absent ou absent justifié.")
    if not wanted:
        return 0
    with transaction() as session:
        rows = session.execute(
            select(Reservation, Activity.site_id).join(Unit, Unit.id == Reservation.unit_id)
            .join(Activity, Activity.id == Unit.activity_id)
            .where(Reservation.id.in_(list(wanted)))).all()
        if len(rows) != len(wanted):
            raise NotFound("Certaines réservations n'existent pas.")
        for _, site_id in rows:
            actor.require_site(site_id)
        now = db_now(session)
        changed, to_bill, to_unbill = 0, [], []
        for r, _ in rows:
            target = wanted[r.id]
            if r.state == target.value:
                continue
            if target not in RESERVATION_TRANSITIONS[R(r.state)]:
                raise InvalidTransition(f"Ce pointage n'est pas possible pour une réservation "
                                        f"« {r.state} ».")
            was = is_charged(r.state)
            r.state = target.value
            changed += 1
            if was and not is_charged(target):
                to_unbill.append(r.id)
            elif not was and is_charged(target):
                to_bill.append(r)
            audit.record(session, actor, "attendance", "reservation", r.id, state=target.value)
        cancel_charges(session, to_unbill, now)
        billed = set(session.scalars(select(Charge.reservation_id).where(
            Charge.reservation_id.in_([r.id for r in to_bill]), Charge.cancelled_at.is_(None))))
        create_charges(session, [r for r in to_bill if r.id not in billed],
                       now.astimezone(LOCAL).date())
        return changed


def _registration_for(session: Session, child_id: int, unit: Unit, day: date) -> Any:
    return session.execute(
        select(Registration.id, Period.age_group_id)
        .join(Period, Period.id == Registration.period_id)
        .where(Registration.child_id == child_id, Period.activity_id == unit.activity_id,
               Registration.state == RegistrationState.VALIDATED.value,
               Period.start_date <= day, Period.end_date >= day)).first()


def late_candidates(actor: Actor, unit_id: int, day: date) -> list[Choice]:
    """Children registered for the unit's activity that day, not yet expected on it."""
    with read() as session:
        unit = _unit(session, actor, unit_id)
        rows = session.execute(
            select(Child.id, Child.first_name, Child.last_name)
            .join(Registration, Registration.child_id == Child.id)
            .join(Period, Period.id == Registration.period_id)
            .where(Period.activity_id == unit.activity_id, Period.start_date <= day,
                   Period.end_date >= day,
                   Registration.state == RegistrationState.VALIDATED.value)
            .order_by(Child.last_name, Child.first_name)).all()
        booked = set(session.scalars(select(Reservation.child_id).where(
            Reservation.unit_id == unit_id, Reservation.day == day,
            Reservation.state.in_([s.value for s in EXPECTED]))))
        return [Choice(cid, full_name(first, last)) for cid, first, last in rows
                if cid not in booked]


def _unit(session: Session, actor: Actor, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("Cette unité n'existe pas.")
    site = session.scalar(select(Activity.site_id).where(Activity.id == unit.activity_id))
    if site is None:
        raise NotFound("Cette unité n'existe pas.")
    actor.require_site(site)
    return unit


def add_late_arrival(actor: Actor, child_id: int, unit_id: int, day: date) -> int:
    """A child who came without a reservation: booked by staff, then marked present.
    Refused when the unit is full: places are never overbooked."""
    with read() as session:
        unit = _unit(session, actor, unit_id)
        require_child(session, actor, child_id)
        found = _registration_for(session, child_id, unit, day)
        if found is None:
            raise InvalidInput("Cet enfant n'est pas inscrit à cette activité à cette date : "
                               "faites d'abord son inscription dans le dossier de la famille.")
        registration_id, group_id = found
        slot = session.scalar(select(CapacitySlot).where(
            CapacitySlot.unit_id == unit_id, CapacitySlot.age_group_id == group_id,
            CapacitySlot.day == day))
        if slot is None:
            raise InvalidInput("L'accueil est fermé ce jour-là pour cette unité.")
        if slot.booked >= slot.places:
            raise SlotFull()
    outcome = reserve(actor, registration_id, [(day, unit_id)], by_staff=True).cells[0]
    if outcome.outcome == "waitlisted":  # the last place went between our check and now
        raise SlotFull("Complet : la dernière place vient d'être prise ; l'enfant est en liste "
                       "d'attente.")
    with read() as session:
        rid = session.scalar(select(Reservation.id).where(
            Reservation.child_id == child_id, Reservation.unit_id == unit_id,
            Reservation.day == day, Reservation.state.in_([s.value for s in EXPECTED])))
    if rid is None:
        raise InvalidTransition("La réservation n'a pas pu être créée : " + outcome.describe())
    mark(actor, {rid: R.PRESENT.value})
    return int(rid)
