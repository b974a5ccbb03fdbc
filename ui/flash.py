"""A success message that survives the rerun after a saved change."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services.errors import PortalError
from ui.failure import show_error


def show(key: str) -> None:
    """Show, once, the message the last save left under `key`."""
    if key in st.session_state:
        st.success(st.session_state.pop(key))


def save(call: Callable[[], object], message: str, key: str) -> None:
    """Run a service call; on a named error show it, on success rerun and show `message`."""
    try:
        call()
    except PortalError as error:
        show_error(error)
    else:
        st.session_state[key] = message
        st.rerun()
