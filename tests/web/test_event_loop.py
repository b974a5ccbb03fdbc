"""No route blocks the event loop that serves every page (issue 16, point 3): while another
client holds the database's write lock and the bank's notifications queue up behind it,
taking every connection of the pool, the health route waits in a thread and the server
keeps answering other requests at once."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from db.engine import get_engine, read
from db.models import AuditEntry
from tests.http import call, serve_routes
from tests.services.test_card_payment import notification, started
from tests.web.test_payment_routes import _hold_write_lock


def test_the_server_answers_while_the_database_is_locked_and_its_pool_taken(world, database,
                                                                            monkeypatch):
    reg, start = started(world)
    fields = notification(start.reference, 200)
    pool = get_engine().pool
    busy = pool.size() + pool._max_overflow + 1  # type: ignore[attr-defined]
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(database, ready, release),
                              kwargs={"table": "payment"})
    with serve_routes() as url, ThreadPoolExecutor(max_workers=busy + 1) as clients:
        monkeypatch.setenv("PORTAIL_PUBLIC_URL", url)
        holder.start()
        timer = threading.Timer(15, release.set)  # whatever happens, the lock goes
        timer.start()
        try:
            assert ready.wait(20)
            notes = [clients.submit(call, url + "/api/monetico/notify", fields)
                     for _ in range(busy)]
            _until_taken(pool, busy - 1)  # every connection is now waiting for the lock
            health = clients.submit(call, url + "/api/health")
            time.sleep(0.5)
            began = time.monotonic()
            status, _, _ = call(url + "/api/nothing-here")
            elapsed = time.monotonic() - began
            health_waited = not health.done()  # the health check waits for a connection
        finally:
            release.set()
            timer.cancel()
            holder.join(60)
        assert status == 404 and elapsed < 1.5, elapsed
        assert health_waited
        assert health.result(60)[:2] == (200, "ok")
        assert {n.result(60)[1] for n in notes} == {"version=2\ncdr=0\n"}
    with read() as session:
        assert session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "card_paid")) == 1


def _until_taken(pool, count: int) -> None:  # type: ignore[no-untyped-def]
    """Until `count` connections of the pool are checked out (a loaded machine takes its
    time to start the requests), at most 20 s; then a moment for the last to reach the lock."""
    deadline = time.monotonic() + 20
    while pool.checkedout() < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.checkedout() >= count, pool.checkedout()
    time.sleep(0.3)
