"""Who may read a child: the child's own family, or staff (callers add site checks)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import Child
from services.actor import Actor
from services.errors import Forbidden, NotFound


def visible_child(session: Session, actor: Actor, child_id: int) -> Child:
    """The child, if it exists and the caller is staff or the child's family."""
    child = session.get(Child, child_id)
    if child is None:
        raise NotFound("Cet enfant n'existe pas.")
    if not actor.is_staff and actor.require_family() != child.family_id:
        raise Forbidden()
    return child
