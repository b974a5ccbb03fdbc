"""The role check every page runs at its top.

A page reached by URL without the right role shows nothing but a pointer to the sign-in,
even on a freshly started server.
"""
from __future__ import annotations

import streamlit as st

from db.states import Role
from services import first_run
from services.actor import Actor
from ui.session import ENDED_FLASH, current_actor

STAFF_ROLES = (Role.STAFF, Role.MANAGER)


def require_role(*roles: Role) -> Actor:
    """The signed-in actor if its role is one of `roles`; otherwise stop the page."""
    actor = current_actor()
    if actor is None:
        st.warning(st.session_state.pop(ENDED_FLASH, None)
                   or "Veuillez vous connecter pour accéder à cette page.")
        # A plain link: this page may run outside the anonymous menu (opened by URL).
        st.markdown("[Se connecter](/connexion)")
        st.stop()
    if actor.role not in roles:
        st.error("Cette page n'est pas accessible avec votre compte.")
        st.stop()
    return actor


def require_family() -> Actor:
    return require_role(Role.FAMILY)


def require_staff() -> Actor:
    return require_role(*STAFF_ROLES)


def require_manager() -> Actor:
    return require_role(Role.MANAGER)


def require_first_run() -> None:
    """The setup page runs only while no centre exists, even when opened by URL later."""
    if not first_run.needs_setup():
        st.info("Le centre est déjà mis en service : cette page n'est plus disponible.")
        st.markdown("[Se connecter](/connexion)")
        st.stop()


def require_signed_in() -> Actor:
    """Any signed-in account: pages meant for families that staff may read too (help)."""
    return require_role(Role.FAMILY, *STAFF_ROLES)
