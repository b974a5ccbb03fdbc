"""Cookies and their flags as chromium sees them, and where the session token lives: in the
server's memory and in one HttpOnly cookie, never in a URL, a script-readable cookie, or the
page's storage. (Part of the
security sweep, tests/security/; here to share the e2e browser.)"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.conftest import DESKTOP, sign_in, serving, wait_idle


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with serving(tmp_path_factory.mktemp("security")) as served:
        yield served


def test_the_session_token_never_reaches_the_browser(server, browser):
    url, db_path = server
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    seen_urls: list[str] = []
    page.on("request", lambda request: seen_urls.append(request.url))
    try:
        page.goto(url + "/")
        wait_idle(page)
        names_before = {c["name"] for c in context.cookies()}
        sign_in(page, url, "famille.tavernier@example.org", "Cerf-Volant-Bleu-24")
        page.get_by_role("heading", name="Mon tableau de bord").wait_for()
        cookies = context.cookies()
        js_cookie = page.evaluate("document.cookie")
        storage = page.evaluate("JSON.stringify([Object.entries(localStorage), "
                                "Object.entries(sessionStorage)])")
        current = page.url
    finally:
        context.close()
    # Signing in adds exactly one cookie, the session, out of reach of scripts.
    added = [c for c in cookies if c["name"] not in names_before]
    assert [c["name"] for c in added] == ["pf_session"]
    (session_cookie,) = added
    assert session_cookie["httpOnly"] and session_cookie["path"] == "/"
    for cookie in cookies:
        assert cookie["sameSite"] in ("Lax", "Strict")
    assert "pf_session" not in js_cookie
    # Nothing else the browser holds or sent is a live session token.
    candidates = set(re.split(r"[|;=&?/\s\"',\[\]]+", " ".join(
        [js_cookie, storage, current, *seen_urls])))
    digests = {hashlib.sha256(c.encode()).hexdigest() for c in candidates if len(c) >= 20}
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        live = set(conn.execute(text("SELECT token_hash FROM session_token "
                                     "WHERE revoked_at IS NULL")).scalars())
    engine.dispose()
    assert hashlib.sha256(session_cookie["value"].encode()).hexdigest() in live
    assert not digests & live
    assert "jeton" not in current and "token" not in current
