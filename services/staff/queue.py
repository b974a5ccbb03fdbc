"""The validation queue: registration, booking and cancellation requests waiting for staff."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from db.engine import read
from db.models import Activity, Child, Family, Period, Registration, Reservation, Site, Unit
from db.states import RegistrationState
from db.states import ReservationState as R
from services.actor import Actor
from services.staff.scope import on_my_sites
from services.families.names import full_name

KIND_LABELS = {"registration": "Inscription", "booking": "Réservation",
               "cancellation": "Annulation"}


@dataclass(frozen=True)
class QueueItem:
    kind: str  # a key of KIND_LABELS
    id: int    # registration id or reservation id
    requested_at: datetime
    site: str
    activity: str
    period: str
    family_id: int
    family: str
    child: str
    day: date | None = None
    unit: str = ""


@dataclass(frozen=True)
class QueueFilter:
    site_id: int | None = None
    activity_id: int | None = None
    period_id: int | None = None
    start: date | None = None  # bookings and cancellations from this day
    end: date | None = None


def _filtered(query: Any, f: QueueFilter) -> Any:
    if f.site_id is not None:
        query = query.where(Activity.site_id == f.site_id)
    if f.activity_id is not None:
        query = query.where(Activity.id == f.activity_id)
    if f.period_id is not None:
        query = query.where(Period.id == f.period_id)
    return query


def _base(*columns: Any) -> Any:
    return (select(*columns, Site.name, Activity.name, Period.name, Family.id, Family.name,
                   Child.first_name, Child.last_name)
            .select_from(Registration)
            .join(Child, Child.id == Registration.child_id)
            .join(Family, Family.id == Registration.family_id)
            .join(Period, Period.id == Registration.period_id)
            .join(Activity, Activity.id == Period.activity_id)
            .join(Site, Site.id == Activity.site_id))


def list_queue(actor: Actor, f: QueueFilter = QueueFilter()) -> list[QueueItem]:
    """Every request waiting for a decision on the actor's sites, oldest first."""
    actor.require_staff()
    if f.site_id is not None:
        actor.require_site(f.site_id)
    regs = _filtered(on_my_sites(actor, _base(Registration.id, Registration.requested_at)
                                 .where(Registration.state == RegistrationState.REQUESTED.value),
                                 Activity.site_id), f)
    cells = (_base(Reservation.id, Reservation.requested_at, Reservation.state, Reservation.day,
                   Unit.name)
             .join(Reservation, Reservation.registration_id == Registration.id)
             .join(Unit, Unit.id == Reservation.unit_id)
             .where(Reservation.state.in_([R.REQUESTED.value, R.CANCEL_REQUESTED.value])))
    cells = _filtered(on_my_sites(actor, cells, Activity.site_id), f)
    if f.start is not None:
        cells = cells.where(Reservation.day >= f.start)
    if f.end is not None:
        cells = cells.where(Reservation.day <= f.end)
    items: list[QueueItem] = []
    with read() as session:
        for rid, at, site, act, per, fam_id, fam, first, last in session.execute(regs):
            items.append(QueueItem("registration", rid, at, site, act, per, fam_id, fam,
                                   full_name(first, last)))
        for row in session.execute(cells):
            rid, at, state, day, unit, site, act, per, fam_id, fam, first, last = row
            kind = "booking" if state == R.REQUESTED.value else "cancellation"
            items.append(QueueItem(kind, rid, at, site, act, per, fam_id, fam,
                                   full_name(first, last), day, unit))
    return sorted(items, key=lambda i: (i.requested_at, i.kind, i.id))
