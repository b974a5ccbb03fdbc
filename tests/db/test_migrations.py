"""Alembic migrations build exactly the models' schema, on SQLite and on PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db.base import Base
from db.engine import get_engine


def test_migrated_schema_matches_the_models(database):
    with get_engine().connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_capacity_check_constraint_refuses_overbooking_at_the_database(database):
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from tests.world import build

    build()
    with pytest.raises(IntegrityError):
        with get_engine().begin() as conn:
            conn.execute(text("UPDATE capacity_slot SET booked = places + 1"))
