"""Fault injection: each test names the invariant it protects.

- The PostgreSQL backend killed (pg_terminate_backend) while reserve() or cancel() holds
  its slot locks: nothing half-written, capacity consistent, the use case retried whole.
- The SMTP server down, a sender dying mid-batch, two senders racing: every mail goes out
  once it is back, none lost, none twice.
The bank's notification before the browser return, twice, or with a bad seal needs the
money branch (issue 5): add it there beside these, with the same invariants plus
"no payment lost, none counted twice".
"""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import create_engine, event, select, text

from db import engine as db_engine
from db.engine import read
from db.models import CapacitySlot, Mail, Reservation
from db.states import MailState
from services import registrations
from services.booking import cancel_step, server_step
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.mail import delivery
from services.mail.delivery import deliver_pending
from tests.invariants import at_once, check_all
from tests.smtp import text_of
from tests.world import add_child, build


class KillOnce:
    """Terminates this connection's PostgreSQL backend just before a matching statement."""

    def __init__(self, admin_url: str, starts_with: str, times: int = 1) -> None:
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.starts_with = starts_with
        self.times = times
        self.killed = 0
        self.locks_seen = -1

    def __call__(self, conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if self.killed >= self.times or not statement.lstrip().upper().startswith(self.starts_with):
            return
        pid = conn.connection.dbapi_connection.info.backend_pid
        with self.admin.connect() as other:
            # The victim holds its row locks right now: other sessions see them.
            self.locks_seen = other.execute(text(
                "SELECT count(*) FROM pg_locks WHERE pid = :pid AND mode = 'RowShareLock'"),
                {"pid": pid}).scalar_one()
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        self.killed += 1


@pytest.fixture
def pg_world(pg_db):  # type: ignore[no-untyped-def]
    return build()


def _kill_on(statement: str, times: int = 1) -> KillOnce:
    from tests.conftest import PG_ADMIN_URL

    killer = KillOnce(PG_ADMIN_URL, statement, times)
    event.listen(db_engine.get_engine(), "before_cursor_execute", killer)
    return killer


def _registered(world, actor, child) -> int:
    reg = registrations.request_registration(actor, child, world.period_peri)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def _rows(reg: int) -> list[str]:
    with read() as session:
        return list(session.scalars(select(Reservation.state)
                                    .where(Reservation.registration_id == reg)))


def test_backend_killed_while_reserve_holds_its_locks_leaves_nothing_half_written(pg_world,
                                                                                  monkeypatch):
    """Invariant: a submission is all or nothing; capacity stays equal to the places held.
    (The Python path; the server-side step's own: tests/services/test_submit_faults.py.)"""
    monkeypatch.setattr(server_step, "ENABLED", False)
    world = pg_world
    reg = _registered(world, world.family_a, world.lea)
    cells = [(world.first_day, u) for u in world.units_peri]
    killer = _kill_on("UPDATE CAPACITY_SLOT")
    out = reserve(world.family_a, reg, cells)  # the kill rolls back; the retry books
    assert killer.killed == 1 and killer.locks_seen > 0
    assert [c.outcome for c in out.cells] == ["validated"] * 4
    assert sorted(_rows(reg)) == ["validated"] * 4
    check_all()
    # The locks died with the backend: another family books the same cells at once.
    other = _registered(world, world.family_b, world.zoe)
    assert reserve(world.family_b, other, cells).count("validated") == 4
    check_all()


def _kill_before_last_write(monkeypatch) -> KillOnce:  # type: ignore[no-untyped-def]
    """Terminates the backend once portail_cancel() has freed the place and promoted the
    head, before the charges, mails, audit entry and COMMIT are sent."""
    from tests.conftest import PG_ADMIN_URL

    killer = KillOnce(PG_ADMIN_URL, "")
    original = cancel_step.send_and_commit

    def killing(session, sql, params, commit=True):  # type: ignore[no-untyped-def]
        if killer.killed < killer.times:
            pid = session.connection().connection.dbapi_connection.info.backend_pid
            with killer.admin.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            killer.killed += 1
        return original(session, sql, params, commit)

    monkeypatch.setattr(cancel_step, "send_and_commit", killing)
    return killer


@pytest.mark.parametrize("step", [False, True], ids=["python_path", "server_step"])
def test_backend_killed_inside_a_cancellation_keeps_the_place_and_the_queue(pg_world, monkeypatch,
                                                                            step):
    """Invariant: a freed place is never lost nor given twice when the writer dies mid-way."""
    monkeypatch.setattr(cancel_step, "ENABLED", step)
    world = pg_world
    cell = (world.first_day, world.units_peri[0])  # 2 places
    regs = [_registered(world, world.family_b, add_child(world, world.family_b_id, f"E{i}", 8))
            for i in range(3)]
    for reg in regs:
        reserve(world.family_b, reg, [cell])
    with read() as session:
        rid = session.scalar(select(Reservation.id).where(Reservation.registration_id == regs[0]))
    # After the place was freed and given to the head, before its charge is written.
    killer = _kill_before_last_write(monkeypatch) if step else _kill_on("INSERT INTO CHARGE")
    cancel(world.family_b, regs[0], [rid])
    assert killer.killed == 1
    assert _rows(regs[0]) == ["cancelled"] and _rows(regs[2]) == ["validated"]
    with read() as session:
        assert session.scalar(select(CapacitySlot.booked).where(CapacitySlot.id == select(
            Reservation.slot_id).where(Reservation.id == rid).scalar_subquery())) == 2
    check_all()


def test_backend_killed_on_every_attempt_raises_and_changes_nothing(pg_world, monkeypatch):
    """Invariant: when retries run out, the failure is total: no row, no place, no mail."""
    monkeypatch.setattr(server_step, "ENABLED", False)
    world = pg_world
    reg = _registered(world, world.family_a, world.lea)
    with read() as session:
        last_mail = session.scalar(select(Mail.id).order_by(Mail.id.desc()).limit(1))
    killer = _kill_on("UPDATE CAPACITY_SLOT", times=100)
    with pytest.raises(Exception) as error:
        reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    event.remove(db_engine.get_engine(), "before_cursor_execute", killer)
    assert getattr(error.value, "connection_invalidated", False) and killer.killed == 5
    assert _rows(reg) == []
    with read() as session:
        assert session.scalar(select(Mail.id).order_by(Mail.id.desc()).limit(1)) == last_mail
    check_all()


def _mails(world, n: int) -> None:
    """n submissions, each queueing one confirmation mail."""
    reg = _registered(world, world.family_a, world.lea)
    for i in range(n):
        reserve(world.family_a, reg, [(world.first_day, world.units_peri[i % 4])])


def _states() -> Counter[str]:
    with read() as session:
        return Counter(session.scalars(select(Mail.state)))


def _smtp_down(monkeypatch) -> int:  # type: ignore[no-untyped-def]
    from tests.net import free_port

    port = free_port()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    return port


def test_smtp_down_then_back_with_two_senders_racing_sends_each_mail_once(world, monkeypatch):
    """Invariant: none lost, none twice, whoever sends and however often they try."""
    from tests import smtp

    port = _smtp_down(monkeypatch)
    _mails(world, 4)  # registration and booking mails, queued for SMTP
    queued = _states()[MailState.QUEUED.value]
    assert queued >= 6
    for _ in range(2):
        assert at_once([lambda: deliver_pending(batch=2)] * 3) == [0, 0, 0]
    assert _states()[MailState.SENDING.value] == 0  # nothing left claimed by a failed round
    with read() as session:  # an outage costs no attempt: mails never "fail" for waiting
        assert set(session.scalars(select(Mail.attempts))) == {0}
    controller, collector = smtp.start(port)
    try:
        def drain() -> int:  # small batches, so the senders really interleave their claims
            return sum(iter(lambda: deliver_pending(batch=2), 0))

        sent = at_once([drain, drain, drain])
        assert sum(sent) == _states()[MailState.SENT.value]
        # A sender stops at its first empty round; a mail the server deferred meanwhile
        # waits for the next round, as it would in the worker's loop.
        sent.append(drain())
        with read() as session:
            left = [(m.state, m.attempts, m.last_error) for m in session.scalars(
                select(Mail).where(Mail.state != MailState.SENT.value))]
        assert sum(sent) == _states()[MailState.SENT.value] == queued, left
    finally:
        controller.stop()
    ids = Counter((m["To"], m["Subject"], text_of(m)) for m in collector.messages)
    assert all(n == 1 for n in ids.values())
    assert len(collector.messages) == _states()[MailState.SENT.value]
    assert _states()[MailState.QUEUED.value] == 0


def test_a_sender_dying_after_its_claim_does_not_lose_the_mails(world, smtp_server, monkeypatch):
    """Invariant: no mail stuck in "sending" for ever; it goes out after the timeout."""
    from datetime import timedelta

    _mails(world, 3)
    claimed = delivery._claim(50)  # the process dies here, before talking to SMTP
    assert claimed and _states()[MailState.SENDING.value] == len(claimed)
    assert deliver_pending() == 0  # a fresh claim is not stolen from a live sender
    monkeypatch.setattr(delivery, "STALE_AFTER", timedelta(seconds=0))
    assert deliver_pending() == len(claimed)
    assert len(smtp_server.messages) == len(claimed)
    assert _states()[MailState.SENDING.value] == 0


def test_smtp_failing_mid_batch_requeues_only_what_was_not_accepted(world, monkeypatch):
    """Invariant: a mail the server accepted is never sent again; the others wait."""
    from tests import smtp

    port = _smtp_down(monkeypatch)
    _mails(world, 3)
    controller, collector = smtp.start(port)
    real = collector.handle_DATA
    calls = {"n": 0}

    async def flaky(server, session, envelope):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            return "451 Try again later"
        return await real(server, session, envelope)

    collector.handle_DATA = flaky  # type: ignore[method-assign]
    try:
        first = deliver_pending()
        assert first == _states()[MailState.SENT.value] and _states()[MailState.QUEUED.value] == 1
        assert deliver_pending() == 1
    finally:
        controller.stop()
    subjects = Counter(m["Subject"] + text_of(m) for m in collector.messages)
    assert all(n == 1 for n in subjects.values()) and len(collector.messages) == first + 1


def test_a_thread_pool_of_bookers_while_mails_go_out(world, smtp_server):
    """Invariant: delivery claims never block nor lose the mails booking writes meanwhile."""
    regs = [_registered(world, world.family_b, add_child(world, world.family_b_id, f"M{i}", 9))
            for i in range(3)]
    cell = (world.first_day, world.units_peri[3])
    calls = [lambda r=r: reserve(world.family_b, r, [cell]) for r in regs]
    results = at_once(calls + [deliver_pending, deliver_pending])
    assert not [r for r in results if isinstance(r, Exception)]
    while deliver_pending():
        pass
    states = _states()
    assert states[MailState.SENT.value] == len(smtp_server.messages) == sum(states.values())
    check_all()
