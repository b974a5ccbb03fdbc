"""Which reminders a family receives: every kind on by default, each switchable."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import ReminderPreference
from services import audit
from services.actor import Actor
from services.errors import InvalidInput
from services.reminders import KINDS
from services.staff.scope import family_of


def _stored(session: Session, family_id: int) -> dict[str, bool]:
    rows = session.execute(select(ReminderPreference.kind, ReminderPreference.enabled)
                           .where(ReminderPreference.family_id == family_id)).all()
    return {kind: enabled for kind, enabled in rows}


def get_reminder_preferences(actor: Actor, family_id: int | None = None) -> dict[str, bool]:
    """Every kind of reminder with whether the family receives it (on unless switched off)."""
    with read() as session:
        family_id = family_of(session, actor, family_id)
        stored = _stored(session, family_id)
    return {kind: stored.get(kind, True) for kind in KINDS}


def update_reminder_preferences(actor: Actor, choices: dict[str, bool],
                                family_id: int | None = None) -> list[str]:
    """Switch kinds of reminder on or off; returns the kinds that changed."""
    if not set(choices) <= set(KINDS) or not all(isinstance(v, bool) for v in choices.values()):
        raise InvalidInput("Choix de rappels invalide.")
    with transaction() as session:
        family_id = family_of(session, actor, family_id)
        stored = _stored(session, family_id)
        changed = [k for k, on in choices.items() if stored.get(k, True) != on]
        for kind in changed:
            row = session.get(ReminderPreference, (family_id, kind))
            if row is None:
                session.add(ReminderPreference(family_id=family_id, kind=kind,
                                               enabled=choices[kind]))
            else:
                row.enabled = choices[kind]
        if changed:
            audit.record(session, actor, "update_reminders", "family", family_id,
                         family_id=family_id, changed={k: choices[k] for k in changed})
        return changed


def switched_off(session: Session, kind: str) -> set[int]:
    """The families that do not want this kind of reminder (for the worker)."""
    return set(session.scalars(select(ReminderPreference.family_id).where(
        ReminderPreference.kind == kind, ReminderPreference.enabled.is_(False))))
