"""Signing in and out, with failures slowed down in the database and revocable sessions.

bcrypt runs outside any transaction: on SQLite a write transaction holds the whole
database, and a few anonymous clients trying passwords would stall every other write
(bank notifications, bookings). The account is read, the password checked with no
transaction open, and the outcome written in a short transaction of its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from db import settings
from db.base import utcnow
from db.engine import read, transaction
from db.models import SessionToken, StaffSite, UserAccount
from db.states import Role
from services import audit
from services.actor import SYSTEM, Actor
from services.auth import throttle
from services.auth.passwords import DUMMY_HASH, verify_password
from services.auth.tokens import digest, new_token
from services.errors import InvalidCredentials, SessionExpired, TooManyAttempts

# A session's last use is written at most this often (one write a minute, not one a click).
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    token: str
    actor: Actor


def _normalise(email: str) -> str:
    return email.strip().lower()


def sign_in(email: str, password: str, client: str | None = None) -> SignedIn:
    """Check the password of the account; `client` is the caller's network address.
    Unknown, inactive and existing accounts answer alike, failures included."""
    email = _normalise(email)
    now = utcnow()
    wait = throttle.sign_in_wait(client, email, now)
    if wait:
        raise TooManyAttempts.after(wait)
    with read() as session:
        user = session.scalar(select(UserAccount).where(UserAccount.email == email))
        known = user is not None and user.active and user.password_hash is not None
        user_id, hashed = (user.id, user.password_hash) if known and user else (None, None)
    # No transaction is open here: hashing takes a while and must hold nothing.
    matches = verify_password(password, hashed or DUMMY_HASH) and hashed is not None
    if matches:
        with transaction() as session:
            user = session.get(UserAccount, user_id)
            if user is not None and user.active and user.password_hash == hashed:
                throttle.forget_sign_in_failures(session, client, email)
                token = new_token()
                session.add(SessionToken(
                    user_id=user.id, token_hash=digest(token), last_seen_at=now,
                    expires_at=now + timedelta(hours=settings.as_int(settings.SESSION_HOURS))))
                actor = _actor_for(session, user)
                audit.record(session, actor, "sign_in", "user_account", user.id)
                return SignedIn(token, actor)
    _fail(client, email, user_id)
    raise InvalidCredentials()


def _fail(client: str | None, email: str, user_id: int | None) -> None:
    """Count the failure in a short transaction of its own."""
    now = utcnow()
    with transaction() as session:
        throttle.record_sign_in_failure(session, client, email, now)
        audit.record(session, SYSTEM, "sign_in_failed", "user_account", user_id)


def _actor_for(session, user: UserAccount) -> Actor:  # type: ignore[no-untyped-def]
    role = Role(user.role)
    sites = None
    if role == Role.STAFF:
        sites = frozenset(session.scalars(select(StaffSite.site_id)
                                          .where(StaffSite.user_id == user.id)))
    return Actor(user_id=user.id, role=role, label=user.display_name,
                 family_id=user.family_id if role == Role.FAMILY else None, site_ids=sites)


def resolve_session(token: str) -> Actor:
    """The actor behind a session token; refuses a revoked or expired one, and a staff
    session left unused for STAFF_IDLE_MINUTES (reception PCs are shared)."""
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
        seen = stored.last_seen_at or stored.created_at
        if user.role != Role.FAMILY and seen <= now - _idle_limit():
            raise SessionExpired(IDLE_MESSAGE)
        actor = _actor_for(session, user)
    if seen <= now - TOUCH_EVERY:
        _touch(stored.id, now)
    return actor


IDLE_MESSAGE = ("Votre session s'est fermée après une période d'inactivité. "
                "Merci de vous reconnecter.")


def _idle_limit() -> timedelta:
    return timedelta(minutes=settings.as_int(settings.STAFF_IDLE_MINUTES))


def _touch(session_id: int, now: datetime) -> None:
    """Write the session's last use (bookkeeping, no audit entry: at most once a minute)."""
    with transaction() as session:
        session.execute(update(SessionToken).where(SessionToken.id == session_id)
                        .values(last_seen_at=now))


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
