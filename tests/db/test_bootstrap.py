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


def _setup(db: Path, args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PORTAIL_DEMO": "0",
           "BCRYPT_ROUNDS": "4"}
    env.pop("SMTP_HOST", None)
    return subprocess.run([sys.executable, "-m", "db.bootstrap", "--setup", *args], cwd=ROOT,
                          env=env, input=stdin, capture_output=True, text=True, timeout=240)


TILLEULS = ["--name", "Maison de l'Enfance des Tilleuls", "--postal-code", "35000",
            "--city", "Rennes", "--site-name", "Les Tilleuls", "--manager-name",
            "Claire Morvan", "--manager-email", "direction@tilleuls.example"]


def test_setup_from_the_command_line_prints_the_link_once_and_never_a_password(tmp_path):
    db = tmp_path / "own.db"
    assert "mise en service" in _bootstrap(db, demo="0")  # what make run says on an empty base
    done = _setup(db, ["--no-input", *TILLEULS])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Centre « Maison de l'Enfance des Tilleuls » mis en service." in done.stdout
    assert "/mot_de_passe?jeton=" in done.stdout and "mot de passe :" not in done.stdout.lower()
    counts = _counts(db)
    assert (counts["organisation"], counts["site"], counts["user_account"]) == (1, 1, 1)
    again = _setup(db, ["--no-input", *TILLEULS])
    assert again.returncode != 0 and "déjà mis en service" in again.stderr
    assert _counts(db) == counts


def test_setup_asks_for_what_is_missing_and_refuses_bad_input(tmp_path):
    db = tmp_path / "asked.db"
    missing = _setup(db, ["--no-input", "--name", "Les Tilleuls"])
    assert missing.returncode != 0 and "« Nom du premier lieu d'accueil » est obligatoire" in (
        missing.stderr)
    answers = ["Les Tilleuls", "", "3500", "", "", "", "", "", "", "", "Accueil", "", "Claire",
               "claire@tilleuls.example"]
    bad = _setup(db, [], stdin="\n".join(answers) + "\n")
    assert bad.returncode != 0 and "« Code postal » doit compter 5 chiffres." in bad.stderr
    assert _counts(db)["organisation"] == 0
    answers[2] = "35000"
    asked = _setup(db, [], stdin="\n".join(answers) + "\n")
    assert asked.returncode == 0, asked.stderr[-2000:]
    assert "Nom de la structure * :" in asked.stdout and "claire@tilleuls.example" in asked.stdout
    assert _counts(db)["organisation"] == 1
