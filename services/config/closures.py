"""Closures and holidays of a site (or one activity): the days' slots are removed, which
is refused while any child is booked or waiting on them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import Activity, CapacitySlot, Closure, Period, Site, Unit
from services import audit, validate
from services.actor import Actor
from services.calendar import days_between
from services.catalogue.slots import generate_slots
from services.config.slots_guard import active_count, drop_slots
from services.errors import InvalidInput, NotFound, PortalError
from services import clock

MAX_DAYS = 120


class DayHasBookings(PortalError):
    default_message = "Impossible de fermer : des enfants sont réservés ces jours-là."


@dataclass(frozen=True)
class ClosureView:
    id: int
    day: date
    site: str
    activity: str
    label: str


def _slots(session: Session, site_id: int, activity_id: int | None,
           days: list[date]) -> list[int]:
    query = (select(CapacitySlot.id).join(Unit, Unit.id == CapacitySlot.unit_id)
             .join(Activity, Activity.id == Unit.activity_id)
             .where(Activity.site_id == site_id, CapacitySlot.day.in_(days)))
    if activity_id is not None:
        query = query.where(Activity.id == activity_id)
    return list(session.scalars(query))


def affected(actor: Actor, site_id: int, start: date, end: date,
             activity_id: int | None = None) -> int:
    """How many live reservations a closure of these days would hit."""
    actor.require_manager()
    with read() as session:
        return active_count(session, _slots(session, site_id, activity_id,
                                            days_between(start, end)))


def add_closure(actor: Actor, site_id: int, start: date, end: date, label: str,
                activity_id: int | None = None) -> int:
    """Close a site (or one of its activities) from start to end; returns days closed."""
    actor.require_manager()
    if start > end or (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"Dates invalides (une fermeture dure au plus {MAX_DAYS} jours).")
    if not label.strip():
        raise InvalidInput("Indiquez le motif de la fermeture (ex. « Vacances de Noël »).")
    label = validate.text(label, "Motif", max_len=200)
    days = days_between(start, end)
    with transaction() as session:
        if session.get(Site, site_id) is None:
            raise NotFound("Ce lieu d'accueil n'existe pas.")
        if activity_id is not None and session.scalar(select(Activity.site_id).where(
                Activity.id == activity_id)) != site_id:
            raise InvalidInput("Cette activité n'est pas sur ce lieu d'accueil.")
        slots = _slots(session, site_id, activity_id, days)
        live = active_count(session, slots)
        if live:
            raise DayHasBookings(
                f"Impossible de fermer : {live} réservation(s) ou demande(s) en cours sur ces "
                "jours. Annulez-les d'abord (les familles seront prévenues), puis fermez.")
        existing = set(session.scalars(select(Closure.day).where(
            Closure.site_id == site_id, Closure.activity_id.is_(activity_id)
            if activity_id is None else Closure.activity_id == activity_id,
            Closure.day.in_(days))))
        for day in days:
            if day not in existing:
                session.add(Closure(site_id=site_id, activity_id=activity_id, day=day,
                                    label=label.strip()[:200]))
        removed = drop_slots(session, slots)
        audit.record(session, actor, "add_closure", "site", site_id, start=start, end=end,
                     label=label, activity_id=activity_id, slots=removed)
        return len(days) - len(existing)


def remove_closure(actor: Actor, closure_id: int) -> int:
    """Reopen a closed day: its slots come back; returns how many."""
    actor.require_manager()
    with transaction() as session:
        closure = session.get(Closure, closure_id)
        if closure is None:
            raise NotFound("Cette fermeture n'existe pas.")
        day, site_id = closure.day, closure.site_id
        session.execute(delete(Closure).where(Closure.id == closure_id))
        session.flush()
        periods = list(session.scalars(
            select(Period).join(Activity, Activity.id == Period.activity_id)
            .where(Activity.site_id == site_id, Period.start_date <= day, Period.end_date >= day)))
        # Slots closed with 0 places (kept for history) get their unit's places back.
        closed = session.execute(
            select(CapacitySlot, Unit.default_capacity).join(Unit, Unit.id == CapacitySlot.unit_id)
            .join(Activity, Activity.id == Unit.activity_id)
            .where(Activity.site_id == site_id, CapacitySlot.day == day,
                   CapacitySlot.places == 0)).all()
        for slot, places in closed:
            slot.places = places
        added = sum(generate_slots(session, p) for p in periods)
        audit.record(session, actor, "remove_closure", "site", site_id, day=day, slots=added)
        return added + len(closed)


def list_closures(actor: Actor, site_id: int, since: date | None = None) -> list[ClosureView]:
    """Closures of a site from a date (default: 30 days ago)."""
    actor.require_manager()
    since = since or clock.today() - timedelta(days=30)
    with read() as session:
        rows = session.execute(
            select(Closure.id, Closure.day, Site.name, Activity.name, Closure.label)
            .join(Site, Site.id == Closure.site_id)
            .outerjoin(Activity, Activity.id == Closure.activity_id)
            .where(Closure.site_id == site_id, Closure.day >= since).order_by(Closure.day)).all()
    return [ClosureView(i, d, s, a or "Tout le lieu", lbl) for i, d, s, a, lbl in rows]
