"""What surrounds every page: the signed-in name and the sign-out button."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from db.states import Role
from services import centre_logo, organisation
from services.actor import Actor
from ui import session
from ui.safe import md

# The tab icon is a file of the portal, served by the app: a :material/…: icon would make
# every browser fetch it from a third-party host.
PAGE_ICON = str(Path(__file__).with_name("favicon.png"))
ROLE_LABELS = {Role.FAMILY: "Famille", Role.STAFF: "Accueil", Role.MANAGER: "Direction"}


def window_title() -> str:
    """The browser tab's title: the portal and the centre's name (read from the database)."""
    try:
        name = organisation.get_profile().name
    except Exception:  # noqa: BLE001  (no database yet: the page itself will say so)
        name = ""
    return f"{organisation.PRODUCT} – {name}" if name else organisation.PRODUCT
# Streamlit's captions are too pale for WCAG AA (3.9:1); its sidebar menu's list semantics are
# mended by the portal's own script (web/assets/a11y.js: the CSP forbids inline scripts);
# Streamlit's own English words are put in French, and lang="fr" set, by web/assets/fr.js.
A11Y = """<style>
[data-testid='stCaptionContainer'] {color:#5f5e5c !important; opacity:1 !important;}
</style>
<script src="/api/assets/a11y.js"></script>
<script src="/api/assets/fr.js"></script>"""


def accessibility() -> None:
    """Fixes of Streamlit's own markup that accessibility checks (axe-core) find."""
    st.html(A11Y, unsafe_allow_javascript=True)


@st.cache_data(ttl=60, show_spinner=False)
def logo_bytes() -> bytes | None:
    """The centre's logo for the menu, read at most once a minute (cleared by « Mon centre »)."""
    logo = centre_logo.get_logo()
    return logo.data if logo else None


def sidebar(actor: Actor | None) -> None:
    accessibility()
    if actor is None:
        return
    try:
        logo = logo_bytes()
    except Exception:  # noqa: BLE001  (the menu draws without its logo, not without menu)
        logo = None
    if logo:
        st.logo(logo, size="large")
    with st.sidebar:
        st.caption(f"{ROLE_LABELS[actor.role]} · {md(actor.label)}")
        if st.button("Se déconnecter", icon=":material/logout:", key="sign_out"):
            session.end()
