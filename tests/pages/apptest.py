"""Helpers to run pages with Streamlit's AppTest, signed in as someone."""
from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from services.auth import login
from tests.world import PASSWORD
from ui.session import TOKEN_KEY

TIMEOUT = 30
ROOT = Path(__file__).resolve().parents[2]


def page_as(path: str, email: str | None) -> AppTest:
    """Run one page script directly (as a URL would reach it), signed in as `email` or not."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=TIMEOUT)
    if email:
        at.session_state[TOKEN_KEY] = login.sign_in(email, PASSWORD).token
    return at.run()


def texts(at: AppTest) -> str:
    """Every text a user would read on the page, joined."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "text"):
        parts += [str(el.value) for el in getattr(at, kind)]
    parts += [str(m.label) + " " + str(m.value) for m in at.metric]
    return shown("\n".join(parts))


def shown(markdown: str) -> str:
    """The text a reader sees of Markdown escaped by ui.safe.md (backslashes dropped)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
