"""Alembic migrations build exactly the models' schema, on SQLite and on PostgreSQL."""
from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db.base import Base
from db.engine import get_engine


def down_and_up_again(revision: str, while_down: Callable[[], None] | None = None) -> None:
    """Take the database down to `revision` (then call `while_down`, if given) and back up
    to the heads, with Alembic."""
    from alembic import command
    from alembic.config import Config

    from db.bootstrap import ROOT
    from db.engine import reset_engine

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", get_engine().url.render_as_string(False))
    reset_engine()
    command.downgrade(config, revision)
    if while_down is not None:
        while_down()
    command.upgrade(config, "heads")
    reset_engine()


def test_migrated_schema_matches_the_models(database):
    with get_engine().connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_the_whole_chain_goes_down_to_nothing_and_up_again(database):
    """Every downgrade runs, the first one's included (it drops its tables in the reverse
    of their creation order), and the way back up builds the models' schema again."""
    from sqlalchemy import inspect

    tables: list[list[str]] = []
    down_and_up_again("base", lambda: tables.append(
        sorted(set(inspect(get_engine()).get_table_names()) - {"alembic_version",
                                                                "sqlite_stat1"})))
    assert tables == [[]]
    test_migrated_schema_matches_the_models(database)


def test_capacity_check_constraint_refuses_overbooking_at_the_database(database):
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from tests.world import build

    build()
    with pytest.raises(IntegrityError):
        with get_engine().begin() as conn:
            conn.execute(text("UPDATE capacity_slot SET booked = places + 1"))


def test_the_latest_migrations_go_down_and_up_again_over_data(database):
    """A centre upgrades a database that holds data: the last migrations must not rebuild
    tables others point at (SQLite's batch mode would, and fail on foreign keys)."""
    from sqlalchemy import func, select, text

    from db.engine import read
    from db.models import Charge, Unit
    from tests.world import build

    build()
    down_and_up_again("0007_dash_speed")
    with read() as session:
        assert session.scalar(select(func.count(Unit.id))) > 0
        assert session.scalar(select(func.sum(Unit.meal_cents))) == 0
        assert session.scalar(select(func.count(Charge.id))) == 0
        assert session.execute(text("SELECT sum(waiting) FROM capacity_slot")).scalar() == 0


def test_0010_fills_paid_and_activity_on_charges_already_written(database):
    """A centre upgrading keeps its money: charges written before 0010 get what was paid
    on them and their activity from the allocations and registrations already there."""
    from sqlalchemy import select

    from db.engine import read
    from db.models import Charge
    from tests.invariants import charges_carry_their_activity, no_payment_lost
    from tests.services.reports_world import busy_world

    busy_world()
    with read() as session:
        before = dict(session.execute(select(Charge.id, Charge.paid_cents)).all())
    assert sorted(before.values()) == [0] * 5 + [100, 200]  # Léa's D u0, D u1 by cheque
    down_and_up_again("0009_meal")
    with read() as session:
        assert dict(session.execute(select(Charge.id, Charge.paid_cents)).all()) == before
    charges_carry_their_activity()
    no_payment_lost()


def test_0036_gives_portail_submit_its_clock_and_goes_back_to_0034s(pg_db):
    """0036_queue_clock adds p_now to portail_submit() (one function, not an overload); its
    downgrade puts back 0034's function, which takes the clock itself."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from db.bootstrap import ROOT
    from db.engine import reset_engine

    def functions() -> list[tuple[str, str]]:
        with get_engine().connect() as conn:
            return [(args.split(", ")[-1], body) for args, body in conn.execute(text(
                "SELECT pg_get_function_identity_arguments(oid), pg_get_functiondef(oid) "
                "FROM pg_proc WHERE proname = 'portail_submit'"))]

    (last, body), = functions()
    assert last == "p_now timestamp with time zone" and "coalesce(p_now, v_locked)" in body
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", get_engine().url.render_as_string(False))
    reset_engine()
    command.downgrade(config, "0035_booking_queue")
    (last, body), = functions()
    assert last == "p_details text[]" and "v_now := clock_timestamp();" in body
    command.upgrade(config, "heads")
    reset_engine()
    (last, _), = functions()
    assert last == "p_now timestamp with time zone"


def test_0041_compresses_queued_requests_with_lz4_and_goes_back_to_pglz(pg_db):
    """The booking queue's payloads (some 32 KB of JSON each) take lz4 on a server built
    with it, as this one is; the downgrade gives the column back the default, pglz."""
    from sqlalchemy import text

    def compression() -> str:
        with get_engine().connect() as conn:
            return str(conn.execute(text(
                "SELECT attcompression FROM pg_attribute WHERE attname = 'payload' "
                "AND attrelid = 'booking_request'::regclass")).scalar_one())

    with get_engine().connect() as conn:
        assert conn.execute(text("SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE "
                                 "name = 'default_toast_compression'")).scalar_one()
    assert compression() == "l"
    down: list[str] = []
    down_and_up_again("0040_closed_pending", lambda: down.append(compression()))
    assert down == ["p"] and compression() == "l"


def test_0042_has_portail_submit_plan_its_statements_once(pg_db):
    """The function keeps its generic plans (a later CREATE OR REPLACE of it would drop the
    setting: this test would say so); the downgrade takes the setting away."""
    from sqlalchemy import text

    def settings() -> list[str] | None:
        with get_engine().connect() as conn:
            return conn.execute(text("SELECT proconfig FROM pg_proc "
                                     "WHERE proname = 'portail_submit'")).scalar_one()

    assert settings() == ["plan_cache_mode=force_generic_plan"]
    down: list[list[str] | None] = []
    down_and_up_again("0041_payload_lz4", lambda: down.append(settings()))
    assert down == [None] and settings() == ["plan_cache_mode=force_generic_plan"]
