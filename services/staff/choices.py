"""What the back office's pickers offer: the actor's sites, their activities, periods, units."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import read
from db.models import Activity, ActivityType, AgeGroup, Organisation, Period, Site, Unit
from services.actor import Actor
from services.errors import NotFound
from services.staff.scope import on_my_sites


@dataclass(frozen=True)
class Choice:
    id: int
    label: str


@dataclass(frozen=True)
class PeriodChoice:
    id: int
    label: str
    activity_id: int
    age_group_id: int
    start: date
    end: date


def organisation_id(actor: Actor) -> int:
    """The installation's organisation."""
    actor.require_staff()
    with read() as session:
        found = session.scalar(select(Organisation.id).order_by(Organisation.id).limit(1))
    if found is None:
        raise NotFound("Aucun centre n'est configuré.")
    return int(found)


def list_sites(actor: Actor) -> list[Choice]:
    """The sites the actor works on."""
    with read() as session:
        rows = session.execute(on_my_sites(actor, select(Site.id, Site.name), Site.id)
                               .order_by(Site.name)).all()
    return [Choice(i, n) for i, n in rows]


def list_activities(actor: Actor, site_id: int | None = None) -> list[Choice]:
    """Activities of the actor's sites (or of one of them)."""
    query = on_my_sites(actor, select(Activity.id, Activity.name), Activity.site_id)
    if site_id is not None:
        actor.require_site(site_id)
        query = query.where(Activity.site_id == site_id)
    with read() as session:
        return [Choice(i, n) for i, n in session.execute(query.order_by(Activity.name))]


def list_periods(actor: Actor, activity_id: int | None = None) -> list[PeriodChoice]:
    """Periods of the actor's sites (or of one activity), latest first."""
    query = on_my_sites(actor, select(Period, Activity.name).join(
        Activity, Activity.id == Period.activity_id), Activity.site_id)
    if activity_id is not None:
        query = query.where(Period.activity_id == activity_id)
    with read() as session:
        return [PeriodChoice(p.id, f"{name} – {p.name}", p.activity_id, p.age_group_id,
                             p.start_date, p.end_date)
                for p, name in session.execute(query.order_by(Period.start_date.desc(),
                                                              Activity.name))]


def list_units(actor: Actor, activity_id: int) -> list[Choice]:
    """Units of an activity in grid order."""
    with read() as session:
        site = session.scalar(select(Activity.site_id).where(Activity.id == activity_id))
        if site is None:
            raise NotFound("Cette activité n'existe pas.")
        actor.require_site(site)
        return [Choice(i, n) for i, n in session.execute(
            select(Unit.id, Unit.name).where(Unit.activity_id == activity_id)
            .order_by(Unit.position, Unit.id))]


def list_age_groups(actor: Actor) -> list[Choice]:
    """Age groups, youngest first."""
    actor.require_staff()
    with read() as session:
        return [Choice(i, n) for i, n in session.execute(
            select(AgeGroup.id, AgeGroup.label).order_by(AgeGroup.min_age))]


def list_activity_types(actor: Actor) -> list[Choice]:
    """ALSH, Périscolaire..."""
    actor.require_staff()
    with read() as session:
        return [Choice(i, n) for i, n in session.execute(
            select(ActivityType.id, ActivityType.name).order_by(ActivityType.name))]
