"""Capacity slots: one row per unit, open day and age group, created with the period."""
from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.models import Activity, CapacitySlot, Closure, Period, Unit
from services.calendar import open_days


def closed_days(session: Session, activity: Activity) -> set:  # type: ignore[type-arg]
    query = select(Closure.day).where(
        (Closure.activity_id == activity.id)
        | ((Closure.site_id == activity.site_id) & Closure.activity_id.is_(None)))
    return set(session.scalars(query))


def period_days(session: Session, period: Period) -> list:  # type: ignore[type-arg]
    activity = session.get(Activity, period.activity_id)
    assert activity is not None
    return open_days(period.start_date, period.end_date, period.weekdays,
                     closed_days(session, activity))


def generate_slots(session: Session, period: Period) -> int:
    """Create the missing capacity slots of a period; returns how many were added."""
    units = list(session.scalars(select(Unit).where(Unit.activity_id == period.activity_id)))
    days = period_days(session, period)
    if not days or not units:
        return 0
    existing = set(session.execute(
        select(CapacitySlot.unit_id, CapacitySlot.day).where(
            CapacitySlot.unit_id.in_([u.id for u in units]),
            CapacitySlot.age_group_id == period.age_group_id,
            CapacitySlot.day.between(days[0], days[-1]))).all())
    rows = [dict(unit_id=u.id, age_group_id=period.age_group_id, day=d, places=u.default_capacity,
                 booked=0)
            for u in units for d in days if (u.id, d) not in existing]
    if rows:
        session.execute(insert(CapacitySlot), rows)
    return len(rows)
