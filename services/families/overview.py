"""A family's dashboard: each child, its registrations, and what is done and left to do."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from db.engine import read
from db.models import (Activity, CapacitySlot, Charge, Child, Family, PaymentAllocation, Period,
                       Registration, Reservation, Site, Unit)
from db.states import ACTIVE_RESERVATION, HOLDS_PLACE
from db.states import ReservationState as R
from services.actor import Actor
from services.errors import NotFound
from services.booking import capacity
from services.booking.rules import LOCAL, Window, why_cannot_add
from services.registrations import age_on
from services.staff import scope
from services.families.households import children_of


@dataclass(frozen=True)
class WaitingCell:
    day: date
    unit: str
    position: int


@dataclass(frozen=True)
class RegistrationSummary:
    id: int
    site: str
    activity: str
    period: str
    start: date
    end: date
    state: str
    reason: str = ""
    booked: int = 0            # days validated (attended or not), cancellation asked or not
    sent_to_staff: int = 0     # booking requests waiting for reception (not in `booked`)
    cancel_asked: int = 0      # of `booked`: cancellations waiting for reception
    waiting: list[WaitingCell] = field(default_factory=list)
    days_to_book: int = 0      # open days still bookable with nothing booked yet
    amount_due_cents: int = 0  # live charges less what payments settled
    booking_opens_at: datetime | None = None  # set while booking is not open yet


@dataclass(frozen=True)
class ChildSummary:
    id: int
    first_name: str
    last_name: str
    birth_date: date
    age: int
    registrations: list[RegistrationSummary]


@dataclass(frozen=True)
class FamilyOverview:
    family_id: int
    name: str
    children: list[ChildSummary]

    @property
    def amount_due_cents(self) -> int:
        return sum(r.amount_due_cents for c in self.children for r in c.registrations)


def get_overview(actor: Actor, today: date, family_id: int | None = None) -> FamilyOverview:
    """The signed-in family's children and registrations (staff may name a family)."""
    now = datetime.now(LOCAL)
    with read() as session:
        family_id = scope.family_of(session, actor, family_id)
        family = session.get(Family, family_id)
        if family is None:
            raise NotFound("Cette famille n'existe pas.")
        children = list(session.scalars(select(Child).where(children_of(family_id))
                                         .order_by(Child.birth_date)))
        rows = session.execute(
            select(Registration, Period, Activity, Site)
            .join(Period, Period.id == Registration.period_id)
            .join(Activity, Activity.id == Period.activity_id)
            .join(Site, Site.id == Activity.site_id)
            .where(Registration.child_id.in_([c.id for c in children]),
                   Registration.family_id == family_id)
            .order_by(Period.start_date, Registration.id)).all()
        reg_ids = [reg.id for reg, *_ in rows]
        cells = session.execute(
            select(Reservation.id, Reservation.registration_id, Reservation.day,
                   Reservation.state, Unit.name).join(Unit, Unit.id == Reservation.unit_id)
            .where(Reservation.registration_id.in_(reg_ids),
                   Reservation.state.in_([s.value for s in ACTIVE_RESERVATION]))).all()
        ranks = capacity.positions(session, [c.id for c in cells if c.state == R.WAITLISTED])
        due = _amounts_due(session, reg_ids)
        by_child: dict[int, list[RegistrationSummary]] = {c.id: [] for c in children}
        for reg, period, activity, site in rows:
            mine = [c for c in cells if c.registration_id == reg.id]
            states = Counter(c.state for c in mine)
            waiting = sorted((WaitingCell(c.day, c.name, ranks.get(c.id, 0))
                              for c in mine if c.state == R.WAITLISTED),
                             key=lambda w: (w.day, w.unit))
            by_child[reg.child_id].append(RegistrationSummary(
                reg.id, site.name, activity.name, period.name, period.start_date,
                period.end_date, reg.state, reg.reason,
                booked=sum(states[s.value] for s in HOLDS_PLACE if s != R.REQUESTED),
                sent_to_staff=states[R.REQUESTED.value],
                cancel_asked=states[R.CANCEL_REQUESTED.value], waiting=waiting,
                days_to_book=_days_to_book(session, period, {c.day for c in mine}, now)
                if reg.state == "validated" else 0,
                amount_due_cents=due.get(reg.id, 0),
                booking_opens_at=period.booking_opens_at
                if now < period.booking_opens_at else None))
        return FamilyOverview(family.id, family.name, [
            ChildSummary(c.id, c.first_name, c.last_name, c.birth_date,
                         age_on(c.birth_date, today), by_child[c.id]) for c in children])


def _amounts_due(session, reg_ids: list[int]) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """Per registration: live charges less the payments allocated to them."""
    if not reg_ids:
        return {}
    paid = (select(PaymentAllocation.charge_id,
                   func.sum(PaymentAllocation.amount_cents).label("paid"))
            .group_by(PaymentAllocation.charge_id).subquery())
    rows = session.execute(
        select(Charge.registration_id,
               func.sum(Charge.amount_cents - func.coalesce(paid.c.paid, 0)))
        .outerjoin(paid, paid.c.charge_id == Charge.id)
        .where(Charge.registration_id.in_(reg_ids), Charge.cancelled_at.is_(None))
        .group_by(Charge.registration_id)).all()
    return {reg: int(amount or 0) for reg, amount in rows}


def _days_to_book(session, period: Period, booked_days: set[date],  # type: ignore[no-untyped-def]
                  now: datetime) -> int:
    """Open days of the period the family can still request and has not booked at all."""
    window = Window(period.booking_opens_at, period.add_deadline_days, period.add_deadline_time,
                    period.cancel_deadline_days, period.cancel_deadline_time,
                    period.deadline_skips_closed_days)
    start = max(period.start_date, now.date())
    days = set(session.scalars(
        select(CapacitySlot.day).join(Unit, Unit.id == CapacitySlot.unit_id)
        .where(Unit.activity_id == period.activity_id,
               CapacitySlot.age_group_id == period.age_group_id,
               CapacitySlot.day.between(start, period.end_date)).distinct()))
    opened = now >= window.opens_at
    # Before booking opens, every open day is still to book; after, only those before the deadline.
    return sum(1 for d in days - booked_days
               if not opened or why_cannot_add(window, d, now) is None)
