"""What a browser and a plain HTTP client see of a fresh server: the /api routes without
signing in, cookies and their flags, headers, and where the session token lives (only in
the server's memory: never in a URL, a cookie, or the page's storage).
(The page URLs without signing in: tests/e2e/test_sign_in.py.)
The bank's notification route with a forged seal needs the money branch (issue 5)."""
from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.conftest import DESKTOP, sign_in, start_server, wait_idle
from web.routes import ROUTES


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("security")
    url, process = start_server(tmp)
    yield url, tmp / "e2e.db"
    process.terminate()
    process.wait(timeout=20)


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, \
                response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_every_api_route_answers_an_anonymous_client_with_nothing_private(server):
    url, _ = server
    paths = [route.path for route in ROUTES]
    assert all(p.startswith("/api/") for p in paths)
    for path in paths:
        status, headers, body = _get(url + path)
        assert status in (200, 401, 403, 405), (path, status)
        assert len(body) < 200 and b"Traceback" not in body, path
        for name in (b"TAVERNIER", b"MARTIN", b"BENALI", b"@", b"password"):
            assert name not in body, (path, name)
        status, _, body = _get(url + path, "DELETE")
        assert status in (401, 403, 404, 405) and b"Traceback" not in body


def test_headers_leak_no_version_or_stack(server):
    url, _ = server
    for path in ("/", "/api/health", "/connexion", "/api/does-not-exist"):
        status, headers, body = _get(url + path)
        assert "x-powered-by" not in headers
        assert not re.search(r"\d", headers.get("server", "")), headers.get("server")
        assert b"Traceback" not in body


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
        sign_in(page, url, "famille.tavernier@example.org", "famille2026")
        page.get_by_role("heading", name="Mon tableau de bord").wait_for()
        cookies = context.cookies()
        js_cookie = page.evaluate("document.cookie")
        storage = page.evaluate("JSON.stringify([Object.entries(localStorage), "
                                "Object.entries(sessionStorage)])")
        current = page.url
    finally:
        context.close()
    # Signing in sets no cookie: the only one is Streamlit's anti-forgery token.
    assert {c["name"] for c in cookies} == names_before <= {"_streamlit_xsrf"}
    for cookie in cookies:
        assert cookie["sameSite"] in ("Lax", "Strict")
    # Whatever the browser holds or sent, none of it is a live session token.
    candidates = set(re.split(r"[|;=&?/\s\"',\[\]]+", " ".join(
        [js_cookie, storage, current, *seen_urls, *(c["value"] for c in cookies)])))
    digests = {hashlib.sha256(c.encode()).hexdigest() for c in candidates if len(c) >= 20}
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        live = set(conn.execute(text("SELECT token_hash FROM session_token")).scalars())
    engine.dispose()
    assert live, "the sign-in created a session"
    assert not digests & live
    assert "jeton" not in current and "token" not in current
