"""What surrounds every page: the signed-in name and the sign-out button."""
from __future__ import annotations

import streamlit as st

from db.states import Role
from services.actor import Actor
from ui import session
from ui.safe import md

ROLE_LABELS = {Role.FAMILY: "Famille", Role.STAFF: "Accueil", Role.MANAGER: "Direction"}


def sidebar(actor: Actor | None) -> None:
    if actor is None:
        return
    with st.sidebar:
        st.caption(f"{ROLE_LABELS[actor.role]} · {md(actor.label)}")
        if st.button("Se déconnecter", icon=":material/logout:", key="sign_out"):
            session.end()
