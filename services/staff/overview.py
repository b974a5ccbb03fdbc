"""Reception's dashboard: what waits for staff on their sites."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from db.engine import read
from db.models import Activity, Period, Registration, Reservation
from db.states import RegistrationState
from db.states import ReservationState as R
from services.actor import Actor
from services.staff.mails import count_failed


@dataclass(frozen=True)
class StaffOverview:
    registration_requests: int
    booking_requests: int
    cancellation_requests: int
    waitlisted: int
    mails_failed: int


def get_overview(actor: Actor) -> StaffOverview:
    """Counts of pending work on the staff member's sites."""
    actor.require_staff()
    with read() as session:
        def on_sites(query):  # type: ignore[no-untyped-def]
            query = query.join(Period, Period.id == Registration.period_id).join(
                Activity, Activity.id == Period.activity_id)
            if actor.site_ids is not None:
                query = query.where(Activity.site_id.in_(actor.site_ids))
            return query

        regs = session.scalar(on_sites(select(func.count(Registration.id))).where(
            Registration.state == RegistrationState.REQUESTED.value))
        by_state = dict(session.execute(on_sites(
            select(Reservation.state, func.count(Reservation.id))
            .join(Registration, Registration.id == Reservation.registration_id))
            .where(Reservation.state.in_([R.REQUESTED.value, R.CANCEL_REQUESTED.value,
                                          R.WAITLISTED.value]))
            .group_by(Reservation.state)).all())
    failed = count_failed(actor)  # of the families on the actor's sites only
    return StaffOverview(regs or 0, by_state.get(R.REQUESTED.value, 0),
                         by_state.get(R.CANCEL_REQUESTED.value, 0),
                         by_state.get(R.WAITLISTED.value, 0), failed or 0)
