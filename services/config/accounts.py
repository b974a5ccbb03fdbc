"""Staff and manager accounts, run by managers: invite, choose role and sites, deactivate.

An invitation is the usual single-use set-password link (services/auth/links.py): no
password is ever chosen by the manager nor sent. Deactivating an account revokes its
sessions in the same transaction, so an open session ends on its next action.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from db.base import utcnow
from db.engine import read, transaction
from db.models import LinkToken, SessionToken, Site, StaffSite, UserAccount
from db.states import LinkPurpose, Role
from services import audit, validate
from services.actor import Actor
from services.auth.links import issue_in
from services.auth.login import revoke_all_sessions
from services.errors import InvalidInput, NotFound, PortalError
from services.families.accounts import EmailTaken

STAFF_ROLES = (Role.STAFF, Role.MANAGER)


class LastManager(PortalError):
    default_message = ("Impossible : le centre doit garder au moins un compte de direction "
                       "actif. Nommez d'abord un autre membre de la direction.")


class OwnAccount(PortalError):
    default_message = ("Vous ne pouvez pas désactiver votre propre compte ni retirer votre "
                       "propre rôle de direction : demandez-le à un autre membre de la direction.")


@dataclass(frozen=True)
class AccountView:
    id: int
    email: str
    name: str
    role: Role
    site_ids: frozenset[int]
    active: bool
    has_password: bool


def list_accounts(actor: Actor) -> list[AccountView]:
    """Every staff and manager account, active first, by name."""
    actor.require_manager()
    with read() as session:
        users = list(session.scalars(select(UserAccount).where(
            UserAccount.role.in_([r.value for r in STAFF_ROLES]))
            .order_by(UserAccount.active.desc(), UserAccount.display_name, UserAccount.id)))
        sites: dict[int, set[int]] = {}
        for user_id, site_id in session.execute(select(StaffSite.user_id, StaffSite.site_id)):
            sites.setdefault(user_id, set()).add(site_id)
    return [AccountView(u.id, u.email, u.display_name, Role(u.role),
                        frozenset(sites.get(u.id, ())), u.active, u.password_hash is not None)
            for u in users]


def _role(role: Role | str) -> Role:
    try:
        value = Role(role)
    except ValueError:
        value = Role.FAMILY
    if value not in STAFF_ROLES:
        raise InvalidInput("Rôle : choisissez « accueil » ou « direction ».")
    return value


def _sites(session: Session, role: Role, site_ids: list[int]) -> list[int]:
    """The sites a staff member works on (at least one); managers see every site."""
    if role == Role.MANAGER:
        return []
    chosen = sorted(set(site_ids))
    if not chosen:
        raise InvalidInput("Choisissez au moins un lieu d'accueil pour un compte d'accueil.")
    known = set(session.scalars(select(Site.id).where(Site.id.in_(chosen))))
    if known != set(chosen):
        raise NotFound("Un des lieux d'accueil choisis n'existe pas.")
    return chosen


def _staff_user(session: Session, user_id: int) -> UserAccount:
    user = session.get(UserAccount, user_id, with_for_update=True)
    if user is None or user.role not in [r.value for r in STAFF_ROLES]:
        raise NotFound("Ce compte du personnel n'existe pas.")
    return user


def _active_managers(session: Session) -> list[int]:
    """Active managers, their rows locked in id order first: two managers removing each
    other at the same moment queue up (no deadlock) and the second sees the first's change."""
    return list(session.scalars(select(UserAccount.id).where(
        UserAccount.role == Role.MANAGER.value, UserAccount.active.is_(True))
        .order_by(UserAccount.id).with_for_update()))


def invite(actor: Actor, email: str, name: str, role: Role | str, site_ids: list[int]) -> int:
    """Create a staff or manager account and mail its single-use set-password link."""
    actor.require_manager()
    address = validate.email(email)
    display = validate.text(name, "Nom", max_len=200, required=True)
    chosen_role = _role(role)
    with transaction() as session:
        if session.scalar(select(UserAccount.id).where(UserAccount.email == address)):
            raise EmailTaken()
        sites = _sites(session, chosen_role, site_ids)
        user = UserAccount(email=address, display_name=display, role=chosen_role.value)
        session.add(user)
        session.flush()
        session.add_all(StaffSite(user_id=user.id, site_id=s) for s in sites)
        issue_in(session, user, LinkPurpose.INVITATION)
        audit.record(session, actor, "invite_staff", "user_account", user.id,
                     role=chosen_role.value, sites=sites)
        return user.id


def update_access(actor: Actor, user_id: int, role: Role | str, site_ids: list[int]) -> None:
    """Change an account's role and sites; takes effect on its next action."""
    actor.require_manager()
    chosen_role = _role(role)
    with transaction() as session:
        managers = _active_managers(session)
        user = _staff_user(session, user_id)
        before = (user.role, sorted(session.scalars(
            select(StaffSite.site_id).where(StaffSite.user_id == user_id))))
        if user.role == Role.MANAGER.value and chosen_role != Role.MANAGER:
            if user_id == actor.user_id:
                raise OwnAccount()
            if user.active and not set(managers) - {user_id}:
                raise LastManager()
        sites = _sites(session, chosen_role, site_ids)
        user.role = chosen_role.value
        session.execute(delete(StaffSite).where(StaffSite.user_id == user_id))
        session.add_all(StaffSite(user_id=user_id, site_id=s) for s in sites)
        audit.record(session, actor, "update_staff_access", "user_account", user_id,
                     before={"role": before[0], "sites": before[1]},
                     after={"role": chosen_role.value, "sites": sites})


def deactivate(actor: Actor, user_id: int) -> int:
    """Deactivate an account: it can no longer sign in, and every session and unused link
    it holds is revoked in the same transaction. Returns how many sessions ended."""
    actor.require_manager()
    if user_id == actor.user_id:
        raise OwnAccount()
    with transaction() as session:
        managers = _active_managers(session)
        user = _staff_user(session, user_id)
        if not user.active:
            return 0
        if user.role == Role.MANAGER.value and not set(managers) - {user_id}:
            raise LastManager()
        user.active = False
        ended = int(session.scalar(select(func.count(SessionToken.id)).where(
            SessionToken.user_id == user_id, SessionToken.revoked_at.is_(None),
            SessionToken.expires_at > utcnow())) or 0)
        revoke_all_sessions(session, user_id)
        session.execute(update(LinkToken).where(LinkToken.user_id == user_id,
                                                LinkToken.used_at.is_(None))
                        .values(used_at=utcnow()))
        audit.record(session, actor, "deactivate_staff", "user_account", user_id,
                     sessions_revoked=ended)
        return ended


def reactivate(actor: Actor, user_id: int) -> None:
    """Let a deactivated account sign in again (with its password, or a new link)."""
    actor.require_manager()
    with transaction() as session:
        user = _staff_user(session, user_id)
        if user.active:
            return
        user.active = True
        audit.record(session, actor, "reactivate_staff", "user_account", user_id)
