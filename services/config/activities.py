"""Activity types and activities by managers; an activity's description is shown to families.

An activity stays on the site where it was created: its places, closures and the staff who
see it belong to that site. To run it elsewhere, create it there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import Activity, ActivityType, Site
from services import audit, validate
from services.actor import Actor
from services.errors import InvalidInput, NotFound

_CODE = re.compile(r"^[A-Z0-9_-]{1,20}$")


@dataclass(frozen=True)
class ActivityTypeView:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class ActivityView:
    id: int
    site_id: int
    site: str
    type_id: int
    type_name: str
    name: str
    description: str


def list_activity_types(actor: Actor) -> list[ActivityTypeView]:
    """Every activity type, by name."""
    actor.require_manager()
    with read() as session:
        return [ActivityTypeView(t.id, t.code, t.name) for t in session.scalars(
            select(ActivityType).order_by(ActivityType.name, ActivityType.id))]


def _type_fields(session: Session, code: str, name: str,
                 type_id: int | None) -> tuple[str, str]:
    cleaned = validate.text(code, "Code", max_len=20, required=True).upper()
    if not _CODE.match(cleaned):
        raise InvalidInput("« Code » : lettres sans accent, chiffres, - ou _ (20 au plus), "
                           "par exemple ALSH ou PERI.")
    label = validate.text(name, "Nom du type", max_len=100, required=True)
    same = select(ActivityType.id).where(ActivityType.code == cleaned)
    if type_id is not None:
        same = same.where(ActivityType.id != type_id)
    if session.scalar(same) is not None:
        raise InvalidInput(f"Le code « {cleaned} » est déjà pris par un autre type d'activité.")
    return cleaned, label


def create_activity_type(actor: Actor, code: str, name: str) -> int:
    """Create an activity type (code and name)."""
    actor.require_manager()
    with transaction() as session:
        code, name = _type_fields(session, code, name, None)
        kind = ActivityType(code=code, name=name)
        session.add(kind)
        session.flush()
        audit.record(session, actor, "create_activity_type", "activity_type", kind.id,
                     code=code, name=name)
        return kind.id


def update_activity_type(actor: Actor, type_id: int, code: str, name: str) -> None:
    """Change an activity type's code or name."""
    actor.require_manager()
    with transaction() as session:
        kind = session.get(ActivityType, type_id)
        if kind is None:
            raise NotFound("Ce type d'activité n'existe pas.")
        code, name = _type_fields(session, code, name, type_id)
        before = (kind.code, kind.name)
        kind.code, kind.name = code, name
        audit.record(session, actor, "update_activity_type", "activity_type", type_id,
                     before=before, after=(code, name))


def list_activities(actor: Actor) -> list[ActivityView]:
    """Every activity with its site and type, by site then name."""
    actor.require_manager()
    with read() as session:
        rows = session.execute(select(Activity, Site.name, ActivityType.name)
                               .join(Site, Site.id == Activity.site_id)
                               .join(ActivityType, ActivityType.id == Activity.activity_type_id)
                               .order_by(Site.name, Activity.name, Activity.id)).all()
    return [ActivityView(a.id, a.site_id, site, a.activity_type_id, kind, a.name, a.description)
            for a, site, kind in rows]


def _activity_fields(session: Session, type_id: int, name: str,
                     description: str) -> tuple[str, str]:
    if session.get(ActivityType, type_id) is None:
        raise NotFound("Ce type d'activité n'existe pas.")
    return (validate.text(name, "Nom de l'activité", max_len=200, required=True),
            validate.text(description, "Description", max_len=2000, multiline=True))


def _refuse_duplicate(session: Session, site_id: int, name: str, activity_id: int | None) -> None:
    same = select(Activity.id).where(Activity.site_id == site_id,
                                     func.lower(Activity.name) == name.lower())
    if activity_id is not None:
        same = same.where(Activity.id != activity_id)
    if session.scalar(same) is not None:
        raise InvalidInput(f"Une activité s'appelle déjà « {name} » sur ce lieu d'accueil.")


def create_activity(actor: Actor, site_id: int, type_id: int, name: str,
                    description: str = "") -> int:
    """Create an activity on a site; its units are added in « Unités et tarifs »."""
    actor.require_manager()
    with transaction() as session:
        if session.get(Site, site_id) is None:
            raise NotFound("Ce lieu d'accueil n'existe pas.")
        name, description = _activity_fields(session, type_id, name, description)
        _refuse_duplicate(session, site_id, name, None)
        activity = Activity(site_id=site_id, activity_type_id=type_id, name=name,
                            description=description)
        session.add(activity)
        session.flush()
        audit.record(session, actor, "create_activity", "activity", activity.id, name=name,
                     site_id=site_id, type_id=type_id)
        return activity.id


def update_activity(actor: Actor, activity_id: int, type_id: int, name: str,
                    description: str) -> None:
    """Change an activity's type, name or the description families read."""
    actor.require_manager()
    with transaction() as session:
        activity = session.get(Activity, activity_id)
        if activity is None:
            raise NotFound("Cette activité n'existe pas.")
        name, description = _activity_fields(session, type_id, name, description)
        _refuse_duplicate(session, activity.site_id, name, activity_id)
        before = (activity.activity_type_id, activity.name, activity.description)
        activity.activity_type_id, activity.name = type_id, name
        activity.description = description
        audit.record(session, actor, "update_activity", "activity", activity_id, before=before,
                     after=(type_id, name, description))
