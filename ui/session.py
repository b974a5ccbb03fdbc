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

TOKEN_KEY = "auth_token"
COOKIE = "pf_session"


def _redirect(url: str, message: str) -> None:
    """Send the browser to one of our own routes (constant URL built here, no user input)."""
    st.info(message)
    st.html(f'<script>window.location.replace("{url}");</script>', unsafe_allow_javascript=True)
    st.markdown(f"[Continuer]({url})")
    st.stop()


def _cookie() -> str | None:
    value = st.context.cookies.get(COOKIE)
    # Outside a browser (AppTest) the context is a stand-in object, not a string.
    return value if isinstance(value, str) and value else None


def current_actor() -> Actor | None:
    """The actor of this browser session, or None if not (or no longer) signed in."""
    token = st.session_state.get(TOKEN_KEY) or _cookie()
    if not token:
        return None
    try:
        actor = login.resolve_session(token)
    except SessionExpired:
        st.session_state.pop(TOKEN_KEY, None)
        return None
    st.session_state[TOKEN_KEY] = token
    return actor


def start(signed_in: login.SignedIn) -> None:
    """Remember the new session here and in the browser's cookie, then go back to the page
    the user asked for (a bookmark, a link in a mail, a page whose session had expired)."""
    st.session_state[TOKEN_KEY] = signed_in.token
    url = st.context.url if isinstance(st.context.url, str) else ""
    then = nav.asked_path(url)
    _redirect(f"/api/session/start?code={handoff.park(signed_in.token)}"
              + (f"&then={then}" if then else ""), "Connexion en cours…")


def end() -> None:
    """Sign out for real: the token is revoked, the state cleared, the cookie deleted."""
    token = st.session_state.pop(TOKEN_KEY, None) or _cookie()
    if token:
        login.sign_out(token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    _redirect("/api/session/end", "Déconnexion…")
