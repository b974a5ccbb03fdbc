"""A family's dashboard: each child, its registrations, and what is done and left to do."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import read
from db.models import Activity, Child, Family, Period, Registration, Site
from services.actor import Actor
from services.errors import NotFound
from services.registrations import age_on


@dataclass(frozen=True)
class RegistrationSummary:
    id: int
    site: str
    activity: str
    period: str
    start: date
    end: date
    state: str


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


def get_overview(actor: Actor, today: date, family_id: int | None = None) -> FamilyOverview:
    """The signed-in family's children and registrations (staff may name a family)."""
    if actor.is_staff:
        if family_id is None:
            raise ValueError("staff must name the family")
    else:
        family_id = actor.require_family()
    with read() as session:
        family = session.get(Family, family_id)
        if family is None:
            raise NotFound("Cette famille n'existe pas.")
        children = list(session.scalars(select(Child).where(Child.family_id == family_id)
                                         .order_by(Child.birth_date)))
        rows = session.execute(
            select(Registration, Period, Activity, Site)
            .join(Period, Period.id == Registration.period_id)
            .join(Activity, Activity.id == Period.activity_id)
            .join(Site, Site.id == Activity.site_id)
            .where(Registration.child_id.in_([c.id for c in children]))
            .order_by(Period.start_date, Registration.id)).all()
        by_child: dict[int, list[RegistrationSummary]] = {c.id: [] for c in children}
        for reg, period, activity, site in rows:
            by_child[reg.child_id].append(RegistrationSummary(
                reg.id, site.name, activity.name, period.name, period.start_date,
                period.end_date, reg.state))
        return FamilyOverview(family.id, family.name, [
            ChildSummary(c.id, c.first_name, c.last_name, c.birth_date,
                         age_on(c.birth_date, today), by_child[c.id]) for c in children])
