"""Sign-in under attack: bcrypt holds no database lock, failures slow the next attempts per
client and per account (in the database), and nothing tells which accounts exist."""
from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta

import bcrypt
import pytest
from sqlalchemy import create_engine, select, text, update

from db.base import utcnow
from db.engine import get_engine, read, reset_engine, transaction
from db.models import Throttle, UserAccount
from services.auth import login
from services.errors import InvalidCredentials, TooManyAttempts
from tests.world import PASSWORD

WRONG = "pas-le-bon-2026"


def _other_writer_gets_through(url: str) -> str | None:
    """From a connection of its own, try a write with a very short wait; None if it got
    through, else why not. On PostgreSQL also check that no transaction is left open."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split("///", 1)[1], timeout=0.05, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            return str(exc)
        finally:
            conn.close()
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            open_elsewhere = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'")).scalar()
            if open_elsewhere:
                return f"{open_elsewhere} transaction(s) open while hashing"
            conn.execute(text("SET lock_timeout = '50ms'"))
            conn.execute(text("UPDATE user_account SET display_name = display_name"))
            conn.rollback()
    except Exception as exc:  # noqa: BLE001  (a lock timeout is the finding)
        return str(exc)
    finally:
        engine.dispose()
    return None


@pytest.fixture
def probe(monkeypatch, database):  # type: ignore[no-untyped-def]
    """Replace bcrypt's check by one that first checks another writer gets through."""
    findings: list[str | None] = []
    real = bcrypt.checkpw

    def checking(password: bytes, hashed: bytes) -> bool:
        findings.append(_other_writer_gets_through(database))
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", checking)
    return findings


@pytest.mark.parametrize("email, password", [
    ("dupont@test.example", WRONG), ("inconnu@test.example", WRONG),
    ("dupont@test.example", PASSWORD)])
def test_bcrypt_runs_while_no_write_lock_is_held(world, probe, email, password):
    try:
        login.sign_in(email, password, "198.51.100.7")
    except InvalidCredentials:
        pass
    assert probe == [None]


def test_concurrent_wrong_passwords_leave_the_database_writable(world, monkeypatch, database):
    """Four clients are inside bcrypt at once: another writer still gets through at once."""
    inside = threading.Barrier(5, timeout=30)
    real = bcrypt.checkpw

    def slow(password: bytes, hashed: bytes) -> bool:
        inside.wait()  # all four attempts are hashing now
        inside.wait()  # until the writer has tried
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", slow)
    errors: list[BaseException] = []

    def attempt(n: int) -> None:
        try:
            login.sign_in("direction@test.example", WRONG, f"203.0.113.{n}")
        except InvalidCredentials:
            pass
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    inside.wait()
    finding = _other_writer_gets_through(database)
    inside.wait()
    for thread in threads:
        thread.join()
    assert finding is None and errors == []
    with read() as session:
        assert session.scalar(select(Throttle.count).where(
            Throttle.key.like("account:%"))) == 4  # the failures were all counted


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    clock = Clock()
    monkeypatch.setattr(login, "utcnow", clock)
    return clock


def _fail(email: str, client: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            login.sign_in(email, WRONG, client)


def _wait_asked(email: str, password: str, client: str) -> str:
    with pytest.raises(TooManyAttempts) as refused:
        login.sign_in(email, password, client)
    return refused.value.message


def test_a_client_waits_longer_after_each_failure_even_with_the_right_password(world, clock):
    _fail("dupont@test.example", "198.51.100.1", 5)
    assert "1 seconde," in _wait_asked("dupont@test.example", PASSWORD, "198.51.100.1")
    for wait in (1, 2, 4, 8):
        clock.advance(wait)
        _fail("durand@test.example", "198.51.100.1")  # any account: the client is counted
        message = _wait_asked("dupont@test.example", PASSWORD, "198.51.100.1")
        assert f"{wait * 2} secondes" in message, message
    clock.advance(16)
    assert login.sign_in("dupont@test.example", PASSWORD, "198.51.100.1").actor.role == "family"
    _fail("dupont@test.example", "198.51.100.1")  # a success cleared the client's failures


def test_the_client_wait_is_capped_and_forgotten_after_a_day(world, clock, monkeypatch):
    monkeypatch.setenv("SIGN_IN_FREE_FAILURES", "1")
    monkeypatch.setenv("SIGN_IN_MAX_DELAY_SECONDS", "600")
    for _ in range(15):
        _fail("inconnu@test.example", "198.51.100.2")
        clock.advance(600)
    _fail("inconnu@test.example", "198.51.100.2")
    assert "10 minutes" in _wait_asked("inconnu@test.example", WRONG, "198.51.100.2")
    clock.advance(24 * 3600)
    _fail("inconnu@test.example", "198.51.100.2")


def test_an_outsider_cannot_keep_the_direction_out(world, clock):
    """Failures from many addresses slow down the account only for clients that failed
    themselves; the direction, on a client without failures, signs in at once."""
    for n in range(30):
        _fail("direction@test.example", f"203.0.113.{n}")
    message = _wait_asked("direction@test.example", WRONG, "203.0.113.3")
    assert "60 secondes" in message  # capped at ACCOUNT_MAX_DELAY_SECONDS
    clock.advance(61)
    _fail("direction@test.example", "203.0.113.3")  # never more than a minute
    signed = login.sign_in("DIRECTION@test.example ", PASSWORD, "192.0.2.10")
    assert signed.actor.role == "manager"


def test_unknown_and_existing_accounts_answer_alike(world, clock):
    with transaction() as session:
        session.execute(update(UserAccount).where(UserAccount.email == "durand@test.example")
                        .values(active=False))
    answers = {}
    for email, client in [("dupont@test.example", "198.51.100.3"),
                          ("inconnu@test.example", "198.51.100.4"),
                          ("durand@test.example", "198.51.100.5")]:
        messages = []
        for _ in range(5):
            with pytest.raises(InvalidCredentials) as wrong:
                login.sign_in(email, WRONG, client)
            messages.append(wrong.value.message)
        messages.append(_wait_asked(email, WRONG, client))
        answers[email] = messages
    assert answers["dupont@test.example"] == answers["inconnu@test.example"] \
        == answers["durand@test.example"]


def test_throttling_holds_across_processes(world, clock):
    _fail("dupont@test.example", "198.51.100.6", 5)
    reset_engine()  # another app process, or a restart
    _wait_asked("dupont@test.example", PASSWORD, "198.51.100.6")
    with read() as session:  # only digests are stored, never what a visitor typed
        keys = list(session.scalars(select(Throttle.key)))
    assert keys and not any("dupont" in k or "198.51" in k for k in keys)
    assert get_engine() is not None
