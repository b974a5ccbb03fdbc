"""Links between pages that other pages may use (e.g. the grid's "Payer" button)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from ui.safe import md
from streamlit.errors import StreamlitPageNotFoundError

# Absolute, so the link resolves whatever the entry script's folder.
ACCOUNT_PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "family_account.py")
ACCOUNT_URL_PATH = "mon_compte"


def pay_link(registration_id: int) -> str:
    """URL of Mon compte with this registration already selected for payment (for mails;
    opening a URL starts a new browser session, so in the app prefer `pay_button`)."""
    return f"/{ACCOUNT_URL_PATH}?inscription={int(registration_id)}"


def pay_button(registration_id: int, label: str = "Payer") -> None:
    """A "Payer" button that opens Mon compte inside the app (the sign-in is kept) with
    this registration selected."""
    try:
        st.page_link(ACCOUNT_PAGE, label=label, icon=":material/credit_card:",
                     query_params={"inscription": str(int(registration_id))})
    except StreamlitPageNotFoundError:
        # Page run outside the role's menu (opened alone): a plain link, the session cookie
        # keeps the sign-in across the page load.
        st.markdown(f"[{md(label)}]({pay_link(registration_id)})")


def to_page(file_name: str, label: str, icon: str) -> None:
    """A link to another page of the menu (`file_name` in pages/); opened alone (outside
    the menu, as in a test), a plain link to its address."""
    try:
        st.page_link(str(Path(__file__).resolve().parents[1] / "pages" / file_name),
                     label=label, icon=f":material/{icon}:")
    except StreamlitPageNotFoundError:
        from ui.nav import url_of

        st.markdown(f"[{md(label)}](/{url_of('pages/' + file_name)})")
