"""Sign-in, lockout, sessions and emailed links."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry, Mail, UserAccount
from services.auth import links, login
from services.errors import (Forbidden, InvalidCredentials, LinkInvalid, SessionExpired,
                             WeakPassword)
from services.mail.outbox import LINK_MASK
from tests.links import last_token
from tests.smtp import text_of
from tests.world import PASSWORD


def _mails_to(address: str) -> list[Mail]:
    with read() as session:
        return list(session.scalars(select(Mail).where(Mail.recipient == address)
                                    .order_by(Mail.id)))


def test_sign_in_gives_a_session_that_resolves_to_the_family(world):
    signed = login.sign_in("  DUPONT@test.example ", PASSWORD)
    actor = login.resolve_session(signed.token)
    assert actor.family_id == world.family_a_id
    assert actor.role == "family"


def test_wrong_password_is_refused_without_saying_which_part(world):
    with pytest.raises(InvalidCredentials) as error:
        login.sign_in("dupont@test.example", "wrong-password-1")
    assert "incorrect" in error.value.message
    with pytest.raises(InvalidCredentials):
        login.sign_in("nobody@test.example", PASSWORD)


def test_links_are_valid_48_hours_by_default(world):
    from datetime import timedelta

    from db.models import LinkToken

    links.send_invitation(world.staff, _user_id("durand@test.example"))
    with read() as session:
        link = session.scalars(select(LinkToken).order_by(LinkToken.id.desc())).first()
        assert link is not None and link.expires_at - link.created_at == \
            pytest.approx(timedelta(hours=48), abs=timedelta(seconds=5))
    assert "valable 48 heures" in _mails_to("durand@test.example")[-1].body


def test_invitation_goes_out_over_smtp_with_a_link_and_no_password(world, smtp_server):
    from services.mail.delivery import deliver_pending

    links.send_invitation(world.staff, _user_id("durand@test.example"))
    assert deliver_pending() >= 1
    (message,) = [m for m in smtp_server.messages if m["To"] == "durand@test.example"]
    body = text_of(message)
    token = re.search(r"mot_de_passe\?jeton=([A-Za-z0-9_\-]+)", body).group(1)
    # The account's current password (set by the world) and its hash never travel.
    assert PASSWORD not in body and "$2b$" not in body
    assert links.redeem(token, "choisi2026mdp") == "durand@test.example"


def test_sign_out_revokes_the_token_for_every_holder(world):
    signed = login.sign_in("dupont@test.example", PASSWORD)
    copied = signed.token
    login.sign_out(signed.token)
    with pytest.raises(SessionExpired):
        login.resolve_session(copied)


def test_expired_session_is_refused(world, monkeypatch):
    monkeypatch.setenv("SESSION_HOURS", "0")
    signed = login.sign_in("dupont@test.example", PASSWORD)
    with pytest.raises(SessionExpired):
        login.resolve_session(signed.token)


def test_invitation_link_sets_the_password_once_and_mails_no_password(world, capsys):
    links.send_invitation(world.staff, _user_id("durand@test.example"))
    (mail,) = _mails_to("durand@test.example")[-1:]
    assert PASSWORD not in mail.body and "mot de passe" in mail.body.lower()
    token = last_token(capsys, "durand@test.example")
    # Without SMTP the link goes to the server's console, never into the stored mail.
    assert token not in mail.body and LINK_MASK in mail.body and mail.link is None
    links.check(token)  # usable: no error before the form
    assert links.redeem(token, "nouveau2026mdp") == "durand@test.example"
    with pytest.raises(LinkInvalid):
        links.check(token)  # used: said before any form
    assert login.sign_in("durand@test.example", "nouveau2026mdp").actor.family_id == world.family_b_id
    with pytest.raises(LinkInvalid):
        links.redeem(token, "encoreun2026mdp")


def test_a_new_link_voids_the_older_one(world, capsys):
    user = _user_id("durand@test.example")
    links.send_invitation(world.staff, user)
    first = last_token(capsys, "durand@test.example")
    links.send_invitation(world.staff, user)
    with pytest.raises(LinkInvalid):
        links.redeem(first, "nouveau2026mdp")


def test_expired_link_is_refused(world, monkeypatch, capsys):
    monkeypatch.setenv("LINK_VALID_HOURS", "0")
    links.request_reset("durand@test.example")
    with pytest.raises(LinkInvalid):
        links.check(last_token(capsys, "durand@test.example"))
    with pytest.raises(LinkInvalid):
        links.redeem(last_token(capsys, "durand@test.example"), "nouveau2026mdp")


def test_reset_for_unknown_address_sends_nothing(world):
    links.request_reset("inconnu@test.example")
    assert _mails_to("inconnu@test.example") == []


@pytest.mark.parametrize("password", ["court1", "sanschiffres", "1234567890123", "é" * 40 + "1"])
def test_weak_passwords_are_refused_and_the_link_stays_usable(world, password, capsys):
    links.request_reset("durand@test.example")
    token = last_token(capsys, "durand@test.example")
    with pytest.raises(WeakPassword):
        links.redeem(token, password)
    assert links.redeem(token, "valable2026mdp") == "durand@test.example"


def test_password_change_ends_other_sessions(world, capsys):
    signed = login.sign_in("durand@test.example", PASSWORD)
    links.request_reset("durand@test.example")
    links.redeem(last_token(capsys, "durand@test.example"), "valable2026mdp")
    with pytest.raises(SessionExpired):
        login.resolve_session(signed.token)


def test_only_staff_send_invitations(world):
    with pytest.raises(Forbidden):
        links.send_invitation(world.family_a, _user_id("durand@test.example"))


def test_sign_in_and_failures_are_audited(world):
    with pytest.raises(InvalidCredentials):
        login.sign_in("durand@test.example", "wrong-password-1")
    with read() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"sign_in", "sign_in_failed"} <= actions


def _user_id(email: str) -> int:
    with read() as session:
        found = session.scalar(select(UserAccount.id).where(UserAccount.email == email))
    assert found is not None
    return found


def _account(email: str) -> UserAccount:
    with read() as session:
        found = session.scalar(select(UserAccount).where(UserAccount.email == email))
    assert found is not None
    return found
