"""Who may read a child: the child's own family, or staff of a site the family comes to."""
from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import Child
from services.actor import Actor
from services.staff.scope import require_child


def visible_child(session: Session, actor: Actor, child_id: int) -> Child:
    """The child, if it exists and the caller is its family or staff who see that family."""
    return require_child(session, actor, child_id)
