"""AppTest of the public pages under pressure: throttled sign-in, too many reset requests,
a refused common password, and a staff session ended by the idle timeout."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from db.base import utcnow
from db.engine import transaction
from db.models import SessionToken
from services.auth import login
from services.auth.passwords import COMMON
from tests.links import last_token
from tests.pages.apptest import ROOT, page_as, texts
from tests.world import PASSWORD
from ui.session import TOKEN_KEY


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def _sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_repeated_failures_make_the_next_attempt_wait(built):
    at = page_as("pages/sign_in.py", None)
    for _ in range(5):
        assert "Adresse e-mail ou mot de passe incorrect." in texts(
            _sign_in(at, "inconnu@test.example", "pas-le-bon-2026"))
    _sign_in(at, "dupont@test.example", PASSWORD)
    assert "Trop de tentatives de connexion depuis cet appareil" in texts(at)
    assert TOKEN_KEY not in at.session_state
    assert not at.exception


def test_too_many_reset_requests_are_refused_in_french(built):
    at = page_as("pages/sign_in.py", None)
    for n in range(11):
        at.text_input(key="forgot_email").input(f"personne{n}@test.example")
        at.button[1].click().run()
    shown = texts(at)
    assert "Trop de demandes depuis cet appareil" in shown
    assert not at.exception


def test_set_password_refuses_a_common_password_and_keeps_the_link(built, capsys):
    from services.auth import links

    links.request_reset("durand@test.example")
    at = AppTest.from_file(str(ROOT / "pages/set_password.py"), default_timeout=30)
    at.query_params["jeton"] = last_token(capsys, "durand@test.example")
    at.run()
    at.text_input[0].input("famille2026")
    at.text_input[1].input("famille2026")
    at.button[0].click().run()
    assert COMMON in texts(at)
    at.text_input[0].input("Cerise-Volcan-42")
    at.text_input[1].input("Cerise-Volcan-42")
    at.button[0].click().run()
    assert "Mot de passe enregistré pour durand@test.example" in texts(at)


def test_an_idle_staff_session_ends_and_says_why(built):
    token = login.sign_in("accueil@test.example", PASSWORD).token
    with transaction() as session:
        session.execute(update(SessionToken).values(
            last_seen_at=utcnow() - timedelta(minutes=31)))
    at = AppTest.from_file(str(ROOT / "pages/staff_home.py"), default_timeout=30)
    at.session_state[TOKEN_KEY] = token
    at.run()
    assert login.IDLE_MESSAGE in texts(at)
    assert len(at.title) == 0 and not at.exception


def test_a_second_qf_request_waits_for_the_first_in_french(built):
    at = page_as("pages/family_contact.py", "dupont@test.example")
    at.text_input[5].input("900")
    at.button[1].click().run()
    assert "l'accueil vérifie votre attestation" in texts(at)
    at.text_input[5].input("950")
    at.button[1].click().run()
    assert ("Une demande de modification (quotient familial) attend déjà la vérification de "
            "l'accueil") in texts(at)
    assert not at.exception
