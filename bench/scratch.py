"""Scratch PostgreSQL databases for the benches: created empty, dropped with FORCE after."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from db import engine as db_engine
from db.bootstrap import migrate

PG_ADMIN = os.environ.get("PORTAIL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def admin(sql: str) -> None:
    """One statement on the admin database, in autocommit (CREATE/DROP DATABASE)."""
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def create(prefix: str) -> str:
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin(f'CREATE DATABASE "{name}"')
    return name


def drop(name: str) -> None:
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url(name: str, driver: str = "postgresql+psycopg") -> str:
    """The database's URL; driver "postgresql" gives the libpq form psycopg.connect takes."""
    return driver + "://" + PG_ADMIN.split("://", 1)[1].rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def portal(prefix: str) -> Iterator[str]:
    """A scratch database with the portal's schema, made the app's database (DATABASE_URL)
    while the block runs; then the previous one is back and the scratch is dropped."""
    name = create(prefix)
    previous = os.environ.get("DATABASE_URL")
    try:
        migrate(url(name))
        os.environ["DATABASE_URL"] = url(name)
        db_engine.reset_engine()
        yield name
    finally:
        db_engine.reset_engine()
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous
        drop(name)
