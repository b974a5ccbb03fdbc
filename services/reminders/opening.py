"""Booking opens tomorrow for a period a child is registered to."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Activity, Child, Period, Registration
from db.states import RegistrationState
from services.booking.rules import LOCAL
from services.reminders import OPENING
from services.reminders.words import moment_words


@dataclass(frozen=True)
class Due:
    """A reminder owed to a family: `key` says what it is about, once per family and kind."""

    family_id: int
    kind: str
    key: str
    line: str


def due_openings(session: Session, now: datetime) -> list[Due]:
    """One reminder per family and period whose booking opens between now and the end of
    tomorrow (centre's time). Sent from the day before; once the opening has passed it
    is no longer owed, so a worker back from downtime never announces an opening late."""
    today = now.astimezone(LOCAL).date()
    end = datetime.combine(today + timedelta(days=2), time(0), tzinfo=LOCAL)
    rows = session.execute(
        select(Registration.family_id, Child.first_name, Period.id, Period.name, Activity.name,
               Period.booking_opens_at)
        .join(Registration, Registration.child_id == Child.id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .where(Registration.state == RegistrationState.VALIDATED.value,
               Period.booking_opens_at > now, Period.booking_opens_at < end)
        .order_by(Registration.family_id, Period.id, Child.birth_date, Child.id)).all()
    children: dict[tuple[int, int], list[str]] = defaultdict(list)
    about: dict[tuple[int, int], tuple[str, str, datetime]] = {}
    for family_id, first_name, period_id, period, activity, opens_at in rows:
        children[family_id, period_id].append(first_name)
        about[family_id, period_id] = (period, activity, opens_at)
    due = []
    for (family_id, period_id), names in children.items():
        period, activity, opens_at = about[family_id, period_id]
        # The opening date is part of the key: if staff move it, the new date is announced.
        key = f"period:{period_id}:{opens_at.astimezone(LOCAL):%Y-%m-%d}"
        line = (f"- {' et '.join(names)} : {activity}, {period} – ouverture le "
                f"{moment_words(opens_at)}")
        due.append(Due(family_id, OPENING, key, line))
    return due
