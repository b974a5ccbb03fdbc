"""The engine, built once per process, and the transaction helpers services use.

SQLite needs `BEGIN IMMEDIATE` for write transactions, WAL mode and a busy
timeout, or concurrent bookers either overbook or fail with "database is
locked" (see shared/docs/concurrency.md). Python's sqlite3 module would issue
its own deferred BEGIN, so autocommit is switched off at the driver level and
the BEGIN is emitted by us.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError, StatementError
from sqlalchemy.orm import Session

from db import settings

_engine: Engine | None = None
T = TypeVar("T")

# Set by services.errors: turns a value the database refuses (too long, out of range, a NUL
# byte, an id that points nowhere) into the portal's named French error, so bad input never
# shows a traceback, without db/ knowing about services.
bad_value: Callable[[Exception], Exception] | None = None


def _refused_value(exc: Exception) -> bool:
    if isinstance(exc, (DataError, IntegrityError)):
        return True
    # SQLite's driver refuses an integer beyond 64 bits before the statement runs.
    return isinstance(exc, StatementError) and isinstance(exc.orig, (OverflowError, ValueError))


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except StatementError as exc:
        if bad_value is None or not _refused_value(exc):
            raise
        raise bad_value(exc) from exc
    except OverflowError as exc:  # sqlite3 refusing an integer beyond 64 bits
        if bad_value is None:
            raise
        raise bad_value(exc) from exc


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def build_engine(url: str) -> Engine:
    """An engine for `url`, with the per-dialect settings the portal relies on."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def get_engine() -> Engine:
    """The process-wide engine for DATABASE_URL."""
    global _engine
    if _engine is None:
        _engine = build_engine(settings.DATABASE_URL.get())
    return _engine


def reset_engine() -> None:
    """Forget the engine (tests switch databases between runs)."""
    global _engine
    if _engine is not None:
        _engine.dispose()
    _engine = None


def is_postgres() -> bool:
    return get_engine().dialect.name == "postgresql"


@contextmanager
def transaction() -> Iterator[Session]:
    """One write transaction: committed if the block succeeds, rolled back otherwise."""
    with _translated(), Session(get_engine(), expire_on_commit=False) as session:
        with session.begin():
            yield session


@contextmanager
def read() -> Iterator[Session]:
    """A read-only unit of work; on SQLite it does not take the write lock."""
    engine = get_engine()
    bind = engine.execution_options(sqlite_begin="DEFERRED") if engine.dialect.name == "sqlite" else engine
    with _translated(), Session(bind, expire_on_commit=False) as session:
        with session.begin():
            yield session


@contextmanager
def read_rows() -> Iterator[Connection]:
    """A read-only connection for reports that want plain rows: no ORM session to build
    for each query (its fixed cost shows on the small dashboards)."""
    engine = get_engine()
    bind = engine.execution_options(sqlite_begin="DEFERRED") if engine.dialect.name == "sqlite" else engine
    with _translated(), bind.connect() as conn:
        with conn.begin():
            yield conn


# SQLSTATEs worth a retry: deadlock detected, serialization failure.
_RETRYABLE = {"40P01", "40001"}


def retryable(exc: BaseException) -> bool:
    """True when the whole transaction may simply run again (with_retry's test; the queue's
    applier re-runs a batch on it)."""
    # A connection lost mid-transaction (server restart, backend terminated, failover):
    # the server rolled the transaction back, so running the whole use case again is safe.
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in _RETRYABLE:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def with_retry(work: Callable[[], T], attempts: int = 5) -> T:
    """Run `work` (a whole transaction), retrying it on deadlock, serialization failure or
    a lost connection."""
    for attempt in range(attempts):
        try:
            return work()
        except DBAPIError as exc:
            if attempt == attempts - 1 or not retryable(exc):
                raise
            time.sleep(0.01 * (2**attempt))
    raise AssertionError("unreachable")
