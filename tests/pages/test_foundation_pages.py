"""AppTest for the foundation's pages: each opens for its role and refuses the others."""
from __future__ import annotations

import pytest

from tests.links import last_token
from tests.pages.apptest import ROOT, page_as, texts
from tests.world import PASSWORD

FAMILY, STAFF, MANAGER = "dupont@test.example", "accueil@test.example", "direction@test.example"
REFUSED = "n'est pas accessible avec votre compte"
SIGN_IN_FIRST = "Veuillez vous connecter"

STAFF_PAGES = ["pages/staff_home.py", "pages/staff_outbox.py", "pages/staff_payments.py",
               "pages/staff_queue.py", "pages/staff_waitlist.py", "pages/staff_families.py",
               "pages/staff_attendance.py", "pages/staff_changes.py",
               "pages/dashboard_occupancy.py", "pages/dashboard_waitlist.py",
               "pages/dashboard_attendance.py", "pages/dashboard_money.py",
               "pages/dashboard_funder.py", "pages/staff_audit.py", "pages/staff_messages.py"]
MANAGER_PAGES = ["pages/manager_home.py", "pages/manager_offer.py", "pages/manager_units.py",
                 "pages/manager_places.py", "pages/manager_closures.py", "pages/manager_centre.py",
                 "pages/manager_family_texts.py", "pages/manager_sites.py",
                 "pages/manager_activities.py", "pages/manager_ages.py",
                 "pages/manager_brackets.py", "pages/manager_accounts.py",
                 "pages/manager_documents.py", "pages/manager_consents.py"]
FAMILY_PAGES = ["pages/family_home.py", "pages/family_account.py", "pages/family_bookings.py",
                "pages/family_registration_new.py", "pages/family_members.py",
                "pages/family_contact.py", "pages/family_welcome.py",
                "pages/family_documents.py", "pages/family_messages.py"]
# Pages every signed-in account opens (the help page: families read it, staff may too).
EVERY_ROLE_PAGES = ["pages/portal_help.py"]


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


@pytest.mark.parametrize("path", STAFF_PAGES + MANAGER_PAGES + FAMILY_PAGES + EVERY_ROLE_PAGES)
def test_every_page_shows_only_the_sign_in_pointer_when_anonymous(built, path):
    at = page_as(path, None)
    assert not at.exception
    assert SIGN_IN_FIRST in texts(at)
    assert len(at.title) == 0


@pytest.mark.parametrize("path", STAFF_PAGES + MANAGER_PAGES)
def test_staff_pages_refuse_a_family(built, path):
    at = page_as(path, FAMILY)
    assert REFUSED in texts(at) and len(at.title) == 0


@pytest.mark.parametrize("path", FAMILY_PAGES)
def test_family_pages_refuse_staff(built, path):
    at = page_as(path, STAFF)
    assert REFUSED in texts(at) and len(at.title) == 0


def test_manager_home_refuses_reception_and_shows_the_direction_its_figures(sqlite_db,
                                                                          monkeypatch):
    from datetime import timedelta

    from services.reports import money, occupancy
    from tests.services.reports_world import busy_world
    from ui.format import euros

    busy = busy_world()  # booked on day D; family A paid 3 € by cheque
    tuesday = busy.day + timedelta(days=1)
    monkeypatch.setattr("ui.dashboards.today", lambda: tuesday)
    assert REFUSED in texts(page_as("pages/manager_home.py", STAFF))
    at = page_as("pages/manager_home.py", MANAGER)
    assert not at.exception
    assert [t.value for t in at.title] == ["Tableau de bord de la direction"]
    metrics = {m.label: m.value for m in at.metric}
    month = money.summary(busy.world.manager, tuesday.replace(day=1), tuesday + timedelta(days=31),
                          tuesday).by_month
    assert metrics["Réglé"] == "3,00 €"
    assert metrics["Facturé"] == euros(int(month["charged"].sum())) != "0,00 €"
    week = occupancy.occupancy(busy.world.manager, busy.day, busy.day + timedelta(days=6))
    shown = at.dataframe[0].value
    assert shown["Places prises"].sum() == week["booked"].sum() > 0
    assert set(shown["Tranche d'âge"]) == {"4/5 ans", "6/12 ans"} or len(shown) > 0


def test_family_home_lists_the_children(built):
    at = page_as("pages/family_home.py", FAMILY)
    assert not at.exception
    page = texts(at)
    assert "Mon tableau de bord" in page and "Léa DUPONT" in page and "Tom DUPONT" in page


def test_staff_home_counts_pending_requests(built):
    from services import registrations

    registrations.request_registration(built.family_a, built.lea, built.period_peri)
    at = page_as("pages/staff_home.py", STAFF)
    assert not at.exception
    metric = next(m for m in at.metric if m.label == "Demandes d'inscription")
    assert metric.value == "1"


def test_outbox_shows_mails_kept_locally(built):
    from services import registrations

    registrations.request_registration(built.family_a, built.lea, built.period_peri)
    at = page_as("pages/staff_outbox.py", MANAGER)
    assert not at.exception
    assert any("Demande d'inscription reçue" in e.label for e in at.expander)


def test_sign_in_page_signs_in_and_reports_bad_passwords(built):
    at = page_as("pages/sign_in.py", None)
    at.text_input[0].input("dupont@test.example")
    at.text_input[1].input("mauvais2026mdp")
    at.button[0].click().run()
    assert "incorrect" in texts(at)
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["auth_token"]


def test_home_gives_each_role_its_own_menu(built):
    from streamlit.testing.v1 import AppTest

    from services.auth import login
    from ui.session import TOKEN_KEY

    titles = {}
    for email in (FAMILY, STAFF, MANAGER, None):
        at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=30)
        if email:
            at.session_state[TOKEN_KEY] = login.sign_in(email, PASSWORD).token
        at.run()
        assert not at.exception
        titles[email] = [t.value for t in at.title]
    assert titles[FAMILY] == ["Mon tableau de bord"]
    assert titles[STAFF] == ["Tableau de bord de l'accueil"]
    assert titles[MANAGER] == ["Tableau de bord de la direction"]
    assert titles[None] == ["Portail Famille"]


def test_forgotten_password_form_mails_a_link_valid_48_hours(built, capsys):
    at = page_as("pages/sign_in.py", None)
    at.text_input(key="forgot_email").input("durand@test.example")
    at.button[1].click().run()
    assert "valable 48 heures et ne sert qu'une fois" in texts(at)
    assert last_token(capsys, "durand@test.example")


def test_set_password_page_sets_it_once_from_the_link(built, capsys):
    from services.auth import links, login

    links.request_reset("durand@test.example")
    token = last_token(capsys, "durand@test.example")

    def opened() -> object:
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(ROOT / "pages/set_password.py"), default_timeout=30)
        at.query_params["jeton"] = token
        return at.run()

    at = opened()
    at.text_input[0].input("nouveau2026mdp")
    at.text_input[1].input("autre2026mdp")
    at.button[0].click().run()
    assert "ne sont pas identiques" in texts(at)
    at.text_input[1].input("nouveau2026mdp")
    at.button[0].click().run()
    assert "Mot de passe enregistré pour durand@test.example" in texts(at)
    assert len(at.text_input) == 0 and len(at.button) == 0  # the form is gone
    assert login.sign_in("durand@test.example", "nouveau2026mdp").actor.role == "family"

    again = opened()  # the same link, used: said at once, no form to fill in vain
    assert "n'est plus valable" in texts(again)
    assert len(again.text_input) == 0
    assert "Mot de passe enregistré" not in texts(again)


def test_set_password_page_without_a_link_shows_no_form(built):
    at = page_as("pages/set_password.py", None)
    assert "depuis le lien reçu par e-mail" in texts(at)
    assert len(at.text_input) == 0
