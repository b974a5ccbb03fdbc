"""The typical week ("réservation selon une scolarité type"): weekdays × units ticked once,
turned into requests for every open day of the period (or of the months left), each cell
then judged by `reserve` like any other."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from db.engine import read
from db.models import CapacitySlot
from services.actor import Actor
from services.booking import context
from services.booking.errors import BookingClosed, NothingToSubmit
from services.booking.outcomes import Submission
from services.booking.reserve import reserve
from services.booking.rules import LOCAL, why_cannot_add


def plan_typical_week(actor: Actor, registration_id: int, pattern: set[tuple[int, int]],
                      from_day: date | None = None,
                      now: datetime | None = None) -> list[tuple[date, int]]:
    """Cells (day, unit) of the period matching the pattern of (ISO weekday, unit id),
    from `from_day` on, that can still be requested now."""
    if not pattern:
        raise NothingToSubmit("Cochez au moins un jour et une unité de votre semaine type.")
    now = now or datetime.now(LOCAL)
    with read() as session:
        ctx = context.load(session, actor, registration_id)
        if now < ctx.window.opens_at:
            raise BookingClosed(why_cannot_add(ctx.window, ctx.period.start_date, now))
        units = {u for _, u in pattern if u in ctx.units}
        start = max(ctx.period.start_date, from_day or ctx.period.start_date)
        rows = session.execute(select(CapacitySlot.day, CapacitySlot.unit_id).where(
            CapacitySlot.unit_id.in_(units), CapacitySlot.age_group_id == ctx.period.age_group_id,
            CapacitySlot.day.between(start, ctx.period.end_date))).all()
    cells = sorted((d, u) for d, u in rows if (d.isoweekday(), u) in pattern)
    # Days whose add deadline has passed are left out: asking for them could only be refused.
    return [(d, u) for d, u in cells if why_cannot_add(ctx.window, d, now) is None]


def apply_typical_week(actor: Actor, registration_id: int, pattern: set[tuple[int, int]],
                       from_day: date | None = None) -> Submission:
    """Request every cell of the typical week; each is validated, sent, waitlisted or refused."""
    cells = plan_typical_week(actor, registration_id, pattern, from_day)
    if not cells:
        raise NothingToSubmit("Aucune date ouverte à la réservation ne correspond à cette "
                              "semaine type sur la période choisie.")
    return reserve(actor, registration_id, cells)
