"""Shared fixtures: a real database (SQLite file and PostgreSQL), migrated by Alembic,
emptied between tests, and the reference world built through the services."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from db import engine as db_engine
from db.base import Base
from db.bootstrap import migrate

PG_ADMIN_URL = os.environ.get("PORTAIL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
STRICT = bool(os.environ.get("CI")) or os.environ.get("PORTAIL_REQUIRE_ALL") == "1"


def unavailable(reason: str) -> None:
    """Skip on a developer machine without the service; fail in CI, where nothing may skip."""
    if STRICT:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def _pg_database() -> Iterator[str]:
    name = f"portail_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001  (any connection failure means "no PostgreSQL here")
        unavailable(f"PostgreSQL injoignable sur {PG_ADMIN_URL}: {exc.__class__.__name__}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    yield url
    db_engine.reset_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    yield from _pg_database()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'portail.db'}"
    migrate(url)
    return url


def _empty(url: str) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    eng = db_engine.get_engine()
    with eng.begin() as conn:
        if url.startswith("postgresql"):
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


def _use(url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("SMTP_HOST", raising=False)
    db_engine.reset_engine()
    _empty(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty, migrated database; tests using it run on SQLite and on PostgreSQL."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    yield _use(url, monkeypatch)
    db_engine.reset_engine()


@pytest.fixture
def sqlite_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty SQLite database, for tests that need not run on both engines (pages)."""
    yield _use(sqlite_url, monkeypatch)
    db_engine.reset_engine()


@pytest.fixture
def pg_db(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty PostgreSQL database, for tests specific to it."""
    yield _use(pg_url, monkeypatch)
    db_engine.reset_engine()


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BCRYPT_ROUNDS", "4")


@pytest.fixture(autouse=True)
def _documents_dir(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files go to a folder of the test's own, never to the project's var/."""
    monkeypatch.setenv("DOCUMENTS_DIR", str(tmp_path_factory.mktemp("documents")))


@pytest.fixture
def world(database: str):  # type: ignore[no-untyped-def]
    """The reference world on each engine (see tests/world.py)."""
    from tests.world import build

    return build()


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A real SMTP server on loopback; the portal's SMTP settings point at it."""
    from tests import smtp

    controller, collector = smtp.start()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(controller.port))
    yield collector
    controller.stop()
