"""Fault injection on the server-side step (services/booking/server_step.py): the
PostgreSQL backend killed while portail_submit() holds slot locks, or on every attempt.
Invariants as in test_faults.py: all or nothing, capacity equal to the places held, the
use case retried whole, and when retries run out no row, no place, no mail."""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from db import engine as db_engine
from db.engine import read
from db.models import CapacitySlot, Mail, Reservation
from services.booking import server_step
from services.booking.reserve import reserve
from tests.conftest import PG_ADMIN_URL
from tests.invariants import check_all
from tests.services.test_faults import _registered, _rows
from tests.world import build

_WAITING = text("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE '%portail_submit%' AND pid <> pg_backend_pid()")
_LOCKS = text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND mode = 'RowShareLock'")


@pytest.fixture
def pg_world(pg_db):  # type: ignore[no-untyped-def]
    return build()


def test_backend_killed_while_the_call_holds_locks_leaves_nothing_half_written(pg_world):
    world = pg_world
    reg = _registered(world, world.family_a, world.lea)
    cells = [(world.first_day, u) for u in world.units_peri]
    with read() as session:
        last = session.scalar(select(func.max(CapacitySlot.id)).where(
            CapacitySlot.day == world.first_day, CapacitySlot.unit_id.in_(world.units_peri),
            CapacitySlot.age_group_id == world.age_groups["6/12 ans"]))
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    done: list[Any] = []
    with db_engine.get_engine().connect() as blocker:
        # Another writer holds the last slot: the call locks the others, then waits on it.
        blocker.execute(text("SELECT 1 FROM capacity_slot WHERE id = :id FOR UPDATE"),
                        {"id": last})
        booker = threading.Thread(target=lambda: done.append(reserve(world.family_a, reg, cells)))
        booker.start()
        with admin.connect() as other:
            for _ in range(500):
                pid = other.execute(_WAITING).scalar()
                if pid:
                    break
                time.sleep(0.01)
            assert pid, "the call never waited on the held slot"
            assert other.execute(_LOCKS, {"pid": pid}).scalar_one() > 0
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        blocker.rollback()
        booker.join(30)
    admin.dispose()
    assert [c.outcome for c in done[0].cells] == ["validated"] * 4  # retried whole
    assert sorted(_rows(reg)) == ["validated"] * 4
    check_all()


def test_backend_killed_on_every_attempt_raises_and_changes_nothing(pg_world, monkeypatch):
    world = pg_world
    reg = _registered(world, world.family_a, world.lea)
    with read() as session:
        last_mail = session.scalar(select(Mail.id).order_by(Mail.id.desc()).limit(1))
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    calls = []
    real = server_step._call_and_commit

    def killed_first(session, params, commit=True):  # type: ignore[no-untyped-def]
        pid = session.connection().connection.driver_connection.info.backend_pid
        with admin.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        calls.append(pid)
        return real(session, params, commit)

    monkeypatch.setattr(server_step, "_call_and_commit", killed_first)
    with pytest.raises(Exception) as error:
        reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    admin.dispose()
    assert getattr(error.value, "connection_invalidated", False) and len(calls) == 5
    assert _rows(reg) == []
    with read() as session:
        assert session.scalar(select(Mail.id).order_by(Mail.id.desc()).limit(1)) == last_mail
        assert session.scalar(select(func.count(Reservation.id))) == 0
    check_all()
