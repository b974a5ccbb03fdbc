"""The audit log: every write leaves an entry saying who, when, what, and from where."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read
from db.models import AuditEntry, Child, Guardian, Payment, Registration, Reservation
from services.actor import Actor
from services.errors import Forbidden
from services.staff import scope


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: int | None,
           **details: Any) -> None:
    """Add an audit entry inside the caller's transaction (so it commits or rolls back with it)."""
    family = details.get("family_id")
    session.add(AuditEntry(
        user_id=actor.user_id, actor=actor.label, source=actor.source.value, action=action,
        entity=entity, entity_id=entity_id,
        details=details_json(**details),
        family_id=family if isinstance(family, int) else family_of(session, entity, entity_id),
    ))


# The columns of an entry, for a statement that writes its own along with its change, in
# one round trip (services/booking/queue.py); entry_values gives what record() would write.
COLUMNS = "at, user_id, actor, source, action, entity, entity_id, details, family_id"


def entry_values(actor: Actor, action: str, **details: Any) -> dict[str, Any]:
    """Who and what, as record() writes them, for such a statement (named parameters
    audit_user, audit_actor, audit_source, audit_action, audit_details); the statement
    gives at, entity, entity_id and family_id."""
    return {"audit_user": actor.user_id, "audit_actor": actor.label,
            "audit_source": actor.source.value, "audit_action": action,
            "audit_details": details_json(**details)}


def details_json(**details: Any) -> str:
    """An entry's details as stored (services/booking/server_step.py fills in outcomes)."""
    return json.dumps(details, ensure_ascii=False, default=str, sort_keys=True)


def family_of(session: Session, entity: str, entity_id: int | None) -> int | None:
    """The family an entity belongs to (the objects are usually in the session already)."""
    if entity_id is None:
        return None
    if entity == "family":
        return entity_id
    if entity in ("registration", "reservation"):
        # The household that registered (a child of two households has one in each).
        row = session.get(Registration if entity == "registration" else Reservation, entity_id)
        if isinstance(row, Reservation):
            row = session.get(Registration, row.registration_id)
        return row.family_id if row is not None else None
    model = {"child": Child, "guardian": Guardian, "payment": Payment}.get(entity)
    found = session.get(model, entity_id) if model is not None else None
    return getattr(found, "family_id", None)


@dataclass(frozen=True)
class AuditView:
    at: datetime
    actor: str
    source: str
    action: str
    entity: str
    entity_id: int | None
    details: dict[str, Any]


def list_entries(actor: Actor, entity: str | None = None, entity_id: int | None = None,
                 limit: int = 200) -> list[AuditView]:
    """Latest audit entries, for staff; optionally for one entity. Staff of some sites read
    only the history of a family they work with (the whole log names every site's families)."""
    actor.require_staff()
    if actor.site_ids is not None:
        if entity != "family" or entity_id is None:
            raise Forbidden("Le journal complet est réservé à la direction : ouvrez-le depuis "
                            "le dossier d'une famille.")
        with read() as session:
            scope.require_family(session, actor, entity_id)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    with read() as session:
        return [AuditView(e.at, e.actor, e.source, e.action, e.entity, e.entity_id,
                          json.loads(e.details or "{}")) for e in session.scalars(query)]
