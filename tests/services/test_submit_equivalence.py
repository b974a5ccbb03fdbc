"""On PostgreSQL a submission is one call of portail_submit() (services/booking/server_step.py,
migration 0034_submit_fn): the same story of submissions run through the Python path (the
reference, and SQLite's path) and through the function writes the same rows, in the same
order, under the same ids, and tells each family the same thing."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from db.engine import get_engine, read
from db.models import Reservation
from services import organisation
from services.actor import SYSTEM
from services.booking import server_step
from services.booking.cancel import cancel
from services.booking.capacity import queue_rank
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.families import households
from tests.conftest import _empty
from tests.services.cancel_world import cells, families, registered
from tests.world import World, build

# Every column but the instants, which differ between runs (checked row by row instead).
_TABLES = {
    "reservation": "id, registration_id, child_id, slot_id, unit_id, day, state, by_staff, "
                   "decided_at IS NULL, queue_rank IS NULL",
    "capacity_slot": "id, unit_id, day, places, booked, waiting",
    "charge": "family_id, registration_id, reservation_id, activity_id, label, day, "
              "amount_cents, meal_cents, paid_cents, due_on, cancelled_at IS NULL",
    "audit_entry": "id, user_id, actor, source, action, entity, entity_id, details, family_id",
    "mail": "id, family_id, recipient, subject, body, state, attempts, last_error, link",
}


def _period(world: World, opens_in_days: int, add_days: int, auto: bool = True) -> int:
    opens = datetime.combine(world.today + timedelta(days=opens_in_days), time(7), tzinfo=LOCAL)
    return setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                               "Péri test", world.first_day, world.first_day + timedelta(days=30),
                               opens, weekdays="1245", auto_validate=auto,
                               add_deadline=(add_days, time(15)))


def _story(world: World) -> list[Any]:
    """Submissions of every kind; what each was told."""
    setup.create_bracket(SYSTEM, world.organisation, "QF 0 à 700", 0, 700,
                         {u: 55 + 10 * i for i, u in enumerate(world.units_peri)})
    told = []
    peri = cells(world, 6)
    weekend = [(world.first_day + timedelta(days=5), u) for u in world.units_peri[:2]]
    foreign = [(peri[0][0], world.units_wed[0])]
    lea = registered(world, world.family_a, world.lea, world.period_peri)
    told.append(reserve(world.family_a, lea, peri[:12] + weekend + foreign))
    # Families after Léa: the places (2 a slot) run out, the queues grow 1st, 2nd, 3rd.
    others = families(world, 4, 1)
    regs = [(actor, registered(world, actor, kids[0], world.period_peri)) for actor, kids in others]
    for actor, reg in regs:
        told.append(reserve(actor, reg, peri[4:20]))
    told.append(reserve(world.family_a, lea, peri))  # some held already, the rest queued
    ids = list(_ids(lea))
    cancel(world.family_a, lea, ids[:2])
    told.append(reserve(world.family_a, lea, peri[:8]))  # a freed cell asked again
    # Staff: on the family's behalf (validated, even past the deadlines), or not.
    zoe = registered(world, world.family_b, world.zoe, world.period_peri)
    told.append(reserve(world.staff, zoe, peri[:6] + weekend, by_staff=True))
    wed = cells(world, 3, world.units_wed)
    zoe_wed = registered(world, world.family_b, world.zoe, world.period_wed)
    told.append(reserve(world.family_b, zoe_wed, wed[:6]))  # staff validate: requests
    told.append(reserve(world.staff, zoe_wed, wed))
    # Booking not open yet; a deadline that has passed for the first days only.
    later = _period(world, opens_in_days=5, add_days=1)
    told.append(reserve(regs[0][0], registered(world, regs[0][0], others[0][1][0], later), peri))
    tight = _period(world, opens_in_days=-10, add_days=12, auto=False)
    reg = registered(world, regs[1][0], others[1][1][0], tight)
    told.append(reserve(regs[1][0], reg, cells(world, 12)))
    told.append(reserve(world.staff, reg, cells(world, 12), by_staff=True))
    # Léa's second household books under its own registration: the days her first
    # household holds are refused, the others are its own.
    households.link_child(world.staff, world.lea, world.family_b.family_id)
    lea_b = registered(world, world.family_b, world.lea, world.period_peri)
    told.append(reserve(world.family_b, lea_b, peri[:14]))
    return [[(c.day, c.unit_id, c.unit_name, c.outcome, c.position, c.reason)
             for c in s.cells] + [s.child_name, s.registration_id] for s in told]


def _ids(reg: int) -> list[int]:
    with read() as session:
        return list(session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg, Reservation.state == "validated")
            .order_by(Reservation.id)))


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    with get_engine().connect() as conn:
        rows = {name: [tuple(r) for r in conn.execute(text(
                    f"SELECT {cols} FROM {name} ORDER BY {cols}"))]
                for name, cols in _TABLES.items()}
        rows["queues"] = [tuple(r) for r in conn.execute(text(
            "SELECT slot_id, id FROM reservation WHERE state = 'waitlisted' "
            "ORDER BY slot_id, queue_rank, id"))]
    return rows


def _instants_hold_together() -> None:
    """Within a row, the instants the old path wrote from one clock reading agree."""
    with read() as session:
        untouched = session.scalars(select(Reservation).where(
            Reservation.state.in_(["waitlisted", "requested"]))).all()
        assert untouched
        for r in untouched:  # as written by the submission
            assert r.updated_at == r.requested_at and r.decided_at is None
            assert r.queue_rank in (None, queue_rank(r.requested_at))
        for r in session.scalars(select(Reservation).where(Reservation.state == "validated")):
            assert r.decided_at is not None and r.decided_at >= r.requested_at


def _run(on: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], dict[str, Any]]:
    with monkeypatch.context() as m:
        m.setattr(server_step, "ENABLED", on)
        told = _story(build(capacity=2))
    _instants_hold_together()
    return told, _rows()


def test_the_server_step_writes_what_the_python_path_wrote(pg_db, monkeypatch):
    old_told, old = _run(False, monkeypatch)
    _empty(pg_db)  # RESTART IDENTITY: the second run draws the same ids
    organisation.clear_cache()
    new_told, new = _run(True, monkeypatch)
    for a, b in zip(old_told, new_told, strict=True):
        assert b == a
    for key in old:
        assert new[key] == old[key], key
    # The story did exercise what is compared.
    outcomes = {c[3] for t in old_told for c in t[:-2]}
    assert outcomes == {"validated", "requested", "waitlisted", "rejected", "unchanged"}
    reasons = {c[5].split(" ")[0] for t in old_told for c in t[:-2] if c[5]}
    assert reasons == {"jour", "Les", "Date", "journée"}
    assert max(c[4] or 0 for t in old_told for c in t[:-2]) >= 3
    assert len(old["queues"]) >= 20  # and the cancellation mailed too:
    assert sum(m[3].startswith("Vos réservations") for m in old["mail"]) > len(old_told)
    assert any("reserve_by_staff" in a for a in old["audit_entry"])

