"""Reception at scale on SQLite: list a queue of ~320 booking requests, validate them in
one batch, then change places over a whole period in bulk."""
from __future__ import annotations

import os
import tempfile
import time
from datetime import timedelta

from sqlalchemy import select

from db import engine as db_engine
from db.bootstrap import migrate
from db.engine import read
from db.models import Reservation
from services import registrations
from services.booking.reserve import reserve
from services.config.places import set_places
from services.staff import decisions
from services.staff.queue import QueueFilter, list_queue

CHILDREN = 10


def _timed(label: str, results: dict, key: str, work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = work()
    elapsed = time.perf_counter() - started
    results[key] = round(elapsed * 1000, 1)
    print(f"{label}: {elapsed * 1000:.0f} ms")
    return value


def run(results: dict) -> None:  # type: ignore[type-arg]
    os.environ["BCRYPT_ROUNDS"] = "4"
    os.environ.pop("SMTP_HOST", None)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate(url)
        os.environ["DATABASE_URL"] = url
        db_engine.reset_engine()
        from tests.world import add_child, build

        world = build(capacity=50)
        wednesdays = [world.first_day + timedelta(days=2 + 7 * n) for n in range(8)]
        cells = [(d, u) for d in wednesdays for u in world.units_wed]
        for n in range(CHILDREN):
            child = add_child(world, world.family_b_id, f"Enfant{n}", 8)
            reg = registrations.request_registration(world.staff, child, world.period_wed)
            registrations.decide(world.staff, reg, True)
            reserve(world.family_b, reg, cells)
        items = _timed("list_queue (all requests)", results, "staff_list_queue_ms",
                       lambda: list_queue(world.staff, QueueFilter(period_id=world.period_wed)))
        print(f"  {len(items)} requests in the queue")
        results["staff_queue_size"] = len(items)
        outcome = _timed(f"decide_bookings ({len(items)} in one batch)", results,
                         "staff_decide_batch_ms",
                         lambda: decisions.decide_bookings(world.staff, [i.id for i in items],
                                                           True))
        assert all(r.ok for r in outcome)
        with read() as session:
            assert session.scalar(select(Reservation.state).where(
                Reservation.state == "requested").limit(1)) is None
        change = _timed("set_places (period, 4 units, 3 age groups)", results,
                        "config_set_places_ms",
                        lambda: set_places(world.manager, world.units_wed,
                                           list(world.age_groups.values()), world.first_day,
                                           world.first_day + timedelta(days=60), 60))
        print(f"  {change.slots} slots changed")
        db_engine.reset_engine()
