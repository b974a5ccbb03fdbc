"""A submission through the booking queue (BOOKING_QUEUE=1): the page does all it can
before queueing (the scope checks, the reads that do not move with places, in one statement
(services/booking/preread.py), and every text), so the applier's part is one call of
portail_submit() (migration 0034_submit_fn) in its batch's transaction, with the arguments
read from the request's row, and the page renders the answer itself, as server_step.submit
does.

With portail_submit() switched off (server_step.ENABLED False, the equivalence tests), the
applier runs the whole Python path instead (services/booking/reserve.reserve_in).
"""
from __future__ import annotations

from datetime import date

from db.engine import read
from services.actor import Actor
from services.booking import context, preread, queue, server_step
from services.booking.outcomes import Submission
from services.families.rights.pending import refuse_booking_for_closed


def reserve(actor: Actor, registration_id: int, wanted: list[tuple[date, int]],
            by_staff: bool) -> Submission | None:
    """The submission queued and applied; None when no applier runs (nothing queued), or
    without the queue (SQLite, BOOKING_QUEUE=0)."""
    if by_staff:
        actor.require_staff()
    if not server_step.ENABLED and queue.active():
        return queue.submission(queue.submit(actor, "reserve", {
            "registration": registration_id, "by_staff": by_staff,
            "cells": [[day.isoformat(), unit] for day, unit in wanted]}))
    with read() as session:
        if not queue.active():  # nothing is queued; the caller's scope is checked all the same
            context.load(session, actor, registration_id)
            return None
        if actor.is_staff:  # as reserve_in: the desk books nothing for a closed family
            refuse_booking_for_closed(session, [registration_id])
        before = preread.load(session, actor, registration_id, wanted)
    cells, params = server_step.prepare(actor, before.ctx, wanted, before.slots,
                                        before.pricing, by_staff, before.to)
    done = queue.submit(actor, "submit", {"params": params})
    if done is None:
        return None
    return server_step.told(before.ctx, cells, [tuple(row) for row in done["rows"]])
