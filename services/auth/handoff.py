"""Handing a new session token from the Streamlit session to an HttpOnly cookie.

Streamlit cannot set cookies, so after signing in the page sends the browser to an HTTP
route of the same process, which sets the cookie. The token must not travel in that URL
(history, logs), so the page parks it here under a one-time code valid for a minute, and the
route claims it. Process memory is enough: the route is served by the same process as the
page that parked it (one process, or sticky sessions behind a proxy, which Streamlit's
websockets need anyway).
"""
from __future__ import annotations

import threading
import time

from services.auth.tokens import digest, new_token

TTL_S = 60.0
_parked: dict[str, tuple[str, float]] = {}
_lock = threading.Lock()


def park(session_token: str) -> str:
    """Park a session token; returns the one-time code that claims it."""
    code = new_token()
    now = time.monotonic()
    with _lock:
        for key in [k for k, (_, until) in _parked.items() if until < now]:
            del _parked[key]
        _parked[digest(code)] = (session_token, now + TTL_S)
    return code


def claim(code: str) -> str | None:
    """The parked session token, once; None if the code is unknown, used or expired."""
    with _lock:
        entry = _parked.pop(digest(code), None)
    if entry is None or entry[1] < time.monotonic():
        return None
    return entry[0]
