"""What surrounds every page: the signed-in name and the sign-out button."""
from __future__ import annotations

import streamlit as st

from db.states import Role
from services.actor import Actor
from ui import session

ROLE_LABELS = {Role.FAMILY: "Famille", Role.STAFF: "Accueil", Role.MANAGER: "Direction"}


# Streamlit's captions are too pale for WCAG AA (3.9:1); its sidebar menu puts section
# headers inside the list, which screen readers announce wrongly: the menu's links are
# kept, its broken list semantics removed (role="none"), whenever the menu is drawn.
A11Y = """<style>
[data-testid='stCaptionContainer'] {color:#5f5e5c !important; opacity:1 !important;}
</style>
<script>
if (!window.__pfMenuRoles) {
  window.__pfMenuRoles = true;
  const fix = () => document.querySelectorAll(
    "[data-testid=stSidebarNavItems], [data-testid=stSidebarNavItems] li"
  ).forEach(e => { if (e.getAttribute("role") !== "none") e.setAttribute("role", "none"); });
  new MutationObserver(fix).observe(document.body, {childList: true, subtree: true});
  fix();
}
</script>"""


def accessibility() -> None:
    """Fixes of Streamlit's own markup that accessibility checks (axe-core) find."""
    st.html(A11Y, unsafe_allow_javascript=True)


def sidebar(actor: Actor | None) -> None:
    accessibility()
    if actor is None:
        return
    with st.sidebar:
        st.caption(f"{ROLE_LABELS[actor.role]} · {actor.label}")
        if st.button("Se déconnecter", icon=":material/logout:", key="sign_out"):
            session.end()
