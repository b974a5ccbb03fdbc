"""When the database goes away under a signed-in user, the page says so in French and shows
no traceback; once it is back, the same session sees its data again."""
from __future__ import annotations

import pytest

from db import engine as db_engine
from tests.net import free_port
from tests.pages.apptest import page_as, shown, texts

FAMILY, MANAGER = "dupont@test.example", "direction@test.example"


@pytest.fixture
def built(database):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


@pytest.mark.parametrize(("email", "path", "title"), [
    (FAMILY, "pages/family_home.py", "Mon tableau de bord"),
    (FAMILY, "pages/family_bookings.py", "Mes réservations"),
    (MANAGER, "pages/dashboard_money.py", "Facturation et impayés"),
])
def test_a_database_outage_shows_a_french_message_not_a_traceback(built, monkeypatch, email,
                                                                   path, title):
    at = page_as("Home.py", email)
    at.switch_page(path).run()
    assert title in texts(at) and not at.exception
    url = db_engine.get_engine().url.render_as_string(hide_password=False)

    # The server goes away: nothing listens on that port any more.
    monkeypatch.setenv("DATABASE_URL",
                       f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/portail")
    db_engine.reset_engine()
    at.run()
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        "Le portail ne parvient pas à joindre sa base de données pour le moment. Ce qui était "
        "déjà enregistré est intact : réessayez dans quelques instants, ou contactez l'accueil "
        "si cela dure."]

    monkeypatch.setenv("DATABASE_URL", url)
    db_engine.reset_engine()
    at.run()
    assert title in texts(at) and not at.error and not at.exception
