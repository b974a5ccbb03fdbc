"""AppTest of the guardians' logins: « Ma famille » shows each guardian, their access, the
payer, invites a co-parent and saves the signed-in guardian's mails; the family file names
the payer and opens a guardian's access."""
from __future__ import annotations

import json

import pytest

from services.families import guardians
from services.families.changes import decide_change, request_change
from tests.pages.apptest import page_as, texts

FAMILY, STAFF = "durand@test.example", "accueil@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    world = build()
    decide_change(world.staff, request_change(world.family_b, "guardian_add", json.dumps(
        {"first_name": "Julie", "last_name": "DURAND", "relationship": "Mère",
         "email": "julie@test.example"})), approve=True)
    return world


def _julie(world):  # type: ignore[no-untyped-def]
    return next(g for g in guardians.list_guardians(world.staff, world.family_b_id)
                if g.first_name == "Julie")


def test_ma_famille_shows_the_payer_invites_the_co_parent_and_saves_my_mails(built):
    julie = _julie(built)
    at = page_as("pages/family_members.py", FAMILY)
    assert not at.exception
    page = texts(at)
    assert "**Marc DURAND** (vous)" in page and "**Payeur**" in page
    assert "pas encore d'accès au portail" in page
    at.button(key=f"invite_guardian_{julie.id}").click().run()
    assert not at.exception
    assert "Lien envoyé à Julie DURAND" in texts(at)
    assert "invitation envoyée, en attente" in texts(at)
    assert _julie(built).has_login
    radio = at.radio[0]
    assert radio.value == "all"
    radio.set_value("mine")
    at.button(key="FormSubmitter:mail_preference-Enregistrer mon choix").click().run()
    assert not at.exception
    assert "Votre choix de mails est enregistré." in texts(at)
    me = next(g for g in guardians.list_guardians(built.family_b) if g.is_me)
    assert me.mail_preference == "mine"


def test_the_family_file_names_the_payer_and_opens_a_guardians_access(built):
    julie = _julie(built)
    at = page_as("pages/staff_families.py", STAFF)
    at.text_input(key="family_query").input("durand").run()
    at.button(key=f"open_{built.family_b_id}").click().run()
    assert not at.exception
    assert "Responsables légaux et accès au portail" in texts(at)
    at.button(key=f"invite_guardian_{julie.id}").click().run()
    assert not at.exception and _julie(built).has_login
    payer = next(s for s in at.selectbox if s.label.startswith("Payeur"))
    payer.select(julie.id)
    at.button(key=f"FormSubmitter:payer_{built.family_b_id}-Désigner le payeur").click().run()
    assert not at.exception
    assert "Payeur enregistré." in texts(at)
    assert [g.first_name for g in guardians.list_guardians(built.staff, built.family_b_id)
            if g.is_payer] == ["Julie"]
