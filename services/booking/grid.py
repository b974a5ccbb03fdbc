"""The reservation grid as plain data: one month of a registration, cell by cell.

Pages draw it; they decide nothing. Each cell says its state (the tutorial's legend),
the places left, the waiting-list position, and whether the family may change it now and,
if not, why. The services judge again at submit time, so a stale grid loses nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read
from db.models import CapacitySlot, Closure, Registration, Reservation, Site, Unit
from db.states import ACTIVE_RESERVATION
from db.states import ReservationState as R
from services.actor import Actor
from services.booking import capacity, context
from services.booking.rules import LOCAL, Window, why_cannot_add, why_cannot_cancel
from services.calendar import days_between, holiday_name


class CellState(StrEnum):
    """What a stored cell looks like to the family (draft ticks live in the page)."""

    CLOSED = "closed"                      # no opening that day
    FREE = "free"                          # Case libre
    REQUESTED = "requested"                # Demande de réservation envoyée
    WAITLISTED = "waitlisted"              # Demande de réservation en liste d'attente
    WAITLISTED_LOCKED = "waitlisted_locked"  # liste d'attente, date limite passée
    VALIDATED = "validated"                # Réservation validée
    LOCKED = "locked"                      # Réservation non modifiable (deadline passed)
    BY_STAFF = "by_staff"                  # Réservation facilitée (non modifiable)
    CANCEL_REQUESTED = "cancel_requested"  # Demande d'annulation envoyée
    PRESENT = "present"
    ABSENT = "absent"
    ABSENT_JUSTIFIED = "absent_justified"
    # The child's day with its other household (services/families/households.py): taken,
    # and nothing else about that household is shown.
    OTHER_HOUSEHOLD = "other_household"


@dataclass(frozen=True)
class Cell:
    day: date
    unit_id: int
    state: CellState
    reservation_id: int | None = None
    places_left: int | None = None  # free places a newcomer could take; None when closed
    position: int | None = None     # 1-based place in the waiting list
    can_add: bool = False
    can_cancel: bool = False
    why_not: str = ""               # why the family cannot change it, in French

    @property
    def full(self) -> bool:
        return self.places_left == 0


@dataclass(frozen=True)
class MonthGrid:
    registration_id: int
    child_name: str
    site: str
    activity: str
    period: str
    auto_validate: bool
    year: int
    month: int
    units: list[tuple[int, str]]
    days: list[date]
    cells: dict[tuple[date, int], Cell]
    months: list[tuple[int, int]]   # every month of the period, for navigation
    notice: str                      # e.g. "Les réservations ouvrent le …", or ""
    # Each unit's times, "07:30–09:00", shown under its name (and counted by the CAF report).
    hours: dict[int, str] = field(default_factory=dict)

    def cell(self, day: date, unit_id: int) -> Cell:
        return self.cells[(day, unit_id)]

    def open_days(self) -> list[date]:
        return [d for d in self.days
                if any(self.cells[(d, u)].state != CellState.CLOSED for u, _ in self.units)]


def period_months(start: date, end: date) -> list[tuple[int, int]]:
    """(year, month) of every month a period touches."""
    out: list[tuple[int, int]] = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month_days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    last = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return days_between(first, date.fromordinal(last.toordinal() - 1))


def closed_reason(day: date, start: date, end: date,
                  closures: dict[date, str] | None = None) -> str:
    """Why a day has no opening, in French (a closure gives the label staff wrote)."""
    if not start <= day <= end:
        return "Hors de la période d'inscription."
    holiday = holiday_name(day)
    if holiday:
        return f"Jour férié ({holiday})."
    if closures and day in closures:
        return f"Fermeture : {closures[day]}." if closures[day] else "Fermeture du centre."
    if day.isoweekday() >= 6:
        return "Week-end : pas d'accueil."
    return "Pas d'accueil ce jour-là."


def _stored_state(row: Reservation, window: Window, now: datetime) -> CellState:
    past_cancel = why_cannot_cancel(window, row.day, now) is not None
    if row.state == R.VALIDATED:
        if row.by_staff:
            return CellState.BY_STAFF
        return CellState.LOCKED if past_cancel else CellState.VALIDATED
    if row.state == R.WAITLISTED and past_cancel:
        return CellState.WAITLISTED_LOCKED
    return CellState(row.state)


def family_rights(state: CellState, window: Window, day: date,
                  now: datetime) -> tuple[bool, bool, str]:
    """(can_add, can_cancel, why not) for a family, as the engine will judge it."""
    if state == CellState.FREE:
        reason = why_cannot_add(window, day, now)
        return reason is None, False, reason or ""
    if state == CellState.WAITLISTED:
        return False, True, ""
    if state in (CellState.REQUESTED, CellState.VALIDATED):
        reason = why_cannot_cancel(window, day, now)
        return False, reason is None, reason or ""
    reasons = {
        CellState.CLOSED: "Pas d'accueil ce jour-là.",
        CellState.LOCKED: "Date limite d'annulation dépassée : contactez l'accueil.",
        CellState.WAITLISTED_LOCKED: "Date limite d'annulation dépassée : la demande reste en "
                                     "liste d'attente ; contactez l'accueil pour la retirer.",
        CellState.BY_STAFF: "Réservation faite par l'accueil : contactez l'accueil pour la modifier.",
        CellState.CANCEL_REQUESTED: "Demande d'annulation envoyée : l'accueil va la traiter.",
        CellState.OTHER_HOUSEHOLD: "Journée réservée par l'autre foyer de l'enfant.",
    }
    return False, False, reasons.get(state, "Journée passée : pointage fait par l'accueil.")


def _default_month(window: Window, period, months: list[tuple[int, int]],  # type: ignore[no-untyped-def]
                   now: datetime) -> tuple[int, int]:
    """The month of the next day the family can still book, else today's or the first."""
    today = now.astimezone(LOCAL).date()
    for n in range(31):
        day = date.fromordinal(today.toordinal() + n)
        if (period.start_date <= day <= period.end_date
                and str(day.isoweekday()) in period.weekdays
                and why_cannot_add(window, day, now) is None):
            return day.year, day.month
    return (today.year, today.month) if (today.year, today.month) in months else months[0]


def _other_households_days(session: Session, ctx: context.BookingContext,
                           days: list[date]) -> set[tuple[date, int]]:
    """The (day, unit) cells the child holds under another household's registration."""
    return {(d, u) for d, u in session.execute(
        select(Reservation.day, Reservation.unit_id)
        .join(Registration, Registration.id == Reservation.registration_id)
        .where(Reservation.child_id == ctx.child_id, Registration.family_id != ctx.family_id,
               Reservation.unit_id.in_(list(ctx.units)),
               Reservation.day.between(days[0], days[-1]),
               Reservation.state.in_([s.value for s in ACTIVE_RESERVATION])))}


def get_month(actor: Actor, registration_id: int, year: int | None = None,
              month: int | None = None, now: datetime | None = None) -> MonthGrid:
    """One month of a validated registration's grid (defaults to the current month, or the
    period's first month when today is outside it)."""
    with read() as session:
        ctx = context.load(session, actor, registration_id)
        period = ctx.period
        months = period_months(period.start_date, period.end_date)
        now = now or datetime.now(LOCAL)
        if year is None or month is None or (year, month) not in months:
            year, month = _default_month(ctx.window, period, months, now)
        days = _month_days(year, month)
        slots = {(d, u): (sid, places - booked) for sid, d, u, places, booked in session.execute(
            select(CapacitySlot.id, CapacitySlot.day, CapacitySlot.unit_id, CapacitySlot.places,
                   CapacitySlot.booked).where(
                CapacitySlot.unit_id.in_(list(ctx.units)),
                CapacitySlot.age_group_id == period.age_group_id,
                CapacitySlot.day.between(max(days[0], period.start_date),
                                         min(days[-1], period.end_date))))}
        waiting = dict(session.execute(
            select(Reservation.slot_id, func.count()).where(
                Reservation.slot_id.in_([s for s, _ in slots.values()]),
                Reservation.state == R.WAITLISTED.value).group_by(Reservation.slot_id)).all())
        rows = list(session.scalars(select(Reservation).where(
            Reservation.registration_id == registration_id,
            Reservation.day.between(days[0], days[-1]),
            Reservation.state.in_([s.value for s in ACTIVE_RESERVATION]))))
        others = _other_households_days(session, ctx, days)
        ranks = capacity.positions(session, [r.id for r in rows if r.state == R.WAITLISTED])
        site = session.scalar(select(Site.name).where(Site.id == ctx.activity.site_id)) or ""
        hours = {u: f"{t0:%H:%M}–{t1:%H:%M}" for u, t0, t1 in session.execute(
            select(Unit.id, Unit.start_time, Unit.end_time).where(
                Unit.activity_id == ctx.activity.id))}
        closures = dict(session.execute(select(Closure.day, Closure.label).where(
            (Closure.activity_id == ctx.activity.id)
            | ((Closure.site_id == ctx.activity.site_id) & Closure.activity_id.is_(None)),
            Closure.day.between(days[0], days[-1]))).all())
    mine = {(r.day, r.unit_id): r for r in rows}
    cells: dict[tuple[date, int], Cell] = {}
    for d in days:
        for unit_id in ctx.units:
            slot = slots.get((d, unit_id))
            if slot is None:
                cells[(d, unit_id)] = Cell(d, unit_id, CellState.CLOSED,
                                           why_not=closed_reason(d, period.start_date,
                                                                 period.end_date, closures))
                continue
            slot_id, free = slot
            # A free place goes to the queue first, so a newcomer sees none while people wait.
            left = 0 if waiting.get(slot_id, 0) else max(free, 0)
            row = mine.get((d, unit_id))
            state = _stored_state(row, ctx.window, now) if row else CellState.FREE
            if row is None and (d, unit_id) in others:
                state = CellState.OTHER_HOUSEHOLD
            can_add, can_cancel, why = family_rights(state, ctx.window, d, now)
            if actor.is_staff:
                can_add, can_cancel, why = state == CellState.FREE, row is not None, ""
            cells[(d, unit_id)] = Cell(d, unit_id, state, row.id if row else None, left,
                                       ranks.get(row.id) if row else None, can_add, can_cancel,
                                       why)
    notice = ""
    if now < ctx.window.opens_at:
        notice = why_cannot_add(ctx.window, period.start_date, now) or ""
    return MonthGrid(ctx.registration_id, ctx.child_name, site, ctx.activity.name, period.name,
                     period.auto_validate, year, month, list(ctx.units.items()), days, cells,
                     months, notice, hours)
