"""Reading the centre's offer."""
from __future__ import annotations

from sqlalchemy import select

from db.engine import read
from db.models import Unit


def unit_ids(activity_id: int) -> list[int]:
    """Units of an activity in grid order."""
    with read() as session:
        return list(session.scalars(select(Unit.id).where(Unit.activity_id == activity_id)
                                    .order_by(Unit.position, Unit.id)))
