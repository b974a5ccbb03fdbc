"""Signing in and out, with lockout counted in the database and revocable sessions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from db import settings
from db.base import utcnow
from db.engine import read, transaction
from db.models import SessionToken, StaffSite, UserAccount
from db.states import Role
from services import audit
from services.actor import SYSTEM, Actor
from services.auth.passwords import DUMMY_HASH, verify_password
from services.auth.tokens import digest, new_token
from services.errors import AccountLocked, InvalidCredentials, SessionExpired


@dataclass(frozen=True)
class SignedIn:
    token: str
    actor: Actor


def _normalise(email: str) -> str:
    return email.strip().lower()


def sign_in(email: str, password: str) -> SignedIn:
    """Check the password; count failures and lock the account after too many."""
    now = utcnow()
    with transaction() as session:
        user = session.scalar(select(UserAccount).where(UserAccount.email == _normalise(email))
                              .with_for_update())
        if user is None or not user.active:
            verify_password(password, DUMMY_HASH)
            raise InvalidCredentials()
        if user.locked_until is not None and user.locked_until > now:
            raise AccountLocked()
        if not verify_password(password, user.password_hash):
            user.failed_attempts += 1
            locked = user.failed_attempts >= settings.as_int(settings.LOCKOUT_ATTEMPTS)
            if locked:
                user.locked_until = now + timedelta(minutes=settings.as_int(settings.LOCKOUT_MINUTES))
                user.failed_attempts = 0
            audit.record(session, SYSTEM, "sign_in_failed", "user_account", user.id, locked=locked)
            failure = AccountLocked() if locked else InvalidCredentials()
        else:
            failure = None
            user.failed_attempts = 0
            user.locked_until = None
            token = new_token()
            session.add(SessionToken(
                user_id=user.id, token_hash=digest(token),
                expires_at=now + timedelta(hours=settings.as_int(settings.SESSION_HOURS))))
            actor = _actor_for(session, user)
            audit.record(session, actor, "sign_in", "user_account", user.id)
    if failure is not None:
        raise failure
    return SignedIn(token, actor)


def _actor_for(session, user: UserAccount) -> Actor:  # type: ignore[no-untyped-def]
    role = Role(user.role)
    sites = None
    if role == Role.STAFF:
        sites = frozenset(session.scalars(select(StaffSite.site_id)
                                          .where(StaffSite.user_id == user.id)))
    return Actor(user_id=user.id, role=role, label=user.display_name,
                 family_id=user.family_id if role == Role.FAMILY else None, site_ids=sites)


def resolve_session(token: str) -> Actor:
    """The actor behind a session token; refuses a revoked or expired one."""
    now = utcnow()
    with read() as session:
        row = session.execute(
            select(SessionToken, UserAccount).join(UserAccount, UserAccount.id == SessionToken.user_id)
            .where(SessionToken.token_hash == digest(token))).first()
        if row is None:
            raise SessionExpired()
        stored, user = row
        if stored.revoked_at is not None or stored.expires_at <= now or not user.active:
            raise SessionExpired()
        return _actor_for(session, user)


def sign_out(token: str) -> None:
    """End the session for real: the token is revoked in the database."""
    with transaction() as session:
        stored = session.scalar(select(SessionToken).where(SessionToken.token_hash == digest(token)))
        if stored is None or stored.revoked_at is not None:
            return
        stored.revoked_at = utcnow()
        user = session.get(UserAccount, stored.user_id)
        assert user is not None
        audit.record(session, _actor_for(session, user), "sign_out", "user_account", user.id)


def revoke_all_sessions(session, user_id: int) -> None:  # type: ignore[no-untyped-def]
    """Used when a password changes: every other session ends."""
    session.execute(update(SessionToken)
                    .where(SessionToken.user_id == user_id, SessionToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))
