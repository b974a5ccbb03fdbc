"""`make run`'s set-up (python -m db.bootstrap) on a fresh machine: migrations, then the demo
centre on the first run only; running it again changes nothing; PORTAIL_DEMO=0 loads none."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, table

from db.settings import ROOT


def _bootstrap(db: Path, demo: str = "1") -> str:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PORTAIL_DEMO": demo,
           "BCRYPT_ROUNDS": "4"}
    env.pop("SMTP_HOST", None)
    done = subprocess.run([sys.executable, "-m", "db.bootstrap"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _counts(db: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        counts = {name: conn.scalar(select(func.count()).select_from(table(name)))
                  for name in names}
    engine.dispose()
    return counts


def test_first_run_loads_the_demo_and_a_second_changes_nothing(tmp_path):
    db = tmp_path / "var" / "portail.db"  # as on a fresh clone: var/ does not exist yet
    assert "Centre de démonstration chargé." in _bootstrap(db)
    first = _counts(db)
    assert first["organisation"] == 1 and first["user_account"] >= 6
    assert "Démo déjà chargée." in _bootstrap(db)
    assert _counts(db) == first


def test_without_demo_mode_the_database_stays_empty(tmp_path):
    db = tmp_path / "prod.db"
    assert "démo" not in _bootstrap(db, demo="0").lower()
    counts = _counts(db)
    assert counts["alembic_version"] == len(_heads())
    assert {name: n for name, n in counts.items() if n and name != "alembic_version"} == {}


def _heads() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_heads()
