"""A second guardian's own login: invited by a single-use link, signs in and sees the
family's children; an accepted e-mail change moves the login; mails by preference over real
SMTP. On both engines."""
from __future__ import annotations

import json
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry, ChangeRequest, Mail, UserAccount
from services.auth import links, login
from services.errors import InvalidCredentials, InvalidInput, InvalidTransition
from services.families import guardians
from services.families.changes import decide_change, request_change
from services.families.file import get_file
from services.mail.delivery import deliver_pending
from services.messages import writing
from tests.links import last_token
from tests.smtp import text_of

NEW_PASSWORD = "Prairie-Orange-7315"
JULIE = {"first_name": "Julie", "last_name": "DURAND", "relationship": "Mère",
         "email": "julie@test.example", "phone": ""}


def julie_joins(world) -> int:  # type: ignore[no-untyped-def]
    """The family asks to add Julie, reception accepts: a guardian without a login yet."""
    decide_change(world.staff, request_change(world.family_b, "guardian_add", json.dumps(JULIE)),
                  approve=True)
    (julie,) = [g for g in guardians.list_guardians(world.family_b) if g.first_name == "Julie"]
    assert (julie.has_login, julie.may_be_invited, julie.is_payer) == (False, True, False)
    return julie.id


@pytest.mark.parametrize("inviter", ["staff", "family_b"])
def test_an_invited_guardian_chooses_a_password_signs_in_and_sees_the_children(
        world, capsys, inviter):
    julie = julie_joins(world)
    user = guardians.invite_guardian(getattr(world, inviter), julie)
    with read() as session:
        account = session.get(UserAccount, user)
        assert (account.email, account.family_id, account.guardian_id, account.password_hash) \
            == ("julie@test.example", world.family_b_id, julie, None)
        (mail,) = session.scalars(select(Mail).where(Mail.recipient == "julie@test.example",
                                                     Mail.link_user_id.is_not(None)))
        assert (mail.kind, mail.link_user_id, mail.subject) == (
            "account", user, "Portail Famille : créez votre mot de passe")
        assert "dossier de la famille DURAND" in mail.body and "jeton=" not in mail.body
        assert session.scalar(select(AuditEntry.action).where(
            AuditEntry.action == "invite_guardian", AuditEntry.entity_id == julie))
    assert links.redeem(last_token(capsys, "julie@test.example"), NEW_PASSWORD) == \
        "julie@test.example"
    actor = login.sign_in("julie@test.example", NEW_PASSWORD).actor
    assert actor.family_id == world.family_b_id
    assert [c.first_name for c in get_file(actor).children] == ["Zoé"]
    mine = [g for g in guardians.list_guardians(actor) if g.is_me]
    assert [(g.first_name, g.has_password) for g in mine] == [("Julie", True)]
    with pytest.raises(InvalidTransition):
        guardians.invite_guardian(world.staff, julie)


def test_a_guardian_without_an_email_or_an_address_taken_gets_no_login(world):
    decide_change(world.staff, request_change(world.family_b, "guardian_add", json.dumps(
        {**JULIE, "email": ""})), approve=True)
    (julie,) = [g for g in guardians.list_guardians(world.staff, world.family_b_id)
                if g.first_name == "Julie"]
    assert not julie.may_be_invited
    with pytest.raises(InvalidInput):
        guardians.invite_guardian(world.staff, julie.id)
    decide_change(world.staff, request_change(world.family_b, "guardian_update", json.dumps(
        {**JULIE, "email": "dupont@test.example", "guardian_id": julie.id})), approve=True)
    with pytest.raises(InvalidInput, match="Un compte existe déjà"):
        guardians.invite_guardian(world.staff, julie.id)


def _marc(world):  # type: ignore[no-untyped-def]
    (marc,) = [g for g in guardians.list_guardians(world.staff, world.family_b_id)
               if g.first_name == "Marc"]
    return marc


def test_an_accepted_email_change_moves_the_guardians_login(world):
    marc = _marc(world)
    change = request_change(world.family_b, "guardian_update", json.dumps(
        {"first_name": "Marc", "last_name": "DURAND", "email": "marc.durand@test.example",
         "guardian_id": marc.id}))
    decide_change(world.staff, change, approve=True)
    assert login.sign_in("marc.durand@test.example", "Tulipe-Verte-8421").actor.family_id \
        == world.family_b_id
    with pytest.raises(InvalidCredentials):
        login.sign_in("durand@test.example", "Tulipe-Verte-8421")


def test_an_email_change_to_another_accounts_address_is_refused_and_changes_nothing(world):
    marc = _marc(world)
    change = request_change(world.family_b, "guardian_update", json.dumps(
        {"first_name": "Marc", "last_name": "DURANT", "email": "dupont@test.example",
         "guardian_id": marc.id}))
    with pytest.raises(InvalidInput, match="déjà celle d'un autre compte"):
        decide_change(world.staff, change, approve=True)
    assert _marc(world) == marc
    with read() as session:
        assert session.get(ChangeRequest, change).state == "requested"
    assert login.sign_in("durand@test.example", "Tulipe-Verte-8421").actor.family_id \
        == world.family_b_id


def test_two_guardians_receive_over_smtp_by_their_preference(world, smtp_server):
    julie = julie_joins(world)
    guardians.invite_guardian(world.staff, julie)
    deliver_pending()
    (invitation,) = [m for m in smtp_server.messages if m["To"] == "julie@test.example"
                     and "jeton=" in text_of(m)]
    body = text_of(invitation)
    token = body.split("jeton=")[1].split()[0]
    assert "Tulipe" not in body and NEW_PASSWORD not in body
    links.redeem(token, NEW_PASSWORD)
    julie_actor = login.sign_in("julie@test.example", NEW_PASSWORD).actor
    guardians.set_mail_preference(julie_actor, "mine")
    smtp_server.messages.clear()
    # Julie's own request: both hear of it (Marc takes every mail, Julie those she caused).
    request_change(julie_actor, "qf", "900")
    # The centre answers Marc's message: a mail Julie did not cause, so only Marc.
    thread = writing.start_thread(world.family_b, "Question", "Bonjour")
    writing.reply(world.staff, thread, "Bien reçu")
    assert deliver_pending() >= 3
    got = [(m["To"], str(make_header(decode_header(m["Subject"]))))
           for m in smtp_server.messages]
    assert sorted(to for to, subject in got if subject == "Demande de modification reçue") == [
        "durand@test.example", "julie@test.example"]
    assert [to for to, subject in got if subject == "Nouveau message de l'accueil"] == \
        ["durand@test.example"]
