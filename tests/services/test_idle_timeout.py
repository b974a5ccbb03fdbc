"""Staff and manager sessions end after STAFF_IDLE_MINUTES without use (shared reception
PCs); the last use is written at most once a minute."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.base import utcnow
from db.engine import read
from db.models import SessionToken
from services.auth import login
from services.errors import SessionExpired
from tests.world import PASSWORD


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


@pytest.fixture
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    clock = Clock()
    monkeypatch.setattr(login, "utcnow", clock)
    return clock


def _last_seen(token: str):  # type: ignore[no-untyped-def]
    from services.auth.tokens import digest

    with read() as session:
        return session.scalar(select(SessionToken.last_seen_at)
                              .where(SessionToken.token_hash == digest(token)))


@pytest.mark.parametrize("email", ["accueil@test.example", "direction@test.example"])
def test_a_staff_session_unused_for_30_minutes_ends(world, clock, email):
    token = login.sign_in(email, PASSWORD).token
    clock.now += timedelta(minutes=29)
    assert login.resolve_session(token).user_id is not None  # used: the clock starts again
    clock.now += timedelta(minutes=29)
    login.resolve_session(token)
    clock.now += timedelta(minutes=30, seconds=1)
    with pytest.raises(SessionExpired) as ended:
        login.resolve_session(token)
    assert ended.value.message == login.IDLE_MESSAGE
    clock.now += timedelta(seconds=5)  # a refused call does not count as a use
    with pytest.raises(SessionExpired):
        login.resolve_session(token)


def test_family_sessions_have_no_idle_timeout(world, clock):
    token = login.sign_in("dupont@test.example", PASSWORD).token
    clock.now += timedelta(hours=3)
    assert login.resolve_session(token).family_id == world.family_a_id


def test_the_idle_time_is_a_setting(world, clock, monkeypatch):
    monkeypatch.setenv("STAFF_IDLE_MINUTES", "5")
    token = login.sign_in("accueil@test.example", PASSWORD).token
    clock.now += timedelta(minutes=6)
    with pytest.raises(SessionExpired):
        login.resolve_session(token)


def test_last_use_is_written_at_most_once_a_minute(world, clock):
    token = login.sign_in("accueil@test.example", PASSWORD).token
    signed_at = _last_seen(token)
    clock.now += timedelta(seconds=50)
    login.resolve_session(token)
    assert _last_seen(token) == signed_at
    clock.now += timedelta(seconds=20)
    login.resolve_session(token)
    assert _last_seen(token) == clock.now
