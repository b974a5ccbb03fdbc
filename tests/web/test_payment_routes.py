"""Card payment at the HTTP level (issue 16): the sandbox bank is an explicit choice and its
payments are recorded as such, the public demo key pays nothing outside it, the sandbox
returns only to the portal, its "Abandonner" ends the payment, bodies are capped (chunked
too), and the redirect checks its token before it waits for any write lock."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import create_engine, func, select, text

from db.engine import read
from db.models import Mail, Payment
from services.billing.accounts import METHOD_LABELS, get_account, get_payment
from services.errors import LinkInvalid
from services.payments import card, desk, monetico
from tests.http import call, serve_routes
from tests.services.test_card_payment import NOW, _form_fields, notification, started

REAL_KEY = "ABCDEF0123456789ABCDEF0123456789ABCDEF01"
BANK_URL = "https://p.monetico-services.com/test/paiement.cgi"


@pytest.fixture
def http(world, monkeypatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve_routes() as url:
        monkeypatch.setenv("PORTAIL_PUBLIC_URL", url)
        yield url


@pytest.mark.parametrize("choice, demo, on", [("auto", "1", True), ("auto", "0", False),
                                              ("1", "0", True), ("0", "1", False),
                                              ("", "1", False)])
def test_the_sandbox_bank_is_an_explicit_choice(monkeypatch, choice, demo, on):
    monkeypatch.setenv("PORTAIL_SANDBOX_BANK", choice)
    monkeypatch.setenv("PORTAIL_DEMO", demo)
    assert card.sandbox_enabled() is on
    # Even when chosen, never beside a real bank or with a key of the merchant's own.
    monkeypatch.setenv("PORTAIL_SANDBOX_BANK", "1")
    monkeypatch.setenv("MONETICO_KEY", REAL_KEY)
    assert not card.sandbox_enabled()


def test_outside_the_sandbox_the_public_demo_key_pays_nothing(world, http, monkeypatch):
    monkeypatch.setenv("PORTAIL_SANDBOX_BANK", "1")
    reg, start = started(world)
    page = call(http + start.redirect_path)[1]
    monkeypatch.setenv("PORTAIL_SANDBOX_BANK", "0")  # e.g. PORTAIL_DEMO=0 on a real install
    with pytest.raises(card.CardUnavailable) as refused:
        card.start_card_payment(world.family_a, {reg: None})
    assert "indisponible" in refused.value.message
    # Anyone can seal with the public key: the notification is refused and changes nothing.
    status, body, _ = call(http + "/api/monetico/notify", notification(start.reference, 200))
    assert (status, body) == (403, "version=2\ncdr=1\n")
    assert card.apply_notification(notification(start.reference, 200)) == monetico.ACK_BAD
    fields = _form_fields(page)
    assert call(http + "/sandbox/bank", fields)[0] == 400
    assert call(http + "/sandbox/bank/pay", {**fields, "card": "4000000000000002"})[0] == 400
    # The same with the real bank's URL but still the public key.
    monkeypatch.setenv("MONETICO_URL", BANK_URL)
    with pytest.raises(card.CardUnavailable):
        card.start_card_payment(world.family_a, {reg: None})
    assert call(http + "/api/monetico/notify", notification(start.reference, 200))[0] == 403
    assert get_payment(world.family_a, start.reference).state == "pending"
    assert get_account(world.family_a, world.today).total_due == 200
    with read() as session:
        assert session.scalar(select(func.count(Payment.id))) == 1


def test_sandbox_payments_have_a_method_of_their_own_shown_everywhere(world, monkeypatch):
    monkeypatch.setenv("PORTAIL_SANDBOX_BANK", "1")
    reg, start = started(world)
    assert card.apply_notification(notification(start.reference, 200)) == monetico.ACK_OK
    view = get_payment(world.family_a, start.reference)
    assert (view.method, view.state) == ("card_sandbox", "paid")
    assert METHOD_LABELS[view.method] == "Carte (banque de test)"
    received = desk.list_received(world.staff)
    assert list(received["Mode"]) == ["carte (banque de test)"]
    with read() as session:
        receipt = session.scalar(select(Mail.body).where(
            Mail.subject == f"Reçu de paiement {start.reference}"))
    assert "banque de test" in receipt


def test_a_real_bank_payment_keeps_its_method_and_the_sandbox_cannot_pay_it(world,
                                                                          monkeypatch):
    monkeypatch.setenv("MONETICO_URL", BANK_URL)
    monkeypatch.setenv("MONETICO_KEY", REAL_KEY)
    reg, real = started(world)
    assert get_payment(world.family_a, real.reference).method == "card_online"
    monkeypatch.setenv("MONETICO_KEY", card.settings.MONETICO_KEY.default)
    monkeypatch.delenv("MONETICO_URL")
    card.apply_notification(notification(real.reference, real.amount_cents))
    assert get_payment(world.family_a, real.reference).state == "pending"


@pytest.mark.parametrize("back", ["https://evil.example/merci",
                                  "{portal}@evil.example/merci", "//evil.example/"])
def test_the_sandbox_returns_only_under_the_public_url(world, http, back):
    reg, start = started(world)
    back = back.format(portal=http)
    forged = monetico.request_fields(card.terminal(), monetico.Order(
        start.reference, start.amount_cents, "a@b.fr", "", back, back, "", "", "",
        NOW))
    assert monetico.seal_ok(forged, card.terminal().key)  # the demo key is public
    status, page, headers = call(http + "/sandbox/bank", forged)
    assert status == 400 and "evil" not in headers.get("location", "")
    status, page, headers = call(http + "/sandbox/bank/pay",
                                 {**forged, "card": "4000000000000002", "action": "pay"})
    assert status == 400 and "location" not in {k.lower() for k in headers}
    assert get_payment(world.family_a, start.reference).state == "pending"


def test_abandon_ends_the_payment_and_the_family_sees_it(world, http):
    reg, start = started(world)
    card_page = call(http + "/sandbox/bank", _form_fields(call(http + start.redirect_path)[1]))[1]
    # What the browser posts on "Abandonner": every field of the page, the card left empty.
    status, _, headers = call(http + "/sandbox/bank/pay",
                              {**_form_fields(card_page), "card": "", "action": "abandon"})
    assert status == 303 and headers["location"].startswith(
        http + f"/api/payments/{start.reference}/retour") and "echec" in headers["location"]
    status, back, _ = call(headers["location"])
    assert status == 200 and "Paiement non abouti" in back
    view = get_payment(world.family_a, start.reference)
    assert view.state == "refused"  # shown as « refusé ou abandonné » in « Mon compte »
    assert get_account(world.family_a, world.today).total_due == 200


def _chunked_post(url: str, path: str, size: int) -> int:
    parts = urlsplit(url)
    conn = HTTPConnection(parts.hostname, parts.port, timeout=30)
    chunk = b"texte-libre=" + b"a" * 1012

    def body() -> Iterator[bytes]:
        sent = 0
        while sent < size:
            yield chunk
            sent += len(chunk)

    try:
        conn.request("POST", path, body=body(), encode_chunked=True,
                     headers={"Content-Type": "application/x-www-form-urlencoded",
                              "Transfer-Encoding": "chunked"})
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.mark.parametrize("path", ["/api/monetico/notify", "/sandbox/bank", "/sandbox/bank/pay"])
def test_a_chunked_body_over_the_cap_is_refused(world, http, path):
    assert _chunked_post(http, path, 200 * 1024) == 413
    big = {"texte-libre": "a" * 100_000}
    assert call(http + path, big)[0] == 413


def test_a_chunked_notification_under_the_cap_is_applied(world, http):
    reg, start = started(world)
    parts = urlsplit(http)
    conn = HTTPConnection(parts.hostname, parts.port, timeout=30)
    data = urlencode(notification(start.reference, 200)).encode()
    conn.request("POST", "/api/monetico/notify", body=iter([data[:50], data[50:]]),
                 encode_chunked=True,
                 headers={"Content-Type": "application/x-www-form-urlencoded",
                          "Transfer-Encoding": "chunked"})
    answer = conn.getresponse()
    assert (answer.status, answer.read().decode()) == (200, "version=2\ncdr=0\n")
    conn.close()
    assert get_payment(world.family_a, start.reference).state == "paid"


def _hold_write_lock(url: str, ready: threading.Event, release: threading.Event,
                     table: str = "payment_link") -> None:
    """Another client holding the write lock (SQLite) or a table (PostgreSQL)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
            conn.exec_driver_sql(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        ready.set()
        release.wait(60)
        conn.exec_driver_sql("ROLLBACK")
    engine.dispose()


def test_a_wrong_link_is_refused_without_waiting_for_the_write_lock(world, database):
    reg, start = started(world)
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(database, ready, release))
    holder.start()
    try:
        assert ready.wait(20)
        with ThreadPoolExecutor(max_workers=1) as pool:
            attempt = pool.submit(card.bank_form, start.reference, "not-the-token")
            try:
                error = attempt.exception(timeout=5)
            finally:
                release.set()
        assert isinstance(error, LinkInvalid)
    finally:
        release.set()
        holder.join(60)
    with read() as session:
        assert session.scalar(select(func.count()).select_from(text("payment_link"))
                              .where(text("used_at IS NOT NULL"))) == 0
