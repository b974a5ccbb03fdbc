"""AppTest of the administration pages: accounts, sites, activities, age groups, QF brackets.
Each shows a French message on bad input and changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import Activity, AgeGroup, Mail, QfBracket, Site, UserAccount
from services.auth import login
from services.errors import SessionExpired
from tests.pages.apptest import page_as, texts
from tests.world import PASSWORD
from services.mail.outbox import LINK_MASK

MANAGER, STAFF = "direction@test.example", "accueil@test.example"
PAGES = ["pages/manager_accounts.py", "pages/manager_sites.py", "pages/manager_activities.py",
         "pages/manager_ages.py", "pages/manager_brackets.py"]


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    return build()


def _count(column) -> int:  # type: ignore[no-untyped-def]
    with read() as session:
        return int(session.scalar(select(func.count(column))) or 0)


@pytest.mark.parametrize("path", PAGES)
def test_reception_is_refused(built, path):
    at = page_as(path, STAFF)
    assert "n'est pas accessible" in texts(at) and not at.title


def test_invite_refuses_a_bad_address_then_sends_the_link(built):
    at = page_as("pages/manager_accounts.py", MANAGER)
    at.text_input(key="invite_name_0").input("Nina Roux")
    at.text_input(key="invite_email_0").input("nina.roux@")
    at.multiselect(key="invite_sites_0").select(built.site_gabriel)
    at.button(key="FormSubmitter:invite-Envoyer l'invitation").click().run()
    assert "n'est pas une adresse e-mail valide" in texts(at)
    assert _count(UserAccount.id) == 5 and _count(Mail.id) == 0
    at.text_input(key="invite_email_0").input("nina.roux@test.example")
    at.button(key="FormSubmitter:invite-Envoyer l'invitation").click().run()
    assert not at.exception
    assert "Invitation envoyée" in texts(at)
    assert at.text_input(key="invite_email_1").value == ""  # ready for the next person
    assert "Invité (mot de passe pas encore choisi)" in str(at.dataframe[0].value)
    with read() as session:
        body = session.scalar(select(Mail.body).where(Mail.recipient == "nina.roux@test.example"))
    assert "jeton=" not in body and LINK_MASK in body  # the link went to her alone


def test_deactivating_reception_ends_its_session_and_self_is_refused(built):
    token = login.sign_in(STAFF, PASSWORD).token
    at = page_as("pages/manager_accounts.py", MANAGER)
    pick = at.selectbox(key="accounts_pick")
    pick.select(next(o for o in pick.options if MANAGER in o)).run()
    at.button(key=f"deactivate_{built.manager.user_id}").click().run()
    assert "propre compte" in texts(at)
    with read() as session:
        assert session.get(UserAccount, built.manager.user_id).active
    pick = at.selectbox(key="accounts_pick")
    pick.select(next(o for o in pick.options if STAFF in o)).run()
    at.button(key=f"deactivate_{built.staff.user_id}").click().run()
    assert "désactivé : ses sessions sont fermées" in texts(at)
    assert "Désactivé" in str(at.dataframe[0].value)
    with pytest.raises(SessionExpired):
        login.resolve_session(token)
    at.button(key=f"reactivate_{built.staff.user_id}").click().run()
    assert "réactivé" in texts(at)


def test_sites_of_reception_changed_and_none_refused(built):
    at = page_as("pages/manager_accounts.py", MANAGER)
    pick = at.selectbox(key="accounts_pick")
    pick.select(next(o for o in pick.options if STAFF in o)).run()
    uid = built.staff.user_id
    at.multiselect(key=f"sites_{uid}").unselect(built.site_chats).unselect(built.site_gabriel)
    at.button(key=f"FormSubmitter:access_{uid}-Enregistrer le rôle et les lieux").click().run()
    assert "au moins un lieu" in texts(at)
    assert login.sign_in(STAFF, PASSWORD).actor.site_ids == {built.site_chats,
                                                             built.site_gabriel}
    at.multiselect(key=f"sites_{uid}").select(built.site_chats)
    at.button(key=f"FormSubmitter:access_{uid}-Enregistrer le rôle et les lieux").click().run()
    assert "enregistrés" in texts(at)
    assert login.sign_in(STAFF, PASSWORD).actor.site_ids == {built.site_chats}


def test_site_created_and_a_duplicate_refused(built):
    at = page_as("pages/manager_sites.py", MANAGER)
    at.text_input(key="site_new_name").input("saint gabriel")
    at.button(key="FormSubmitter:site_new-Créer le lieu").click().run()
    assert "s'appelle déjà" in texts(at) and _count(Site.id) == 2
    at.text_input(key="site_new_name").input("La Ferme *du* Pré")
    at.text_input(key="site_new_address").input("2 rue du Pré, 59000")
    at.button(key="FormSubmitter:site_new-Créer le lieu").click().run()
    assert "Lieu « La Ferme \\*du\\* Pré » créé." in [m.value for m in at.success]
    assert "2 rue du Pré, 59000" in str(at.dataframe[0].value)


def test_activity_with_a_description_and_a_bad_code(built):
    at = page_as("pages/manager_activities.py", MANAGER)
    at.text_input(key="type_code_0").input("ÉTÉ")
    at.text_input(key="type_name_0").input("Été")
    at.button(key="FormSubmitter:activity_type-Enregistrer le type").click().run()
    assert "lettres sans accent" in texts(at)
    at.text_input(key="activity_name_0").input("CHATS PERCHES ETE")
    at.text_area(key="activity_text_0").input("Sorties et piscine.\nPrévoir un maillot.")
    at.button(key="FormSubmitter:activity_0-Enregistrer l'activité").click().run()
    assert not at.exception and "créée" in texts(at)
    with read() as session:
        assert session.scalar(select(Activity.description).where(
            Activity.name == "CHATS PERCHES ETE")) == "Sorties et piscine.\nPrévoir un maillot."
    at.text_input(key="activity_name_0").input("")
    at.button(key="FormSubmitter:activity_0-Enregistrer l'activité").click().run()
    assert "obligatoire" in texts(at) and _count(Activity.id) == 3


def test_age_group_min_above_max_refused_and_used_one_kept(built):
    at = page_as("pages/manager_ages.py", MANAGER)
    at.text_input(key="age_label_0").input("Ados")
    at.number_input(key="age_min_0").set_value(15)
    at.number_input(key="age_max_0").set_value(13)
    at.button(key="FormSubmitter:age_group_0-Enregistrer la tranche").click().run()
    assert "l'âge minimum (15 ans) dépasse l'âge maximum (13 ans)" in texts(at)
    assert _count(AgeGroup.id) == 3
    at.number_input(key="age_max_0").set_value(17)
    at.button(key="FormSubmitter:age_group_0-Enregistrer la tranche").click().run()
    assert "Tranche « Ados » créée." in texts(at) and _count(AgeGroup.id) == 4
    group = built.age_groups["6/12 ans"]
    at.selectbox(key="ages_pick").set_value(group).run()
    at.button(key=f"age_delete_{group}").click().run()
    assert "des périodes l'utilisent" in texts(at) and _count(AgeGroup.id) == 4


def test_brackets_with_an_overlap_are_refused_then_saved(built):
    at = page_as("pages/manager_brackets.py", MANAGER)
    for n, (label, low, high) in enumerate([("QF bas", "0", "600"), ("QF haut", "500", "")]):
        at.text_input(key=f"bracket0_new{n}_label").input(label)
        at.text_input(key=f"bracket0_new{n}_min").input(low)
        at.text_input(key=f"bracket0_new{n}_max").input(high)
    at.button(key="FormSubmitter:brackets-Enregistrer les tranches").click().run()
    assert "La tranche 0–600 chevauche 500–100000." in texts(at)
    assert _count(QfBracket.id) == 0
    at.text_input(key="bracket0_new1_min").input("601")
    at.button(key="FormSubmitter:brackets-Enregistrer les tranches").click().run()
    assert "Tranches de QF enregistrées." in texts(at)
    # The blank rows are blank again, and the saved brackets are listed as kept rows.
    assert [t.value for t in at.text_input if t.label == "Nom"][-2:] == ["", ""]
    assert [t.value for t in at.text_input if t.label == "Nom"][:2] == ["QF bas", "QF haut"]
    with read() as session:
        assert list(session.execute(select(QfBracket.qf_min, QfBracket.qf_max)
                                    .order_by(QfBracket.qf_min))) == [(0, 600), (601, 100_000)]


def test_unit_times_end_before_start_refused_then_saved_and_shown(built):
    from datetime import time

    from db.models import Unit

    at = page_as("pages/manager_units.py", MANAGER)
    at.selectbox[0].select("Les Chats Perchés").run()
    at.selectbox[1].select("CHATS PERCHES PERISCOLAIRE").run()
    unit_id = built.units_peri[0]
    form = f"FormSubmitter:unit_{unit_id}-Enregistrer l'unité"
    start = next(t for t in at.time_input if t.label == "Début" and t.key is None)
    end = next(t for t in at.time_input if t.label == "Fin" and t.key is None)
    start.set_value(time(9))
    end.set_value(time(8))
    at.button(key=form).click().run()
    assert "la fin (08:00) doit être après le début (09:00)" in texts(at)
    with read() as session:
        assert session.get(Unit, unit_id).start_time == time(7)
    next(t for t in at.time_input if t.label == "Début" and t.key is None).set_value(time(7, 30))
    next(t for t in at.time_input if t.label == "Fin" and t.key is None).set_value(time(8, 30))
    at.button(key=form).click().run()
    assert "Unité enregistrée." in texts(at)
    assert at.dataframe[0].value["Horaires"].iloc[0] == "07:30–08:30"
