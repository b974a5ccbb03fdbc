"""A stand-in for the reservation grid page, to test the "Payer" link (tests only)."""
from pathlib import Path

import streamlit as st

from ui.links import pay_button

ROOT = Path(__file__).resolve().parents[2]


def grid() -> None:
    pay_button(int(st.query_params.get("inscription_test", "5")))


st.navigation([st.Page(grid, title="Grille", default=True),
               st.Page(str(ROOT / "pages/family_account.py"), title="Mon compte",
                       url_path="mon_compte")]).run()
