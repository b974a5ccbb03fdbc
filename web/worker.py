"""A background thread for work that happens without a user: mail delivery, reminders
(booking and payment) and deadlines, SQLite's planner statistics, files left to discard. One per app process; concurrent
workers are safe because each job claims its rows."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from db.statistics import refresh as refresh_statistics
from services.billing.deadlines import release_unpaid, send_reminders
from services.documents.storage import discard_pending
from services.mail.delivery import deliver_pending
from services.reminders.job import send_booking_reminders

log = logging.getLogger(__name__)
INTERVAL_S = 15.0
JOBS: list[Callable[[], object]] = [send_reminders, send_booking_reminders, release_unpaid,
                                    deliver_pending, refresh_statistics, discard_pending]


def run_jobs() -> None:
    for job in JOBS:
        try:
            job()
        except Exception:  # a failing job must not stop the others, nor the thread
            log.exception("background job %s failed", getattr(job, "__name__", job))


def start(interval: float = INTERVAL_S) -> Callable[[], None]:
    """Start the worker; returns a function that stops it."""
    stopped = threading.Event()

    def loop() -> None:
        while not stopped.wait(interval):
            run_jobs()

    thread = threading.Thread(target=loop, name="portail-worker", daemon=True)
    thread.start()
    return stopped.set
