"""The signed-in user, kept as a session token in st.session_state and checked against
the database on every run (so signing out, expiry or a locked account take effect at once)."""
from __future__ import annotations

import streamlit as st

from services.actor import Actor
from services.auth import login
from services.errors import SessionExpired

TOKEN_KEY = "auth_token"


def current_actor() -> Actor | None:
    """The actor of this browser session, or None if not (or no longer) signed in."""
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        return None
    try:
        return login.resolve_session(token)
    except SessionExpired:
        st.session_state.pop(TOKEN_KEY, None)
        return None


def start(signed_in: login.SignedIn) -> None:
    st.session_state[TOKEN_KEY] = signed_in.token


def end() -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        login.sign_out(token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
