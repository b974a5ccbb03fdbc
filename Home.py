"""Entry script: page config, the signed-in user, and that role's menu. Nothing else."""
import streamlit as st

from ui import nav, session
from ui.centre import footer
from ui.chrome import PAGE_ICON, sidebar, window_title
from ui.failure import contained

st.set_page_config(page_title=window_title(), page_icon=PAGE_ICON, layout="wide")

with contained():
    actor = session.current_actor()
    page = st.navigation(nav.pages_for(actor), position="sidebar" if actor else "hidden",
                         expanded=True)
    sidebar(actor)
    footer()
    page.run()
