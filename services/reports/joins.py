"""The joins the desk's lists share: a reservation with its place (unit, activity, site, age
group of its slot) and the household whose day it is (its registration's)."""
from __future__ import annotations

from sqlalchemy import Select

from db.models import (Activity, AgeGroup, CapacitySlot, Child, Family, Registration,
                       Reservation, Site, Unit)


def place_and_family(query: Select) -> Select:  # type: ignore[type-arg]
    """`query` (selecting from Reservation) joined to what names its place and its family."""
    return (query.join(CapacitySlot, CapacitySlot.id == Reservation.slot_id)
            .join(Unit, Unit.id == Reservation.unit_id)
            .join(Activity, Activity.id == Unit.activity_id)
            .join(Site, Site.id == Activity.site_id)
            .join(AgeGroup, AgeGroup.id == CapacitySlot.age_group_id)
            .join(Child, Child.id == Reservation.child_id)
            .join(Registration, Registration.id == Reservation.registration_id)
            .join(Family, Family.id == Registration.family_id))
