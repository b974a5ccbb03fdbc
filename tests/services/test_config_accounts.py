"""Staff and manager accounts run by managers: invite, role and sites, deactivate."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import AuditEntry, Mail, SessionToken, StaffSite, UserAccount
from db.states import Role
from services.actor import SYSTEM
from services.auth import links, login
from services.config import accounts
from services.errors import Forbidden, InvalidCredentials, InvalidInput, NotFound, SessionExpired
from services.families.accounts import EmailTaken
from services.mail.outbox import LINK_MASK
from tests.links import last_token
from tests.world import PASSWORD

NEW_PASSWORD = "Girouette-Ocre-19"  # the password rule refuses common ones




def _id(address: str) -> int:
    with read() as session:
        found = session.scalar(select(UserAccount.id).where(UserAccount.email == address))
    assert found is not None
    return found


def _actions(action: str) -> int:
    with read() as session:
        return int(session.scalar(select(func.count(AuditEntry.id))
                                  .where(AuditEntry.action == action)) or 0)


def test_invited_staff_sets_a_password_by_link_and_sees_one_site(world, capsys):
    user = accounts.invite(world.manager, " Nina.Roux@Test.example ", "Nina Roux", "staff",
                           [world.site_gabriel])
    with read() as session:
        account = session.get(UserAccount, user)
        assert account.password_hash is None and account.email == "nina.roux@test.example"
        mail = session.scalar(select(Mail).where(Mail.recipient == account.email))
    # The link goes to the invitee alone (console without SMTP), masked in the stored mail.
    assert LINK_MASK in mail.body and "jeton=" not in mail.body
    assert "motdepasse" not in mail.body.lower()
    assert "Un compte du personnel vous a été ouvert" in mail.body
    assert "Votre dossier" not in mail.body  # that is the families' wording
    links.redeem(last_token(capsys, "nina.roux@test.example"), NEW_PASSWORD)
    actor = login.sign_in("nina.roux@test.example", NEW_PASSWORD).actor
    assert actor.role == Role.STAFF and actor.site_ids == frozenset({world.site_gabriel})
    assert _actions("invite_staff") == 1
    listed = {a.email: a for a in accounts.list_accounts(world.manager)}
    assert listed["nina.roux@test.example"].has_password
    assert listed["nina.roux@test.example"].site_ids == frozenset({world.site_gabriel})


@pytest.mark.parametrize("email, name, role, sites, error", [
    ("pas-une-adresse", "Nina", "staff", "gabriel", "adresse e-mail valide"),
    ("nina@test.example", "  ", "staff", "gabriel", "« Nom » est obligatoire"),
    ("nina@test.example", "Nina", "staff", "none", "au moins un lieu"),
    ("nina@test.example", "Nina", "family", "gabriel", "Rôle"),
    ("nina@test.example", "Nina", "admin", "gabriel", "Rôle"),
    ("nina@test.example", "Nina\u0007", "staff", "gabriel", "caractère non autorisé"),
])
def test_bad_invitations_are_refused_and_change_nothing(world, email, name, role, sites, error):
    site_ids = {"gabriel": [world.site_gabriel], "none": []}[sites]
    with pytest.raises(InvalidInput) as refused:
        accounts.invite(world.manager, email, name, role, site_ids)
    assert error in refused.value.message
    with read() as session:
        assert session.scalar(select(func.count(UserAccount.id))) == 5
        assert session.scalar(select(func.count(Mail.id))) == 0


def test_an_unknown_site_or_a_taken_email_is_refused(world):
    with pytest.raises(NotFound):
        accounts.invite(world.manager, "nina@test.example", "Nina", "staff", [99_999])
    with pytest.raises(EmailTaken):
        accounts.invite(world.manager, "ACCUEIL@test.example", "Bis", "staff", [world.site_chats])


def test_a_manager_invited_has_no_sites_and_sees_every_site(world, capsys):
    user = accounts.invite(world.manager, "adjointe@test.example", "Adjointe", Role.MANAGER,
                           [world.site_chats])
    links.redeem(last_token(capsys, "adjointe@test.example"), NEW_PASSWORD)
    actor = login.sign_in("adjointe@test.example", NEW_PASSWORD).actor
    assert actor.role == Role.MANAGER and actor.site_ids is None
    with read() as session:
        assert session.scalar(select(func.count()).where(StaffSite.user_id == user)) == 0


def test_changing_sites_and_role_takes_effect_on_the_next_action(world):
    gabriel = _id("gabriel@test.example")
    token = login.sign_in("gabriel@test.example", PASSWORD).token
    accounts.update_access(world.manager, gabriel, Role.STAFF, [world.site_chats])
    assert login.resolve_session(token).site_ids == frozenset({world.site_chats})
    accounts.update_access(world.manager, gabriel, Role.MANAGER, [])
    assert login.resolve_session(token).role == Role.MANAGER
    with pytest.raises(InvalidInput):
        accounts.update_access(world.manager, _id("accueil@test.example"), Role.STAFF, [])
    assert _actions("update_staff_access") == 2


def test_deactivation_ends_open_sessions_at_once_and_blocks_sign_in(world):
    staff = _id("accueil@test.example")
    tokens = [login.sign_in("accueil@test.example", PASSWORD).token for _ in range(2)]
    assert accounts.deactivate(world.manager, staff) == 3  # two here, one in the world
    for token in tokens:
        with pytest.raises(SessionExpired):
            login.resolve_session(token)
    with read() as session:
        assert session.scalar(select(func.count(SessionToken.id)).where(
            SessionToken.user_id == staff, SessionToken.revoked_at.is_(None))) == 0
    with pytest.raises(InvalidCredentials):
        login.sign_in("accueil@test.example", PASSWORD)
    links.request_reset("accueil@test.example")  # no link for a deactivated account
    with read() as session:
        assert session.scalar(select(Mail.id).where(Mail.recipient == "accueil@test.example")) \
            is None
    accounts.reactivate(world.manager, staff)
    assert login.sign_in("accueil@test.example", PASSWORD).actor.user_id == staff
    assert _actions("deactivate_staff") == 1 and _actions("reactivate_staff") == 1


def test_deactivation_spends_a_pending_invitation_link(world, capsys):
    user = accounts.invite(world.manager, "nina@test.example", "Nina", "staff",
                           [world.site_chats])
    token = last_token(capsys, "nina@test.example")
    accounts.deactivate(world.manager, user)
    with pytest.raises(Exception) as refused:
        links.redeem(token, NEW_PASSWORD)
    assert "plus valable" in str(refused.value)


def test_a_manager_cannot_remove_themselves_nor_the_last_manager(world, capsys):
    me = world.manager.user_id
    with pytest.raises(accounts.OwnAccount) as refused:
        accounts.deactivate(world.manager, me)
    assert "propre compte" in refused.value.message
    with pytest.raises(accounts.OwnAccount):
        accounts.update_access(world.manager, me, Role.STAFF, [world.site_chats])
    # The system (or another manager) may not remove the only active manager either.
    with pytest.raises(accounts.LastManager) as last:
        accounts.deactivate(SYSTEM, me)
    assert "au moins un compte de direction" in last.value.message
    with pytest.raises(accounts.LastManager):
        accounts.update_access(SYSTEM, me, Role.STAFF, [world.site_chats])
    accounts.invite(world.manager, "adjointe@test.example", "Adjointe", "manager", [])
    links.redeem(last_token(capsys, "adjointe@test.example"), NEW_PASSWORD)
    deputy = login.sign_in("adjointe@test.example", NEW_PASSWORD).actor
    accounts.update_access(deputy, me, Role.STAFF, [world.site_chats])
    with read() as session:
        assert session.get(UserAccount, me).role == Role.STAFF.value
    with pytest.raises(accounts.LastManager):
        accounts.deactivate(SYSTEM, deputy.user_id)


def test_only_managers_run_accounts_and_family_accounts_are_out_of_reach(world):
    family_user = _id("dupont@test.example")
    for actor in (world.staff, world.staff_gabriel, world.family_a):
        for call in (lambda: accounts.list_accounts(actor),
                     lambda: accounts.invite(actor, "x@test.example", "X", "staff",
                                             [world.site_chats]),
                     lambda: accounts.update_access(actor, family_user, "staff", []),
                     lambda: accounts.deactivate(actor, family_user),
                     lambda: accounts.reactivate(actor, family_user)):
            with pytest.raises(Forbidden):
                call()
    with pytest.raises(NotFound):
        accounts.deactivate(world.manager, family_user)
    assert "dupont@test.example" not in {a.email for a in accounts.list_accounts(world.manager)}


def test_two_managers_removing_each_other_at_once_leave_one(world, capsys):
    """Each asks to deactivate the other at the same moment: one wins, the other is told
    the centre must keep a manager (rows locked in one order, so no deadlock)."""
    from tests.invariants import at_once

    deputy_id = accounts.invite(world.manager, "adjointe@test.example", "Adjointe", "manager",
                                [])
    links.redeem(last_token(capsys, "adjointe@test.example"), NEW_PASSWORD)
    deputy = login.sign_in("adjointe@test.example", NEW_PASSWORD).actor
    results = at_once([lambda: accounts.deactivate(world.manager, deputy_id),
                       lambda: accounts.deactivate(deputy, world.manager.user_id)])
    assert sorted(type(r).__name__ for r in results) == ["LastManager", "int"], results
    with read() as session:
        assert session.scalar(select(func.count(UserAccount.id)).where(
            UserAccount.role == "manager", UserAccount.active.is_(True))) == 1
