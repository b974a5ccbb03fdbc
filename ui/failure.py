"""How an error reaches the screen: a service's French message, escaped (it may quote what
someone typed: a child's first name, a unit's name), and the last line of defence of every
page: an error no page handled is shown in French and logged on the server, never shown as a
traceback."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from services.errors import PortalError, explain
from ui.safe import md


def show_error(error: PortalError, icon: str | None = None) -> None:
    """Show a named error's message as plain words: never a link, an image or markup."""
    st.error(md(error.message), icon=icon)


@contextmanager
def contained() -> Iterator[None]:
    # Streamlit's own control flow (st.stop, st.rerun, st.switch_page) derives from
    # BaseException and passes through untouched.
    try:
        yield
    except Exception as exc:  # noqa: BLE001  (turned into a French message, logged by explain)
        show_error(explain(exc), icon=":material/cloud_off:")
        st.stop()
