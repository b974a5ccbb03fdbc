"""The signed-in user: a session token checked against the database on every run, so that
signing out, expiry or a locked account take effect at once.

The token lives in Streamlit's server-side session state and, so that a reload or the
return from the bank keeps the user signed in, in an HttpOnly cookie set by an HTTP route
(see services/auth/handoff.py). A revoked token is refused wherever it comes from.
"""
from __future__ import annotations

import streamlit as st

from services.actor import Actor
from services.auth import handoff, login
from services.errors import SessionExpired
from ui import nav
from ui.safe import html, md

TOKEN_KEY = "auth_token"
COOKIE = "pf_session"
BROWSER_COOKIE = "pf_browser"
GO_SCRIPT = '<script src="/api/assets/go.js"></script>'
ENDED_FLASH = "session_ended"  # why the session just ended (escaped), said once on sign-in


def _leave(markup: str, message: str) -> None:
    """Send the browser to one of our own routes: `markup` is a link or a form marked
    data-pf-go (constant addresses built here, no user input), followed by the portal's own
    script, since the Content-Security-Policy forbids inline scripts."""
    st.info(message)
    st.html(markup + GO_SCRIPT, unsafe_allow_javascript=True)
    st.stop()


def _cookie(name: str) -> str | None:
    value = st.context.cookies.get(name)
    # Outside a browser (AppTest) the context is a stand-in object, not a string.
    return value if isinstance(value, str) and value else None


def client_address() -> str | None:
    """The browser's network address, for throttling sign-in and anonymous forms; None on
    localhost (Streamlit gives none there) and outside a browser."""
    value = st.context.ip_address
    return value if isinstance(value, str) and value else None


def current_actor() -> Actor | None:
    """The actor of this browser session, or None if not (or no longer) signed in."""
    token = st.session_state.get(TOKEN_KEY) or _cookie(COOKIE)
    if not token:
        return None
    try:
        actor = login.resolve_session(token)
    except SessionExpired as expired:
        st.session_state.pop(TOKEN_KEY, None)
        if expired.message == login.IDLE_MESSAGE:
            st.session_state[ENDED_FLASH] = md(expired.message)
        return None
    st.session_state[TOKEN_KEY] = token
    return actor


def start(signed_in: login.SignedIn) -> None:
    """Remember the new session here and, through a hand-off bound to this browser, in its
    cookie, then go back to the page the user asked for (a bookmark, a link in a mail, a page
    whose session had expired). A browser without its own cookie (cookies refused) stays
    signed in in this tab."""
    st.session_state[TOKEN_KEY] = signed_in.token
    browser = _cookie(BROWSER_COOKIE)
    if browser is None:
        st.rerun()
    url = st.context.url if isinstance(st.context.url, str) else ""
    then = nav.asked_path(url)
    target = (f"/api/session/start?code={handoff.park(signed_in.token, browser)}"
              + (f"&then={then}" if then else ""))
    _leave(f'<a data-pf-go href="{html(target)}">Continuer</a>', "Connexion en cours…")


def end() -> None:
    """Sign out for real: the token is revoked, the state cleared, and the cookie deleted by
    a POST carrying a one-time code bound to this browser (no cross-site sign-out)."""
    token = st.session_state.pop(TOKEN_KEY, None) or _cookie(COOKIE)
    if token:
        login.sign_out(token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    browser = _cookie(BROWSER_COOKIE)
    if browser is None:
        st.rerun()
    code = handoff.park(token or "", browser)
    _leave('<form data-pf-go method="post" action="/api/session/end">'
           f'<input type="hidden" name="code" value="{code}">'
           '<button type="submit">Continuer</button></form>', "Déconnexion…")
