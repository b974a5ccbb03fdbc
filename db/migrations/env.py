"""Alembic environment: the URL comes from DATABASE_URL (or the caller's connection)."""
from __future__ import annotations

from alembic import context

import db.models  # noqa: F401  (registers every table)
from db.base import Base
from db.engine import build_engine
from db.settings import DATABASE_URL

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = build_engine(config.get_main_option("sqlalchemy.url") or DATABASE_URL.get())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
    if connection.in_transaction():
        connection.commit()


run_migrations()
