"""The funder's report (what a CAF return asks for): hours and days of presence per
activity and age group over a period.

Hours: each present cell counts its unit's length (end_time - start_time). Days: one per
child and day with at least one present cell. Children: distinct children present.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import distinct, func, select

from db.engine import read_rows
from db.models import Activity, ActivityType, AgeGroup, CapacitySlot, Reservation, Site, Unit
from db.states import ReservationState as R
from services.actor import Actor
from services.reports.scope import resolve

KEYS = ["site", "activity_type", "activity", "age_group"]


def _minutes(start: object, end: object) -> int:
    """Length of a unit in minutes, from its times."""
    t0 = datetime.combine(date.min, start)  # type: ignore[arg-type]
    t1 = datetime.combine(date.min, end)  # type: ignore[arg-type]
    return int((t1 - t0).total_seconds() // 60)


def presence(actor: Actor, start: date, end: date, site_ids: list[int] | None = None,
             age_group_ids: list[int] | None = None) -> pd.DataFrame:
    """Per site, activity and age group: children, days and hours of presence, and acts."""
    sel = resolve(actor, start, end, site_ids, age_group_ids)
    # Grouped on ids, with no join on the big side but the slot (the index holds state,
    # day and slot); names and unit lengths come after, per group.
    scope = [Reservation.state == R.PRESENT.value, Reservation.day >= sel.start,
             Reservation.day <= sel.end, *sel.ages(CapacitySlot.age_group_id),
             *sel.units(Reservation.unit_id)]
    per_unit = (select(Reservation.unit_id, CapacitySlot.age_group_id, func.count())
                .join(CapacitySlot, CapacitySlot.id == Reservation.slot_id).where(*scope)
                .group_by(Reservation.unit_id, CapacitySlot.age_group_id))
    child_days = (select(Reservation.child_id, Reservation.day, CapacitySlot.age_group_id,
                         Unit.activity_id)
                  .join(CapacitySlot, CapacitySlot.id == Reservation.slot_id)
                  .join(Unit, Unit.id == Reservation.unit_id).where(*scope)
                  .distinct().subquery())
    days = (select(child_days.c.activity_id, child_days.c.age_group_id, func.count(),
                   func.count(distinct(child_days.c.child_id)))
            .group_by(child_days.c.activity_id, child_days.c.age_group_id))
    with read_rows() as conn:
        units = conn.execute(per_unit).all()
        unit_info = {u: (a, t0, t1) for u, a, t0, t1 in conn.execute(
            select(Unit.id, Unit.activity_id, Unit.start_time, Unit.end_time))}
        names = dict(((a, g), (s, t, n, lbl)) for a, g, s, t, n, lbl in conn.execute(
            select(Activity.id, AgeGroup.id, Site.name, ActivityType.name, Activity.name,
                   AgeGroup.label)
            .join(Site, Site.id == Activity.site_id)
            .join(ActivityType, ActivityType.id == Activity.activity_type_id)
            .join(AgeGroup, AgeGroup.organisation_id == Site.organisation_id)).all())
        day_rows = conn.execute(days).all()
    acts = pd.DataFrame([(*names[(unit_info[u][0], g)], _minutes(*unit_info[u][1:]) * n, n)
                         for u, g, n in units],
                        columns=[*KEYS, "minutes", "acts"])
    acts = acts.groupby(KEYS, as_index=False)[["minutes", "acts"]].sum()
    counted = pd.DataFrame([(*names[(a, g)], n_days, n_children)
                            for a, g, n_days, n_children in day_rows],
                           columns=[*KEYS, "days", "children"])
    out = acts.merge(counted, on=KEYS, how="outer").fillna(0)
    out["hours"] = (out["minutes"] / 60).round(2)
    out = out.astype({"minutes": "int64", "acts": "int64", "days": "int64",
                      "children": "int64"})
    return out[[*KEYS, "children", "days", "acts", "hours", "minutes"]].sort_values(KEYS) \
        .reset_index(drop=True)
