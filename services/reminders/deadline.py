"""The add deadline of a day the child usually comes is near, and nothing is booked for it.

"Usually" is read from the registration's own history, the simplest rule a family can
check: the child had a reservation (booked, waiting or attended) on at least USUAL_MIN of
the USUAL_WEEKS same weekdays before the day. "Nothing is booked" means no reservation at
all on that day, in any state: a cancelled or refused day is a choice already made."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.models import Activity, CapacitySlot, Child, Period, Registration, Reservation, Unit
from db.states import ACTIVE_RESERVATION, RegistrationState
from services.booking.rules import LOCAL, Window, add_deadline
from services.reminders import ADD_DEADLINE
from services.reminders.opening import Due
from services.reminders.words import day_words, moment_words

LEAD = timedelta(hours=24)  # how long before the deadline the reminder goes
USUAL_WEEKS, USUAL_MIN = 4, 2
# Deadlines count back at most a few weeks of working days: days further ahead cannot be due.
LOOKAHEAD_DAYS = 21


def period_window(period: Period) -> Window:
    return Window(period.booking_opens_at, period.add_deadline_days, period.add_deadline_time,
                  period.cancel_deadline_days, period.cancel_deadline_time,
                  period.deadline_skips_closed_days)


def _open_days(session: Session, period_ids: list[int], first: date, last: date
               ) -> dict[int, set[date]]:
    """Days each period has places on (closures remove the slots, so they are not here)."""
    rows = session.execute(
        select(Period.id, CapacitySlot.day).distinct()
        .join(Unit, Unit.activity_id == Period.activity_id)
        .join(CapacitySlot, (CapacitySlot.unit_id == Unit.id)
              & (CapacitySlot.age_group_id == Period.age_group_id))
        .where(Period.id.in_(period_ids), CapacitySlot.day.between(first, last),
               # Another period of the same activity and age group shares these slots.
               CapacitySlot.day.between(Period.start_date, Period.end_date))).all()
    days: dict[int, set[date]] = defaultdict(set)
    for period_id, day in rows:
        days[period_id].add(day)
    return days


def _history(session: Session, period_ids: list[int], days: list[date]
             ) -> tuple[set[tuple[int, date]], set[tuple[int, date]]]:
    """(registration, day) pairs of these periods and days with any reservation, and those
    with an active one: one row per pair, read as plain rows (no ORM loading per row)."""
    active = case((Reservation.state.in_([s.value for s in ACTIVE_RESERVATION]), 1), else_=0)
    rows = session.connection().execute(
        select(Reservation.registration_id, Reservation.day, func.max(active))
        .join(Registration, Registration.id == Reservation.registration_id)
        .where(Registration.period_id.in_(period_ids), Reservation.day.in_(days))
        .group_by(Reservation.registration_id, Reservation.day)).all()
    return {(r, d) for r, d, _ in rows}, {(r, d) for r, d, a in rows if a}


def usual(active: set[tuple[int, date]], registration_id: int, day: date) -> bool:
    """The child came (or was booked) on enough of the same weekdays before `day`."""
    weeks = [day - timedelta(weeks=n) for n in range(1, USUAL_WEEKS + 1)]
    return sum((registration_id, d) in active for d in weeks) >= USUAL_MIN


def _candidates(session: Session, now: datetime, today: date) -> dict[int, dict[date, datetime]]:
    """Per period open to bookings, the open days whose add deadline falls within LEAD
    from now, with that deadline. The deadline is the period's rule, so it is computed per
    period and day, not per child: most rounds end here with nothing to look at."""
    last = today + timedelta(days=LOOKAHEAD_DAYS)
    periods = list(session.scalars(select(Period).where(
        Period.end_date >= today, Period.start_date <= last, Period.booking_opens_at <= now)))
    if not periods:
        return {}
    open_days = _open_days(session, [p.id for p in periods], max(today, min(
        p.start_date for p in periods)), last)
    found: dict[int, dict[date, datetime]] = {}
    for period in periods:
        window = period_window(period)
        limits = {d: add_deadline(window, d) for d in open_days.get(period.id, ())}
        near = {d: t for d, t in limits.items() if now < t <= now + LEAD}
        if near:
            found[period.id] = near
    return found


def due_add_deadlines(session: Session, now: datetime) -> list[Due]:
    """One reminder per registration and usual day whose add deadline falls within LEAD
    from now and which has nothing booked. A deadline already passed is not owed any more:
    after downtime, nothing is sent late."""
    candidates = _candidates(session, now, now.astimezone(LOCAL).date())
    if not candidates:
        return []
    rows = session.execute(
        select(Registration.id, Registration.period_id, Registration.family_id, Child.first_name,
               Activity.name)
        .join(Child, Child.id == Registration.child_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .where(Registration.state == RegistrationState.VALIDATED.value,
               Registration.period_id.in_(list(candidates)))
        .order_by(Registration.family_id, Child.birth_date, Registration.id)).all()
    days = {d - timedelta(weeks=n) for near in candidates.values() for d in near
            for n in range(USUAL_WEEKS + 1)}
    booked, active = _history(session, list(candidates), sorted(days))
    due = []
    for registration_id, period_id, family_id, first_name, activity in rows:
        for day, limit in sorted(candidates[period_id].items()):
            if (registration_id, day) in booked or not usual(active, registration_id, day):
                continue
            line = (f"- {first_name}, {activity} : {day_words(day)}, à réserver avant le "
                    f"{moment_words(limit)}")
            due.append(Due(family_id, ADD_DEADLINE, f"day:{registration_id}:{day}", line))
    return due
