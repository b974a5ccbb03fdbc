"""Bring a database up to date: apply migrations, then load the demo centre on the first run.

Run by `make run` (python -m db.bootstrap). Running it again changes nothing.
`python -m db.bootstrap --setup` sets up a centre of one's own without a browser (the same
first run as the setup page): each value comes from its option or is asked for.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from db import settings, statistics
from db.settings import ROOT


def migrate(url: str | None = None) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url or settings.DATABASE_URL.get())
    command.upgrade(config, "heads")


# (option, French prompt, required): the organisation, its first site, its first manager.
QUESTIONS = [
    ("name", "Nom de la structure", True), ("address", "Adresse", False),
    ("postal_code", "Code postal", False), ("city", "Ville", False),
    ("phone", "Téléphone de l'accueil", False), ("email", "E-mail de l'accueil", False),
    ("opening_hours", "Horaires d'ouverture", False), ("website", "Site web", False),
    ("legal_notice", "Mentions légales", False),
    ("rules_url", "Lien du règlement intérieur", False),
    ("site_name", "Nom du premier lieu d'accueil", True),
    ("site_address", "Adresse du lieu d'accueil", False),
    ("manager_name", "Nom de la personne de direction", True),
    ("manager_email", "E-mail de la personne de direction", True),
]


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m db.bootstrap")
    parser.add_argument("--setup", action="store_true",
                        help="mettre en service un centre (une seule fois)")
    parser.add_argument("--no-input", action="store_true",
                        help="ne rien demander : les options obligatoires doivent être données")
    parser.add_argument("--rules-pdf", help="chemin du règlement intérieur en PDF")
    for option, prompt, _ in QUESTIONS:
        parser.add_argument("--" + option.replace("_", "-"), help=prompt)
    return parser.parse_args(argv)


def _ask(args: argparse.Namespace) -> dict[str, str]:
    values = {}
    for option, prompt, required in QUESTIONS:
        value = getattr(args, option)
        if value is None and not args.no_input:
            try:
                value = input(f"{prompt}{' *' if required else ''} : ")
            except EOFError:
                value = ""
        if required and not (value or "").strip():
            raise SystemExit(f"« {prompt} » est obligatoire (option --"
                             f"{option.replace('_', '-')}).")
        values[option] = value or ""
    return values


def setup(argv: list[str]) -> None:
    """The first run without a browser: creates the centre and mails (or prints) the link."""
    from services import first_run  # imported late: services sit above db
    from services.errors import PortalError
    from services.organisation import ProfileForm

    args = _arguments(argv)
    if not first_run.needs_setup():
        raise SystemExit(first_run.AlreadySetUp().message)
    values = _ask(args)
    pdf = Path(args.rules_pdf).read_bytes() if args.rules_pdf else None
    profile = ProfileForm(**{k: v for k, v in values.items()
                             if k in ProfileForm.__dataclass_fields__})
    try:
        done = first_run.set_up(first_run.SetupForm(
            profile, values["site_name"], values["site_address"], values["manager_name"],
            values["manager_email"], rules_pdf=pdf))
    except PortalError as error:
        raise SystemExit(error.message) from None
    print(f"Centre « {profile.name.strip()} » mis en service.")
    if done.mailed:
        print(f"Un lien pour choisir le mot de passe a été envoyé à {done.manager_email}.")
    else:
        print(f"Aucun serveur de mail configuré : transmettez ce lien à {done.manager_email} "
              f"(usage unique) :\n{done.link}")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    migrate()
    statistics.refresh(force=True)
    if "--setup" in argv:
        setup(argv)
        return
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
    else:
        from services import first_run

        if first_run.needs_setup():
            print("Aucun centre dans la base : ouvrez le portail, qui affiche la page de mise en "
                  "service, ou lancez python -m db.bootstrap --setup.")


if __name__ == "__main__":
    main()
