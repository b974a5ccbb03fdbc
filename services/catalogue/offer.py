"""What a family may ask to register a child for: the open periods whose age group fits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import read
from db.models import Activity, ActivityType, AgeGroup, Period, Site
from services.actor import Actor
from services.families.scope import visible_child
from services.registrations import age_on, fits


@dataclass(frozen=True)
class OfferChoice:
    site_id: int
    site: str
    activity_type_id: int
    activity_type: str
    activity_id: int
    activity: str
    period_id: int
    period: str
    age_group: str
    start: date
    end: date
    staff_validates_bookings: bool
    site_address: str = ""
    activity_description: str = ""


@dataclass(frozen=True)
class ChildOffer:
    child_id: int
    first_name: str
    age: int
    choices: list[OfferChoice]
    other_groups: int  # open periods left out because the child's age does not fit


def list_offer(actor: Actor, child_id: int, today: date) -> ChildOffer:
    """Open periods (not yet ended) whose age group fits the child, site then activity order."""
    with read() as session:
        child = visible_child(session, actor, child_id)
        rows = session.execute(
            select(Period, AgeGroup, Activity, ActivityType, Site)
            .join(AgeGroup, AgeGroup.id == Period.age_group_id)
            .join(Activity, Activity.id == Period.activity_id)
            .join(ActivityType, ActivityType.id == Activity.activity_type_id)
            .join(Site, Site.id == Activity.site_id)
            .where(Period.registration_open.is_(True), Period.end_date >= today)
            .order_by(Site.name, ActivityType.name, Activity.name, Period.start_date,
                      AgeGroup.min_age)).all()
        choices = [OfferChoice(site.id, site.name, kind.id, kind.name, activity.id, activity.name,
                               period.id, period.name, group.label, period.start_date,
                               period.end_date, not period.auto_validate, site.address,
                               activity.description)
                   for period, group, activity, kind, site in rows
                   if fits(child.birth_date, group, period.start_date)]
        return ChildOffer(child.id, child.first_name, age_on(child.birth_date, today), choices,
                          len(rows) - len(choices))
