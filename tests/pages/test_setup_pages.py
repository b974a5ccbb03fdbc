"""AppTest for the first run's setup page and for "Mon centre": the setup page is the only page
of an empty database, works once, then refuses (also from a fresh script run, as on a cold
server); bad input shows a French message and creates nothing."""
from __future__ import annotations

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from db.engine import read
from db.models import Mail, Organisation
from services import organisation
from tests.pages.apptest import ROOT, TIMEOUT, page_as, shown
from tests.pages.apptest import texts as escaped
from tests.pages.test_foundation_pages import MANAGER, STAFF

SETUP = "pages/setup.py"


def texts(at: AppTest) -> str:
    """What the reader sees: names are shown through ui.safe.md, which escapes punctuation."""
    return escaped(at).replace("\\", "")


def _fill(at: AppTest, **values: str) -> AppTest:
    fields = {"Nom de la structure *": "Maison de l'Enfance des Tilleuls",
              "Code postal": "35000", "Ville": "Rennes",
              "Horaires d'ouverture de l'accueil": "du lundi au vendredi, 8h30-18h",
              "Nom du lieu d'accueil *": "Les Tilleuls", "Nom et prénom *": "Claire Morvan",
              "Adresse e-mail *": "direction@tilleuls.example", **values}
    for box in at.text_input:
        if box.label in fields:
            box.input(fields[box.label])
    at.button[0].click()
    return at.run()


def _organisations() -> int:
    with read() as session:
        return session.scalar(select(func.count()).select_from(Organisation)) or 0


def test_an_empty_database_opens_on_the_setup_page_only(sqlite_db):
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Mise en service du Portail Famille"]


def test_setup_page_creates_the_centre_once_then_is_gone(sqlite_db):
    at = _fill(page_as(SETUP, None))
    assert not at.exception and not at.error
    assert "direction@tilleuls.example" in texts(at) and "console du serveur" in texts(at)
    assert organisation.get_profile().city == "Rennes"
    with read() as session:
        body = session.scalars(select(Mail.body)).one()
    # The stored mail shows the link masked; the link itself went to the server's console.
    assert "jeton=" not in body and body.rstrip().endswith("des Tilleuls")
    # A fresh run of the page (a reload, another browser, a restarted server) refuses.
    organisation.clear_cache()
    again = page_as(SETUP, None)
    assert "déjà mis en service" in texts(again) and len(again.text_input) == 0
    home = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=TIMEOUT).run()
    assert [t.value for t in home.title] == ["Portail Famille"]
    assert "Maison de l'Enfance des Tilleuls" in texts(home)
    assert _organisations() == 1


def test_setup_page_bad_input_says_why_in_french_and_creates_nothing(sqlite_db):
    at = _fill(page_as(SETUP, None), **{"Adresse e-mail *": "direction@", "Code postal": "35"})
    assert [shown(e.value) for e in at.error] == ["« Code postal » doit compter 5 chiffres."]
    at = _fill(at, **{"Adresse e-mail *": "direction@"})
    assert "n'est pas une adresse e-mail valide" in shown(at.error[0].value)
    assert _organisations() == 0 and not at.exception


def _built():  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def test_mon_centre_edits_the_profile_for_managers_only(sqlite_db):
    _built()
    assert "n'est pas accessible" in texts(page_as("pages/manager_centre.py", STAFF))
    at = page_as("pages/manager_centre.py", MANAGER)
    assert not at.exception and at.title[0].value == "Mon centre"
    boxes = {box.label: box for box in at.text_input}
    boxes["Nom de la structure *"].input("Maison des Tilleuls")
    boxes["Ville"].input("Rennes")
    boxes["Site web"].input("tilleuls.example")
    at.button[0].click().run()
    assert "commençant par https://" in shown(at.error[0].value)
    assert organisation.get_profile().name != "Maison des Tilleuls"
    boxes = {box.label: box for box in at.text_input}
    boxes["Site web"].input("https://tilleuls.example")
    at.button[0].click().run()
    assert not at.error and "enregistrées" in texts(at)
    profile = organisation.get_profile()
    assert (profile.name, profile.city, profile.website) == (
        "Maison des Tilleuls", "Rennes", "https://tilleuls.example")
