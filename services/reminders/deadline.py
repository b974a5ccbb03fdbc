"""The add deadline of a day the child usually comes is near, and nothing is booked for it.

"Usually" is read from the registration's own history, the simplest rule a family can
check: the child had a reservation (booked, waiting or attended) on at least USUAL_MIN of
the USUAL_WEEKS same weekdays before the day. "Nothing is booked" means no reservation at
all on that day, in any state: a cancelled or refused day is a choice already made."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
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
        .where(Period.id.in_(period_ids), CapacitySlot.day.between(first, last))).all()
    days: dict[int, set[date]] = defaultdict(set)
    for period_id, day in rows:
        days[period_id].add(day)
    return days


def _history(session: Session, registration_ids: list[int], first: date, last: date
             ) -> tuple[set[tuple[int, date]], set[tuple[int, date]]]:
    """(registration, day) pairs with any reservation, and those with an active one."""
    rows = session.execute(select(Reservation.registration_id, Reservation.day, Reservation.state)
                           .where(Reservation.registration_id.in_(registration_ids),
                                  Reservation.day.between(first, last))).all()
    active = {s.value for s in ACTIVE_RESERVATION}
    return ({(r, d) for r, d, _ in rows}, {(r, d) for r, d, s in rows if s in active})


def usual(active: set[tuple[int, date]], registration_id: int, day: date) -> bool:
    """The child came (or was booked) on enough of the same weekdays before `day`."""
    weeks = [day - timedelta(weeks=n) for n in range(1, USUAL_WEEKS + 1)]
    return sum((registration_id, d) in active for d in weeks) >= USUAL_MIN


def due_add_deadlines(session: Session, now: datetime) -> list[Due]:
    """One reminder per registration and usual day whose add deadline falls within LEAD
    from now and which has nothing booked. A deadline already passed is not owed any more:
    after downtime, nothing is sent late."""
    today = now.astimezone(LOCAL).date()
    last = today + timedelta(days=LOOKAHEAD_DAYS)
    rows = session.execute(
        select(Registration.id, Child.family_id, Child.first_name, Period, Activity.name)
        .join(Child, Child.id == Registration.child_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .where(Registration.state == RegistrationState.VALIDATED.value,
               Period.end_date >= today, Period.start_date <= last,
               Period.booking_opens_at <= now)
        .order_by(Child.family_id, Child.birth_date, Registration.id)).all()
    if not rows:
        return []
    open_days = _open_days(session, sorted({p.id for _, _, _, p, _ in rows}), today, last)
    booked, active = _history(session, [r for r, *_ in rows],
                              today - timedelta(weeks=USUAL_WEEKS), last)
    due = []
    for registration_id, family_id, first_name, period, activity in rows:
        window = period_window(period)
        for day in sorted(open_days.get(period.id, ())):
            limit = add_deadline(window, day)
            if not now < limit <= now + LEAD or (registration_id, day) in booked:
                continue
            if usual(active, registration_id, day):
                line = (f"- {first_name}, {activity} : {day_words(day)}, à réserver avant le "
                        f"{moment_words(limit)}")
                due.append(Due(family_id, ADD_DEADLINE, f"day:{registration_id}:{day}", line))
    return due
