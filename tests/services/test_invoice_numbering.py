"""Invoice numbers form one unbroken sequence per organisation, whatever the concurrency:
no gap, no duplicate (issue #14). The counter row's lock is what makes it so."""
from __future__ import annotations

import threading
import time
from datetime import date

from services import clock

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from db.engine import get_engine, read
from db.models import Invoice, InvoiceCounter
from services.actor import SYSTEM
from services.billing import documents, numbering
from services.booking.reserve import reserve
from services.families.accounts import ChildForm, FamilyForm, GuardianForm, create_family
from tests.money import invoicing_on, registered
from tests.services.test_booking_concurrency import _together
from tests.world import World, _born, build, child_ids

FAMILIES = 8


def _families(world: World) -> list[int]:
    """Families A and B and six more, each with one day booked on the first day."""
    ids = [world.family_a_id, world.family_b_id]
    for n in range(FAMILIES - 2):
        ids.append(create_family(SYSTEM, world.organisation, FamilyForm(
            f"FAMILLE{n}", [GuardianForm("Parent", f"FAMILLE{n}", f"f{n}@test.example")],
            [ChildForm(f"Enfant{n}", f"FAMILLE{n}", _born(world.today, 8))])))
    for family_id in ids:
        child = child_ids(family_id)[0]
        reg = registered(world, world.staff, child, world.period_peri)
        reserve(world.staff, reg, [(world.first_day, world.units_peri[2])], by_staff=True)
    return ids


@pytest.fixture
def roomy(database: str) -> World:
    return build(capacity=FAMILIES)  # a place for every family on the same day


def test_issuing_at_once_for_many_families_numbers_them_1_to_n(roomy, monkeypatch):
    """Eight families' invoices issued by ten threads released together (two ask twice):
    eight invoices, numbered exactly 1..8, and the second asker gets the first's PDF."""
    world = roomy
    invoicing_on(monkeypatch, world.first_day)
    month = world.first_day.replace(day=1)
    ids = _families(world)
    askers = ids + ids[:2]
    pdfs = _together([lambda f=f: documents.invoice_pdf(world.staff, month, f) for f in askers])
    assert pdfs[:2] == pdfs[-2:]
    with read() as session:
        rows = session.execute(select(Invoice.sequence, Invoice.number, Invoice.family_id)).all()
        last = session.scalar(select(InvoiceCounter.last_number))
    assert sorted(seq for seq, _, _ in rows) == list(range(1, FAMILIES + 1)) and last == FAMILIES
    assert sorted(n for _, n, _ in rows) == [f"F{month.year}-{i:06d}" for i in range(1, 9)]
    assert sorted(f for _, _, f in rows) == sorted(ids)  # one invoice per family


def _waiting_on_a_lock() -> bool:
    with get_engine().connect() as conn:
        return bool(conn.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")))


def test_the_counter_lock_makes_a_second_issuer_wait_for_the_first(pg_db):
    world = build()
    org, today = world.organisation, clock.today()
    engine = get_engine()
    with Session(engine) as first, first.begin():
        numbering.allocate(first, org, "F", today)  # the counter row exists: 1
    # Why the lock: two issuers reading the counter without it both see 1 and both write 2,
    # the same number twice (PostgreSQL's READ COMMITTED lets the second write go through
    # once the first commits). This is the interleaving FOR UPDATE forbids.
    with Session(engine) as a, Session(engine) as b:
        seen_a = a.scalar(select(InvoiceCounter.last_number))
        seen_b = b.scalar(select(InvoiceCounter.last_number))
        for session, seen in ((a, seen_a), (b, seen_b)):
            session.execute(update(InvoiceCounter).values(last_number=seen + 1))
            session.commit()
        assert seen_a + 1 == seen_b + 1 == 2  # a duplicate, without the lock
    # With allocate, the second issuer waits until the first commits, then takes the next.
    got: dict[str, int] = {}
    with Session(engine) as a:
        a.begin()
        got["a"] = numbering.allocate(a, org, "F", today)[0]

        def second() -> None:
            with Session(engine) as b, b.begin():
                got["b"] = numbering.allocate(b, org, "F", today)[0]

        thread = threading.Thread(target=second)
        thread.start()
        waited, deadline = False, time.monotonic() + 60
        while thread.is_alive() and not waited and time.monotonic() < deadline:
            waited = _waiting_on_a_lock()
            time.sleep(0.02)
        assert waited and "b" not in got  # blocked on the counter row while `a` is open
        a.commit()
    thread.join(timeout=60)
    assert (got["a"], got["b"]) == (3, 4)
