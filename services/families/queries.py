"""Reading a family's file."""
from __future__ import annotations

from sqlalchemy import select

from db.engine import read
from db.models import Child
from services.families.households import children_of


def child_ids(family_id: int) -> list[int]:
    """Ids of the family's children, eldest first."""
    with read() as session:
        return list(session.scalars(select(Child.id).where(children_of(family_id))
                                    .order_by(Child.birth_date, Child.id)))
