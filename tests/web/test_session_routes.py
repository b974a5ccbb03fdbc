"""The session cookie's hand-off works only in the browser that signed in (no login CSRF),
and signing out is a POST carrying a one-time code of that browser (no cross-site sign-out).
(issue 16, point 13; in chromium: tests/e2e/test_local_only.py)"""
from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from services.auth import handoff, login
from services.errors import SessionExpired
from tests.http import NoRedirect, serve_routes
from tests.world import PASSWORD


@pytest.fixture
def http(world) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve_routes() as url:
        yield url


def _send(url: str, cookies: dict[str, str], data: dict[str, str] | None = None,
          method: str | None = None) -> tuple[int, list[str]]:
    """(status, Set-Cookie headers) of a request carrying `cookies`; no redirects."""
    request = urllib.request.Request(
        url, data=urlencode(data).encode() if data is not None else None, method=method,
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, response.headers.get_all("set-cookie") or []
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_all("set-cookie") or []


def _alive(token: str) -> bool:
    try:
        login.resolve_session(token)
    except SessionExpired:
        return False
    return True


def test_a_parked_code_is_claimed_once_and_only_by_its_browser():
    code = handoff.park("the-token", "browser-A")
    assert handoff.claim(code, "browser-B") is None
    assert handoff.claim(code, "browser-A") is None  # spent by the wrong browser's try
    code = handoff.park("the-token", "browser-A")
    assert handoff.claim(code, "") is None
    code = handoff.park("the-token", "browser-A")
    assert handoff.claim(code, "browser-A") == "the-token"
    assert handoff.claim(code, "browser-A") is None
    with pytest.raises(ValueError):
        handoff.park("the-token", "")


def test_the_hand_off_sets_the_cookie_only_in_the_browser_that_signed_in(world, http):
    token = login.sign_in("dupont@test.example", PASSWORD).token
    code = handoff.park(token, "victim-is-not-me")
    status, cookies = _send(f"{http}/api/session/start?code={code}",
                            {"pf_browser": "someone-else"})
    assert status == 303 and not any(c.startswith("pf_session=") for c in cookies)
    code = handoff.park(token, "my-browser")
    status, cookies = _send(f"{http}/api/session/start?code={code}", {})
    assert status == 303 and not any(c.startswith("pf_session=") for c in cookies)
    code = handoff.park(token, "my-browser")
    status, cookies = _send(f"{http}/api/session/start?code={code}", {"pf_browser": "my-browser"})
    (session_cookie,) = [c for c in cookies if c.startswith("pf_session=")]
    assert session_cookie.startswith(f"pf_session={token};") and "HttpOnly" in session_cookie


def test_sign_out_is_a_post_with_this_browsers_code(world, http):
    token = login.sign_in("dupont@test.example", PASSWORD).token
    mine = {"pf_browser": "my-browser", "pf_session": token}
    # A cross-site link or image: a GET signs no one out.
    assert _send(f"{http}/api/session/end", mine)[0] == 405
    # A cross-site form: no code, a made-up one, or one parked for another browser.
    assert _send(f"{http}/api/session/end", mine, {})[0] == 403
    assert _send(f"{http}/api/session/end", mine, {"code": "guessed"})[0] == 403
    other = handoff.park(token, "another-browser")
    assert _send(f"{http}/api/session/end", mine, {"code": other})[0] == 403
    assert _alive(token)
    status, cookies = _send(f"{http}/api/session/end", mine,
                            {"code": handoff.park(token, "my-browser")})
    assert status == 303 and any(c.startswith("pf_session=") and "Max-Age=0" in c
                                 for c in cookies)
    assert not _alive(token)
