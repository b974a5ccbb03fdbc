"""Bring a database up to date: apply migrations, then load the demo centre on the first run.

Run by `make run` (python -m db.bootstrap). Running it again changes nothing.
"""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from db import settings, statistics
from db.settings import ROOT


def migrate(url: str | None = None) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url or settings.DATABASE_URL.get())
    command.upgrade(config, "heads")


def main() -> None:
    migrate()
    statistics.refresh(force=True)
    if settings.as_bool(settings.DEMO_MODE):
        from services import demo  # imported late: services sit above db

        state = demo.status()
        if state == demo.EMPTY:
            demo.load()
            print("Centre de démonstration chargé.")
        elif state == demo.LOADED:
            print("Démo déjà chargée.")
        elif state == demo.OTHER:
            print("La base contient déjà un centre : la démo n'est pas chargée.")
        else:
            raise SystemExit(
                "Le chargement de la démo a été interrompu la première fois : la base est "
                "incomplète. Supprimez-la (par défaut var/portail.db) puis relancez make run.")


if __name__ == "__main__":
    main()
