"""The booking queue of the opening rush (issue #17, PostgreSQL, BOOKING_QUEUE=1): real
applier processes, real LISTEN/NOTIFY. Order is arrival order across families; a request
whose page gave up is never booked; with no applier the page applies its own submission; an
applier killed inside a batch leaves nothing of it and its standby applies it whole, once."""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import text

from db import engine as db_engine
from services import organisation
from services.booking import queue, server_step
from services.booking.cancel import cancel
from services.booking.errors import QueueGaveUp
from services.booking.reserve import reserve
from services.booking.together import reserve_together
from services.errors import Forbidden
from services.families.rights.pending import FamilyClosed
from tests import invariants
from tests.conftest import _empty
from tests.services import applier_procs as procs
from tests.services.cancel_world import cells, families, registered
from tests.world import add_child, build


@pytest.fixture
def queued(pg_db, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BOOKING_QUEUE", "1")
    return pg_db


def _one(sql: str, **params: Any) -> Any:
    with db_engine.get_engine().connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _in_threads(jobs: list[Any]) -> list[Any]:
    """Run the jobs at once, one thread each (pages of different families); their results."""
    out: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            out[i] = jobs[i]()
        except Exception as exc:  # noqa: BLE001  (the test looks at it)
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


def test_without_an_applier_the_page_applies_its_own_submission(queued):
    world = build(capacity=2)
    lea = registered(world, world.family_a, world.lea, world.period_peri)
    done = reserve(world.family_a, lea, cells(world, 2))
    assert {c.outcome for c in done.cells} == {"validated"}
    assert _one("SELECT count(*) FROM booking_request") == 0  # nothing was queued
    invariants.check_all()


def test_families_are_served_in_arrival_order(queued):
    world = build(capacity=2)
    others = families(world, 6, 1)
    regs = [(actor, registered(world, actor, kids[0], world.period_peri)) for actor, kids in others]
    wanted = cells(world, 4)
    applier = procs.start()
    try:
        procs.wait_for(applier, "leader")
        told = _in_threads([lambda a=a, r=r: reserve(a, r, wanted) for a, r in regs])
        # And a cancellation behind them, through the same queue.
        first = told[0]
        assert not isinstance(first, Exception), first
    finally:
        procs.stop(applier)
    assert all(not isinstance(t, Exception) for t in told), told
    assert [s for _, s in procs.states()] == ["applied"] * len(regs)
    # Each request's reservations were written after those of every earlier request.
    with db_engine.get_engine().connect() as conn:
        order = list(conn.execute(text(
            "SELECT (b.payload::json -> 'params' ->> 'registration')::int "
            "FROM booking_request b ORDER BY id")).scalars())
    written = [_one("SELECT min(requested_at) FROM reservation WHERE registration_id = :r", r=r)
               for r in order]
    assert written == sorted(written)
    # Two places a slot: the first two requests to arrive hold them, the others wait in turn.
    by_reg = {s.registration_id: s for s in told}
    for rank, reg in enumerate(order):
        outcomes = {c.outcome for c in by_reg[reg].cells}
        assert outcomes == ({"validated"} if rank < 2 else {"waitlisted"})
        if rank >= 2:
            assert {c.position for c in by_reg[reg].cells} == {rank - 1}
    invariants.check_all()


def test_a_page_that_gave_up_is_never_booked_afterwards(queued, monkeypatch):
    world = build(capacity=2)
    lea = registered(world, world.family_a, world.lea, world.period_peri)
    monkeypatch.setenv("BOOKING_QUEUE_WAIT_SECONDS", "0.5")
    held = procs.hold_leadership()  # an applier that does not answer
    try:
        with pytest.raises(QueueGaveUp) as gave_up:
            reserve(world.family_a, lea, cells(world, 2))
        assert "rien n'a été enregistré" in gave_up.value.message
    finally:
        held.close()
    assert procs.states() == [(1, "abandoned")]
    applier = procs.start()
    try:
        procs.wait_for(applier, "leader")
        monkeypatch.setenv("BOOKING_QUEUE_WAIT_SECONDS", "30")
        zoe = registered(world, world.family_b, world.zoe, world.period_peri)
        reserve(world.family_b, zoe, cells(world, 1))  # the applier has run since
    finally:
        procs.stop(applier)
    assert procs.states() == [(1, "abandoned"), (2, "applied")]
    assert _one("SELECT count(*) FROM reservation WHERE registration_id = :r", r=lea) == 0
    invariants.check_all()


def test_a_refused_request_fails_alone_with_its_french_message(queued, monkeypatch):
    world = build(capacity=2)
    lea = registered(world, world.family_a, world.lea, world.period_peri)
    held = procs.hold_leadership()  # requests queue up, then one batch takes them
    # Prepared by the page (portail_submit() on): refused before anything is queued.
    with pytest.raises(Forbidden):
        reserve(world.family_b, lea, cells(world, 1))
    assert procs.states() == []
    # The whole Python path in the applier: refused there, in the batch, alone.
    monkeypatch.setattr(server_step, "ENABLED", False)
    told: list[Any] = []
    pages = threading.Thread(target=lambda: told.extend(_in_threads([
        lambda: reserve(world.family_b, lea, cells(world, 1)),  # not this family's child
        lambda: reserve(world.family_a, lea, cells(world, 1))])))
    pages.start()
    _wait_queued(2)
    applier = procs.start()
    try:
        held.close()
        procs.wait_for(applier, "leader")
        pages.join(60)
        assert type(told[0]) is Forbidden
        assert told[0].message == "Vous n'avez pas accès à cet élément."
        assert {c.outcome for c in told[1].cells} == {"validated"}
        # Cancellations go through the same queue.
        res = _one("SELECT min(id) FROM reservation WHERE registration_id = :r", r=lea)
        undone = cancel(world.family_a, lea, [res])
        assert [c.outcome for c in undone.cells] == ["cancelled"]
    finally:
        procs.stop(applier)
    assert sorted(s for _, s in procs.states()) == ["applied", "applied", "failed"]
    invariants.check_all()


def test_the_desk_queues_nothing_for_a_closed_family(queued):
    world = build(capacity=2)
    lea = registered(world, world.family_a, world.lea, world.period_peri)
    _close(world.family_a_id)
    held = procs.hold_leadership()  # an applier would take whatever is recorded
    try:
        with pytest.raises(FamilyClosed, match="aucun jour ne peut plus lui être réservé"):
            reserve(world.staff, lea, cells(world, 1), by_staff=True)
    finally:
        held.close()
    assert procs.states() == []  # refused by the page, before anything is queued
    assert _one("SELECT count(*) FROM reservation WHERE registration_id = :r", r=lea) == 0


def test_a_family_that_closed_its_account_gets_none_of_what_it_had_queued(queued):
    world = build(capacity=2)
    lea = registered(world, world.family_a, world.lea, world.period_peri)
    zoe = registered(world, world.family_b, world.zoe, world.period_peri)
    held = procs.hold_leadership()  # requests queue up, then one batch takes them
    told: list[Any] = []
    pages = threading.Thread(target=lambda: told.extend(_in_threads([
        lambda: reserve(world.family_a, lea, cells(world, 2)),
        lambda: reserve(world.staff, lea, cells(world, 1), by_staff=True),
        lambda: reserve(world.family_b, zoe, cells(world, 2))])))
    pages.start()
    _wait_queued(3)
    _close(world.family_a_id)  # while its two requests wait in the queue
    applier = procs.start()
    try:
        held.close()
        procs.wait_for(applier, "leader")
        pages.join(60)
    finally:
        procs.stop(applier)
    for refused in told[:2]:
        assert type(refused) is FamilyClosed, refused
        assert "aucun jour ne peut plus lui être réservé" in refused.message
    assert {c.outcome for c in told[2].cells} == {"validated"}  # the others are served
    assert sorted(s for _, s in procs.states()) == ["applied", "failed", "failed"]
    assert _one("SELECT count(*) FROM reservation WHERE registration_id = :r", r=lea) == 0
    invariants.check_all()


def _close(family_id: int) -> None:
    with db_engine.get_engine().begin() as conn:
        conn.execute(text("UPDATE family SET closure_requested_at = now() WHERE id = :f"),
                     {"f": family_id})


def _wait_queued(count: int) -> None:
    deadline = time.monotonic() + 60
    while len(procs.states()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(procs.states()) == count


def test_an_applier_killed_inside_a_batch_leaves_nothing_and_its_standby_applies_it_once(
        queued, monkeypatch):
    world = build(capacity=2)
    others = families(world, 6, 1)
    regs = [(actor, registered(world, actor, kids[0], world.period_peri)) for actor, kids in others]
    wanted = cells(world, 3)
    held = procs.hold_leadership()  # the requests queue up first, then one batch takes them
    pages: list[Any] = []
    page = threading.Thread(target=lambda: pages.extend(
        _in_threads([lambda a=a, r=r: reserve(a, r, wanted) for a, r in regs])))
    page.start()
    _wait_queued(len(regs))
    leader = procs.start(PORTAIL_APPLIER_PAUSE="60")
    standby = leader
    try:
        procs.wait_for(leader, "standby")
        held.close()
        procs.wait_for(leader, "paused in a batch of 6")
        standby = procs.start()  # waits on the lock the paused leader holds
        procs.wait_for(standby, "standby")
        # Half the batch is applied inside its transaction: none of it is visible.
        assert _one("SELECT count(*) FROM reservation") == 0
        assert {s for _, s in procs.states()} == {"queued"}
        leader.kill()
        procs.wait_for(standby, "leader")
        page.join(120)
    finally:
        procs.stop(leader, standby)
    assert all(not isinstance(p, Exception) for p in pages), pages
    assert [s for _, s in procs.states()] == ["applied"] * len(regs)
    # Each request applied exactly once: its cells, one audit entry, one mail.
    for _, reg in regs:
        assert _one("SELECT count(*) FROM reservation WHERE registration_id = :r",
                    r=reg) == len(wanted)
    assert _one("SELECT count(*) FROM audit_entry WHERE action = 'reserve'") == len(regs)
    invariants.check_all()


def test_the_queue_tells_and_writes_what_the_page_itself_did(pg_db, monkeypatch):
    """The equivalence story of tests/services/test_submit_equivalence.py (bookings,
    cancellations, staff, deadlines), run in-band then through the queue and its applier."""
    from tests.services.test_submit_equivalence import _rows, _story

    monkeypatch.setenv("BOOKING_QUEUE", "0")
    in_band_told, in_band = _story(build(capacity=2)), _rows()
    _empty(pg_db)  # RESTART IDENTITY: the second run draws the same ids
    organisation.clear_cache()
    monkeypatch.setenv("BOOKING_QUEUE", "1")
    applier = procs.start()
    try:
        procs.wait_for(applier, "leader")
        queued_told, through_queue = _story(build(capacity=2)), _rows()
    finally:
        procs.stop(applier)
    assert queued_told == in_band_told
    # The queue adds its own entry for each request it records (its ids shift the others').
    entries = through_queue.pop("audit_entry")
    queue_entries = [r for r in entries if r[4] == "booking_queued"]
    kept = [r[1:] for r in entries if r[4] != "booking_queued"]
    assert kept == [r[1:] for r in in_band.pop("audit_entry")]
    for key in in_band:
        assert through_queue[key] == in_band[key], key
    assert len(procs.states()) >= 10 and {s for _, s in procs.states()} == {"applied"}
    assert len(queue_entries) == len(procs.states())
    invariants.check_all()


def test_a_batch_with_a_failing_submission_applies_the_others_alone(queued):
    """A batch runs at full speed in one pipeline; if one call fails, the batch is applied
    again with a savepoint each: the others are booked, the failing one alone is refused."""
    world = build(capacity=2)
    regs = [(actor, registered(world, actor, kids[0], world.period_peri))
            for actor, kids in families(world, 2, 1)]
    held = procs.hold_leadership()
    pages = threading.Thread(target=lambda: _in_threads(
        [lambda a=a, r=r: reserve(a, r, cells(world, 1)) for a, r in regs]))
    pages.start()
    _wait_queued(2)
    with db_engine.get_engine().begin() as conn:  # a third one, for a child that is not
        conn.execute(text(
            "INSERT INTO booking_request (arrived_at, kind, payload, state) SELECT "
            "clock_timestamp(), kind, jsonb_set(payload::jsonb, '{params,child}', "
            "'999999')::text, 'queued' FROM booking_request WHERE id = 1"))
    applier = procs.start()
    try:
        held.close()
        procs.wait_for(applier, "leader")
        pages.join(60)
    finally:
        procs.stop(applier)
    assert [s for _, s in procs.states()] == ["applied", "applied", "failed"]
    for _, reg in regs:
        assert _one("SELECT count(*) FROM reservation WHERE registration_id = :r",
                    r=reg) == len(cells(world, 1))
    assert _one("SELECT count(*) FROM audit_entry WHERE action = 'reserve'") == 2
    assert "InvalidValue" in _one("SELECT result FROM booking_request WHERE id = 3")
    invariants.check_all()


def test_an_applier_whose_connection_is_lost_leads_again(queued):
    """The database restarts or the network drops under the leader: the process does not
    die with a traceback; it waits as a standby again, leads, and applies what comes."""
    world = build(capacity=2)
    (actor, kids), = families(world, 1, 1)
    reg = registered(world, actor, kids[0], world.period_peri)
    leader = procs.start()
    try:
        procs.wait_for(leader, "leader")
        # The session holding the leadership lock (the applier's own connection).
        killed = _one("SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
                      "WHERE locktype = 'advisory' AND objid = :key AND granted",
                      key=queue.LEADER_KEY)
        assert killed == 1
        procs.wait_for(leader, "standby")  # it says so again, then takes the lead
        procs.wait_for(leader, "leader")
        done = reserve(actor, reg, cells(world, 1))
        assert leader.poll() is None
    finally:
        procs.stop(leader)
    assert done.count("validated") == len(cells(world, 1))
    assert [s for _, s in procs.states()] == ["applied"]


def test_siblings_booked_together_wait_their_turn_in_the_queue(queued):
    """A sibling submission goes through the same queue: a family that arrived before it
    keeps its place, and the siblings are judged at their own arrival."""
    world = build(capacity=2)
    zoe = registered(world, world.family_b, world.zoe, world.period_peri)
    hugo = add_child(world, world.family_a_id, "Hugo", 7)
    lea, hugo = (registered(world, world.family_a, kid, world.period_peri)
                 for kid in (world.lea, hugo))
    wanted = cells(world, 1)[:1]
    held = procs.hold_leadership()  # both are recorded, in this order, before any is applied
    told: dict[str, Any] = {}
    pages = [threading.Thread(target=lambda: told.update(zoe=reserve(
                 world.family_b, zoe, wanted))),
             threading.Thread(target=lambda: told.update(siblings=reserve_together(
                 world.family_a, [lea, hugo], wanted, together=True)))]
    applier = procs.start()
    try:
        for n, page in enumerate(pages, start=1):
            page.start()
            _wait_queued(n)
        procs.wait_for(applier, "standby")
        held.close()
        for page in pages:
            page.join(120)
    finally:
        procs.stop(applier)
    assert procs.states() == [(1, "applied"), (2, "applied")]
    assert _one("SELECT string_agg(kind, ',' ORDER BY id) FROM booking_request") == (
        "submit,together")
    # Zoé came first: one of the two places; the siblings, together or not at all, wait.
    assert [c.outcome for c in told["zoe"].cells] == ["validated"]
    waiting = [s.cells[0] for s in told["siblings"]]
    assert [(c.outcome, c.position, c.grouped) for c in waiting] == [
        ("waitlisted", 1, True), ("waitlisted", 2, True)]
    assert _one("SELECT count(DISTINCT requested_at) FROM reservation r JOIN booking_request b "
                "ON b.id = 2 AND r.requested_at = b.arrived_at "
                "WHERE r.registration_id IN (:a, :b)", a=lea, b=hugo) == 1
    assert _one("SELECT string_agg(entity_id::text, ',' ORDER BY id) FROM audit_entry "
                "WHERE action = 'booking_queued'") == f"{zoe},{lea}"
    invariants.check_all()
