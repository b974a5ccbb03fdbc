"""Age groups (tranches d'âge) by managers.

Ages are whole years from 0 to 18. Groups may overlap: each period names one group, and a
centre may well run "3/5 ans" for its Wednesdays and "4/6 ans" for the summer. A group a
period uses cannot be deleted (its places and registrations point to it).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import AgeGroup, Period
from services import audit, validate
from services.actor import Actor
from services.errors import InvalidInput, NotFound, PortalError

MAX_AGE = 18


class AgeGroupInUse(PortalError):
    default_message = "Impossible : des périodes utilisent cette tranche d'âge."


@dataclass(frozen=True)
class AgeGroupView:
    id: int
    label: str
    min_age: int
    max_age: int
    periods: int


def list_age_groups(actor: Actor) -> list[AgeGroupView]:
    """Every age group, youngest first, with how many periods use it."""
    actor.require_manager()
    used = (select(Period.age_group_id, func.count(Period.id).label("n"))
            .group_by(Period.age_group_id).subquery())
    with read() as session:
        rows = session.execute(select(AgeGroup, func.coalesce(used.c.n, 0))
                               .outerjoin(used, used.c.age_group_id == AgeGroup.id)
                               .order_by(AgeGroup.min_age, AgeGroup.max_age, AgeGroup.id)).all()
    return [AgeGroupView(g.id, g.label, g.min_age, g.max_age, int(n)) for g, n in rows]


def _checked(session: Session, label: str, min_age: int | str, max_age: int | str,
             group_id: int | None) -> tuple[str, int, int]:
    name = validate.text(label, "Nom de la tranche", max_len=50, required=True)
    low = validate.integer(min_age, "Âge minimum", minimum=0, maximum=MAX_AGE)
    high = validate.integer(max_age, "Âge maximum", minimum=0, maximum=MAX_AGE)
    if low > high:
        raise InvalidInput(f"Tranche « {name} » : l'âge minimum ({low} ans) dépasse l'âge "
                           f"maximum ({high} ans).")
    same = select(AgeGroup.id).where(func.lower(AgeGroup.label) == name.lower())
    if group_id is not None:
        same = same.where(AgeGroup.id != group_id)
    if session.scalar(same) is not None:
        raise InvalidInput(f"Une tranche d'âge s'appelle déjà « {name} ».")
    return name, low, high


def create_age_group(actor: Actor, organisation_id: int, label: str, min_age: int | str,
                     max_age: int | str) -> int:
    """Create an age group (ages in whole years, 0 to 18)."""
    actor.require_manager()
    with transaction() as session:
        name, low, high = _checked(session, label, min_age, max_age, None)
        group = AgeGroup(organisation_id=organisation_id, label=name, min_age=low, max_age=high)
        session.add(group)
        session.flush()
        audit.record(session, actor, "create_age_group", "age_group", group.id, label=name,
                     min_age=low, max_age=high)
        return group.id


def update_age_group(actor: Actor, group_id: int, label: str, min_age: int | str,
                     max_age: int | str) -> None:
    """Rename an age group or change its range; registrations already made stay."""
    actor.require_manager()
    with transaction() as session:
        group = session.get(AgeGroup, group_id)
        if group is None:
            raise NotFound("Cette tranche d'âge n'existe pas.")
        name, low, high = _checked(session, label, min_age, max_age, group_id)
        before = (group.label, group.min_age, group.max_age)
        group.label, group.min_age, group.max_age = name, low, high
        audit.record(session, actor, "update_age_group", "age_group", group_id, before=before,
                     after=(name, low, high))


def delete_age_group(actor: Actor, group_id: int) -> None:
    """Delete an age group no period uses."""
    actor.require_manager()
    with transaction() as session:
        group = session.get(AgeGroup, group_id)
        if group is None:
            raise NotFound("Cette tranche d'âge n'existe pas.")
        periods = list(session.scalars(select(Period.name).where(
            Period.age_group_id == group_id).order_by(Period.start_date).limit(4)))
        if periods:
            shown = ", ".join(f"« {p} »" for p in periods[:3]) + ("…" if len(periods) > 3 else "")
            raise AgeGroupInUse(f"Impossible de supprimer « {group.label} » : des périodes "
                                f"l'utilisent ({shown}).")
        session.delete(group)
        audit.record(session, actor, "delete_age_group", "age_group", group_id,
                     label=group.label)
