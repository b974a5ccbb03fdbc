"""Loading a registration with what the booking rules need, scoped to the caller."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from db.models import Activity, CapacitySlot, Child, Family, Period, Registration, Unit
from db.states import RegistrationState
from services.actor import Actor
from services.booking.errors import RegistrationNotValidated
from services.booking.rules import Window
from services.errors import Forbidden, NotFound
from services.families.names import full_name


@dataclass(frozen=True)
class BookingContext:
    registration_id: int
    child_id: int
    child_name: str
    family_id: int
    period: Period
    activity: Activity
    units: dict[int, str]
    window: Window
    family_email: str = ""


_LOAD = (select(Registration, Child, Period, Activity, Family.email)
         .join(Child, Child.id == Registration.child_id)
         .join(Family, Family.id == Registration.family_id)
         .join(Period, Period.id == Registration.period_id)
         .join(Activity, Activity.id == Period.activity_id)
         .where(Registration.id == bindparam("reg")))
_UNITS = (select(Unit.id, Unit.name).where(Unit.activity_id == bindparam("activity"))
          .order_by(Unit.position, Unit.id))
_SLOTS = select(CapacitySlot.id, CapacitySlot.day, CapacitySlot.unit_id).where(
    CapacitySlot.unit_id.in_(bindparam("units", expanding=True)),
    CapacitySlot.age_group_id == bindparam("group"),
    CapacitySlot.day.in_(bindparam("days", expanding=True)))


def load(session: Session, actor: Actor, registration_id: int,
         need_validated: bool = True) -> BookingContext:
    """The registration's booking context; refuses another family's or another site's."""
    row = session.execute(_LOAD, {"reg": registration_id}).first()
    if row is None:
        raise NotFound("Cette inscription n'existe pas.")
    units = dict(session.execute(_UNITS, {"activity": row[3].id}).all())
    return checked(actor, tuple(row), units, need_validated)  # type: ignore[arg-type]


def checked(actor: Actor, row: tuple[Registration, Child, Period, Activity, str | None],
            units: dict[int, str], need_validated: bool = True) -> BookingContext:
    """The context of a registration read with its child, period, activity and family's
    address, once the caller may book on it."""
    registration, child, period, activity, family_email = row
    if actor.is_staff:
        actor.require_site(activity.site_id)
    elif actor.require_family() != registration.family_id:
        raise Forbidden()
    if need_validated and registration.state != RegistrationState.VALIDATED.value:
        raise RegistrationNotValidated()
    window = Window(period.booking_opens_at, period.add_deadline_days, period.add_deadline_time,
                    period.cancel_deadline_days, period.cancel_deadline_time,
                    period.deadline_skips_closed_days)
    return BookingContext(registration.id, child.id, full_name(child.first_name, child.last_name),
                          registration.family_id, period, activity, units, window,
                          family_email or "")


def slot_ids(session: Session, ctx: BookingContext,
             cells: list[tuple[date, int]]) -> dict[tuple[date, int], int]:
    """Capacity slot of each (day, unit) cell that exists in the period."""
    if not cells:
        return {}
    days = sorted({d for d, _ in cells})
    rows = session.execute(_SLOTS, {"units": list(ctx.units), "group": ctx.period.age_group_id,
                                    "days": days}).all()
    return {(d, u): sid for sid, d, u in rows
            if ctx.period.start_date <= d <= ctx.period.end_date}
