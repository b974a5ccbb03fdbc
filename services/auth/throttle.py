"""Slowing down guessing, in the database so that it holds across processes and restarts.

A hard lock on an account lets an outsider keep anyone (the direction) locked out, and
answering "locked" tells which accounts exist. Instead, failures are counted per client
address and per e-mail typed (existing or not, so both answer alike), and the next attempt
waits: 1 s after the free failures, then twice as long after each further failure, up to a
cap. The account's wait is short and applies only to clients that have failed themselves:
a client without failures who types the right password is never held back by others.

Rows are written in short transactions of their own; no lock is held while a password is
hashed (services/auth/login.py). Keys are digests: nothing typed by a visitor is stored.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db import settings
from db.engine import is_postgres, read
from db.models import Throttle
from services.auth.tokens import digest

# Counts older than this are forgotten (and their rows purged).
FORGET = timedelta(hours=24)
HOUR = timedelta(hours=1)


def client_key(client: str | None) -> str:
    """A client address; None (localhost, AppTest) is one shared "local" client."""
    return "client:" + digest(client or "local")


def account_key(email: str) -> str:
    return "account:" + digest(email)


def _key(kind: str, value: str) -> str:
    return f"{kind}:" + digest(value)


def delay_seconds(count: int, free: int, cap: int) -> int:
    """The wait after `count` failures: none while free, then 1, 2, 4 … seconds, capped."""
    if count < free:
        return 0
    return min(cap, 2 ** min(count - free, 30))


def _rows(session: Session, keys: list[str], now: datetime) -> dict[str, Throttle]:
    found = session.scalars(select(Throttle).where(Throttle.key.in_(keys)))
    return {row.key: row for row in found if row.last_at > now - FORGET}


def _seconds(until: datetime | None, now: datetime) -> int:
    if until is None or until <= now:
        return 0
    return math.ceil((until - now).total_seconds())


def sign_in_wait(client: str | None, email: str, now: datetime) -> int:
    """Seconds this client must still wait before trying this e-mail (0: it may try)."""
    ck, ak = client_key(client), account_key(email)
    with read() as session:
        rows = _rows(session, [ck, ak], now)
    mine, account = rows.get(ck), rows.get(ak)
    wait = _seconds(mine.blocked_until, now) if mine else 0
    if account is not None and mine is not None and mine.count > 0:
        wait = max(wait, _seconds(account.blocked_until, now))
    return wait


def _bump(session: Session, key: str, now: datetime) -> Throttle:
    """The key's row, locked, created if missing (concurrent creators do not collide)."""
    dialect = postgresql if is_postgres() else sqlite
    session.execute(dialect.insert(Throttle)
                    .values(key=key, count=0, first_at=now, last_at=now)
                    .on_conflict_do_nothing(index_elements=["key"]))
    row = session.scalar(select(Throttle).where(Throttle.key == key).with_for_update()
                         .execution_options(populate_existing=True))
    assert row is not None
    if row.last_at <= now - FORGET:
        row.count, row.first_at, row.blocked_until = 0, now, None
    row.count += 1
    row.last_at = now
    return row


def record_sign_in_failure(session: Session, client: str | None, email: str,
                           now: datetime) -> None:
    """Count a failure for the client and the e-mail; set when each may try again."""
    session.execute(delete(Throttle).where(Throttle.last_at <= now - FORGET))
    for key, free, cap in (
            (client_key(client), settings.SIGN_IN_FREE_FAILURES,
             settings.SIGN_IN_MAX_DELAY_SECONDS),
            (account_key(email), settings.ACCOUNT_FREE_FAILURES,
             settings.ACCOUNT_MAX_DELAY_SECONDS)):
        row = _bump(session, key, now)
        wait = delay_seconds(row.count, settings.as_int(free), settings.as_int(cap))
        row.blocked_until = now + timedelta(seconds=wait) if wait else None


def forget_sign_in_failures(session: Session, client: str | None, email: str) -> None:
    """A right password clears the client's and the account's failures."""
    session.execute(delete(Throttle).where(
        Throttle.key.in_([client_key(client), account_key(email)])))


def forget_account_failures(session: Session, email: str) -> None:
    """A password chosen through an emailed link clears the account's failures."""
    session.execute(delete(Throttle).where(Throttle.key == account_key(email)))


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    wait_minutes: int


def hourly_allowance(session: Session, kind: str, value: str, per_hour: int,
                     now: datetime) -> Allowance:
    """Count one request of `kind` for `value` (an address, a client) in the current hour;
    refused beyond `per_hour`. The count is taken inside the caller's transaction."""
    row = _bump(session, _key(kind, value), now)
    if row.first_at <= now - HOUR:
        row.count, row.first_at = 1, now
    if row.count <= per_hour:
        return Allowance(True, 0)
    row.count -= 1  # a refused request does not extend the wait
    left = row.first_at + HOUR - now
    return Allowance(False, max(1, math.ceil(left.total_seconds() / 60)))
