"""Recording a request in the booking queue and a page withdrawing it are writes: each
leaves its audit entry, written by the same statement (services/booking/queue.py), with the
caller, the registration and the family as services/audit.record would write them."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from db import engine as db_engine
from services.booking.errors import QueueGaveUp
from services.booking.reserve import reserve
from services.staff.audit_log import what
from tests.services import applier_procs as procs
from tests.services.cancel_world import registered
from tests.world import build


@pytest.fixture
def queued(pg_db, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BOOKING_QUEUE", "1")
    return pg_db


def _rows(sql: str, **params: Any) -> list[Any]:
    with db_engine.get_engine().connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_the_queue_audits_each_request_it_records_and_each_one_withdrawn(queued, monkeypatch):
    world = build(capacity=2)
    period = world.period_peri
    lea = registered(world, world.family_a, world.lea, period)
    zoe = registered(world, world.family_b, world.zoe, period)
    day = world.first_day
    monkeypatch.setenv("BOOKING_QUEUE_WAIT_SECONDS", "0.5")
    held = procs.hold_leadership()  # an applier that does not answer
    try:
        with pytest.raises(QueueGaveUp):
            reserve(world.family_a, lea, [(day, world.units_peri[0])])
        with pytest.raises(QueueGaveUp):  # staff, on family B's behalf
            reserve(world.staff, zoe, [(day, world.units_peri[1])], by_staff=True)
    finally:
        held.close()
    assert procs.states() == [(1, "abandoned"), (2, "abandoned")]
    entries = _rows("SELECT user_id, actor, source, action, entity, entity_id, details, "
                    "family_id FROM audit_entry WHERE action LIKE 'booking_%' ORDER BY id")
    a, b = world.family_a, world.staff
    assert entries == [
        (a.user_id, a.label, "portal", "booking_queued", "registration", lea,
         '{"kind": "submit", "request": 1}', world.family_a_id),
        (a.user_id, a.label, "portal", "booking_abandoned", "registration", lea,
         '{"kind": "submit", "request": 1}', world.family_a_id),
        (b.user_id, b.label, b.source.value, "booking_queued", "registration", zoe,
         '{"kind": "submit", "request": 2}', world.family_b_id),
        (b.user_id, b.label, b.source.value, "booking_abandoned", "registration", zoe,
         '{"kind": "submit", "request": 2}', world.family_b_id)]
    # Written at the request's arrival, and at its withdrawal.
    assert _rows("SELECT a.at FROM audit_entry a WHERE action = 'booking_queued' ORDER BY id"
                 ) == _rows("SELECT arrived_at FROM booking_request ORDER BY id")
    assert _rows("SELECT a.at FROM audit_entry a WHERE action = 'booking_abandoned' ORDER BY id"
                 ) == _rows("SELECT applied_at FROM booking_request ORDER BY id")
    # The journal names them in French.
    assert not {what(a) for a in ("booking_queued", "booking_abandoned")} & {
        "Autre action (booking queued)", "Autre action (booking abandoned)"}
