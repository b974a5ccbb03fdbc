"""Handing a new session token from the Streamlit session to an HttpOnly cookie, and the
sign-out form, both bound to the browser that asked for them.

Streamlit cannot set cookies, so after signing in the page sends the browser to an HTTP
route of the same process, which sets the cookie. The token must not travel in that URL
(history, logs), so the page parks it here under a one-time code valid for a minute, and the
route claims it. Process memory is enough: the route is served by the same process as the
page that parked it (one process, or sticky sessions behind a proxy, which Streamlit's
websockets need anyway).

Every browser holds a random HttpOnly cookie of its own (`pf_browser`, set by the app on its
first response, web/security.py), sent along with Streamlit's websocket. A code is parked
with the digest of that cookie and claimed only by a request carrying the same cookie: a code
taken from one's own sign-in and slipped to someone else (a link, a hidden frame) signs no
one in (login CSRF), and a sign-out form posted from another site carries no valid code.
"""
from __future__ import annotations

import hmac
import threading
import time

from services.auth.tokens import digest, new_token

TTL_S = 60.0
_parked: dict[str, tuple[str, str, float]] = {}
_lock = threading.Lock()


def park(value: str, browser: str) -> str:
    """Park a value (a session token) for the browser whose cookie is `browser`; returns the
    one-time code that claims it there."""
    if not browser:
        raise ValueError("a hand-off needs the browser's own cookie")
    code = new_token()
    now = time.monotonic()
    with _lock:
        for key in [k for k, (_, _, until) in _parked.items() if until < now]:
            del _parked[key]
        _parked[digest(code)] = (value, digest(browser), now + TTL_S)
    return code


def claim(code: str, browser: str) -> str | None:
    """The parked value, once, in the browser it was parked for; None if the code is
    unknown, used, expired, or brought by another browser (the code is spent either way)."""
    with _lock:
        entry = _parked.pop(digest(code), None)
    if entry is None or entry[2] < time.monotonic() or not browser:
        return None
    value, bound, _ = entry
    return value if hmac.compare_digest(bound, digest(browser)) else None
