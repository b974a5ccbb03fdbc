"""What a staff member may see: their own sites, and the families who come to them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Activity, Child, Family, Period, Registration
from services.actor import Actor
from services.errors import Forbidden, NotFound


def on_my_sites(actor: Actor, query: Any, site_column: Any) -> Any:
    """Restrict `query` to the actor's sites (managers: every site)."""
    actor.require_staff()
    if actor.site_ids is None:
        return query
    return query.where(site_column.in_(sorted(actor.site_ids)))


def family_site_ids(session: Session, family_id: int) -> set[int]:
    """Sites where the family has (or asked for) a registration."""
    return set(session.scalars(
        select(Activity.site_id).join(Period, Period.activity_id == Activity.id)
        .join(Registration, Registration.period_id == Period.id)
        .join(Child, Child.id == Registration.child_id).where(Child.family_id == family_id)))


def may_see_family(actor: Actor, sites: set[int]) -> bool:
    """A family is seen by staff of a site it comes to; a new file (no registration yet)
    by every reception desk, since the paper form may be brought to either."""
    if actor.site_ids is None or not sites:
        return True
    return bool(sites & actor.site_ids)


def require_family(session: Session, actor: Actor, family_id: int) -> Family:
    """The family, if the staff member may work on it; Forbidden otherwise."""
    actor.require_staff()
    family = session.get(Family, family_id)
    if family is None:
        raise NotFound("Cette famille n'existe pas.")
    if not may_see_family(actor, family_site_ids(session, family_id)):
        raise Forbidden("Cette famille ne fréquente pas vos lieux d'accueil.")
    return family


def family_sites_map(session: Session, family_ids: set[int]) -> dict[int, set[int]]:
    """family_site_ids for many families in one query."""
    out: dict[int, set[int]] = {fid: set() for fid in family_ids}
    if not family_ids:
        return out
    rows = session.execute(
        select(Child.family_id, Activity.site_id).join(Registration,
                                                       Registration.child_id == Child.id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .where(Child.family_id.in_(sorted(family_ids))).distinct())
    for family_id, site_id in rows:
        out[family_id].add(site_id)
    return out
