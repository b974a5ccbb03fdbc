"""The last line of defence of every page: an error no page handled is shown in French and
logged on the server, never shown as a traceback."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from services.errors import explain


@contextmanager
def contained() -> Iterator[None]:
    # Streamlit's own control flow (st.stop, st.rerun, st.switch_page) derives from
    # BaseException and passes through untouched.
    try:
        yield
    except Exception as exc:  # noqa: BLE001  (turned into a French message, logged by explain)
        st.error(explain(exc).message, icon=":material/cloud_off:")
        st.stop()
