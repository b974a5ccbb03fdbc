"""The direction's home: this week's places per site and age group, this month's money,
and what waits at the desks, across every site the caller may see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from services.actor import Actor
from services.reports import money, occupancy
from services.staff.overview import StaffOverview, get_overview


@dataclass(frozen=True)
class Glance:
    week_start: date
    week_end: date
    places: pd.DataFrame  # site, age_group, places, booked, waitlisted, fill_rate
    month_start: date
    month_end: date
    charged: int  # cents, this month's days
    paid: int
    overdue: int
    families_overdue: int
    desk: StaffOverview


def glance(actor: Actor, today: date) -> Glance:
    """Figures for the week of `today` (Monday to Sunday) and its month."""
    actor.require_staff()
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    slots = occupancy.occupancy(actor, week_start, week_end)
    places = occupancy.fill_by(slots, ["site", "age_group"])
    month_start = today.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    found = money.summary(actor, month_start, month_end, today)
    return Glance(week_start, week_end, places, month_start, month_end,
                  int(found.by_month["charged"].sum()), int(found.by_month["paid"].sum()),
                  int(found.by_month["overdue"].sum()), len(found.overdue_families),
                  get_overview(actor))
