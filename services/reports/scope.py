"""What a dashboard is asked for: a date range, sites and age groups, checked against
the caller's sites before any query runs."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Date, and_, bindparam, exists, select, true

from db.engine import read
from db.models import Activity, AgeGroup, Period, Registration, Site, Unit
from services.actor import Actor
from services.errors import Forbidden, PortalError

MAX_DAYS = 400  # a school year and a summer; more is a typing mistake, not a question


class InvertedRange(PortalError):
    default_message = ("La date de fin est avant la date de début : corrigez la période "
                       "choisie.")


class RangeTooLong(PortalError):
    default_message = f"Choisissez une période de {MAX_DAYS} jours au plus."


class EmptySelection(PortalError):
    default_message = ("Aucun lieu d'accueil ou aucune tranche d'âge n'est sélectionné : "
                       "choisissez-en au moins un.")


@dataclass(frozen=True)
class Selection:
    start: date
    end: date
    site_ids: tuple[int, ...] | None  # None: every site (managers only)
    age_group_ids: tuple[int, ...] | None  # None: every age group

    def where(self, site_col: ColumnElement, age_col: ColumnElement,  # type: ignore[type-arg]
              day_col: ColumnElement) -> ColumnElement[bool]:  # type: ignore[type-arg]
        """The filter these choices put on a query's site, age group and day columns."""
        return _filter(self.start, self.end, self.site_ids, self.age_group_ids,
                       site_col, age_col, day_col)

    @property
    def dates(self) -> dict[str, date]:
        """The values of START and END, for a statement built with `dated_filter`."""
        return {"start": self.start, "end": self.end}

    def activities(self, activity_col: ColumnElement) -> list[ColumnElement[bool]]:  # type: ignore[type-arg]
        """The site filter as "activity among the sites' activities": no join on the big
        side (a join there makes SQLite loop over the charges once per activity)."""
        if self.site_ids is None:
            return []
        return [activity_col.in_(select(Activity.id).where(Activity.site_id.in_(self.site_ids)))]

    def units(self, unit_col: ColumnElement) -> list[ColumnElement[bool]]:  # type: ignore[type-arg]
        """The site filter as "unit among the sites' units", for queries over reservations."""
        if self.site_ids is None:
            return []
        return [unit_col.in_(select(Unit.id).join(Activity, Activity.id == Unit.activity_id)
                             .where(Activity.site_id.in_(self.site_ids)))]

    def ages(self, age_col: ColumnElement) -> list[ColumnElement[bool]]:  # type: ignore[type-arg]
        return [] if self.age_group_ids is None else [age_col.in_(self.age_group_ids)]


# For statements built once and kept (their building costs more than a month's query):
# the dates stay parameters, given at execution by Selection.dates.
START, END = bindparam("start", type_=Date), bindparam("end", type_=Date)


def dated_filter(site_ids: tuple[int, ...] | None, age_group_ids: tuple[int, ...] | None,
                 site_col: ColumnElement, age_col: ColumnElement,  # type: ignore[type-arg]
                 day_col: ColumnElement) -> ColumnElement[bool]:  # type: ignore[type-arg]
    """Selection.where with the days between the parameters START and END."""
    return _filter(START, END, site_ids, age_group_ids, site_col, age_col, day_col)


def _filter(start, end, site_ids, age_group_ids, site_col, age_col,  # type: ignore[no-untyped-def]
            day_col) -> ColumnElement[bool]:
    parts = [day_col >= start, day_col <= end]
    if site_ids is not None:
        parts.append(site_col.in_(site_ids))
    if age_group_ids is not None:
        parts.append(age_col.in_(age_group_ids))
    return and_(*parts)


@dataclass(frozen=True)
class Options:
    sites: list[tuple[int, str]]
    age_groups: list[tuple[int, str]]


def get_options(actor: Actor) -> Options:
    """The sites the caller may see and every age group, for the dashboards' filters."""
    actor.require_staff()
    with read() as session:
        query = select(Site.id, Site.name).order_by(Site.name)
        if actor.site_ids is not None:
            query = query.where(Site.id.in_(actor.site_ids))
        sites = [(i, n) for i, n in session.execute(query).all()]
        groups = [(i, lbl) for i, lbl in session.execute(
            select(AgeGroup.id, AgeGroup.label).order_by(AgeGroup.min_age, AgeGroup.id)).all()]
    return Options(sites, groups)


def resolve(actor: Actor, start: date, end: date, site_ids: Iterable[int] | None = None,
            age_group_ids: Iterable[int] | None = None) -> Selection:
    """Check the choices: dates in order, something selected, only the caller's sites.

    `site_ids` None means every site the caller may see.
    """
    actor.require_staff()
    if end < start:
        raise InvertedRange()
    if end - start > timedelta(days=MAX_DAYS):
        raise RangeTooLong()
    sites = resolve_sites(actor, site_ids)
    groups = None if age_group_ids is None else tuple(sorted(set(age_group_ids)))
    if groups == ():
        raise EmptySelection()
    return Selection(start, end, sites, groups)


def resolve_sites(actor: Actor, site_ids: Iterable[int] | None = None) -> tuple[int, ...] | None:
    """The sites asked for, if all are the caller's (None: every site, managers only)."""
    actor.require_staff()
    if site_ids is None:
        # A manager's "every site" needs no list; staff get theirs.
        return None if actor.site_ids is None else tuple(sorted(actor.site_ids))
    sites = tuple(sorted(set(site_ids)))
    for site_id in sites:
        if actor.site_ids is not None and site_id not in actor.site_ids:
            raise Forbidden("Ce lieu d'accueil ne fait pas partie de vos sites.")
    if sites == ():
        raise EmptySelection()
    return sites



def families_on(site_ids: tuple[int, ...] | None,
                family_column: ColumnElement) -> ColumnElement[bool]:  # type: ignore[type-arg]
    """SQL condition: the family has (or asked for) a registration on one of these sites
    (None: every family)."""
    if site_ids is None:
        return true()
    return exists(select(Registration.id)
                  .join(Period, Period.id == Registration.period_id)
                  .join(Activity, Activity.id == Period.activity_id)
                  .where(Registration.family_id == family_column, Activity.site_id.in_(site_ids))
                  .correlate_except(Registration, Period, Activity))
