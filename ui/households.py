"""A child's households in the family file: each child's households, and « Rattacher un
enfant à un second foyer » (one child record, not a copy; services/families/households)."""
from __future__ import annotations

import streamlit as st

from services.actor import Actor
from services.errors import PortalError
from services.families import households
from services.families.names import full_name
from services.staff.family_files import FamilyFile, search_families
from ui.failure import show_error
from ui.safe import md


def _flash(text: str) -> None:
    st.session_state["family_flash"] = md(text)
    st.rerun()


def households_panel(actor: Actor, file: FamilyFile) -> None:
    """Each child's households; link a child of this family to another family, or unlink."""
    if not file.children:
        return
    st.markdown("**Foyers des enfants**")
    names = {c.id: full_name(c.first_name, c.last_name) for c in file.children}
    for child_id, name in names.items():
        try:
            homes = households.list_households(actor, child_id)
        except PortalError:
            continue  # its first household is not this desk's to see: nothing to show
        words = ", ".join(md(h.name) + (" (premier foyer)" if h.first else "") for h in homes)
        st.markdown(f"- {md(name)} : {words}")
        for home in homes:
            if home.first or len(homes) < 2 or home.family_id != file.id:
                continue
            if st.button(f"Retirer {md(name)} de ce foyer", key=f"unlink_{child_id}",
                         icon=":material/link_off:"):
                _act(lambda cid=child_id: households.unlink_child(actor, cid, file.id),
                     f"{name} ne fait plus partie du foyer {file.name}.")
    with st.expander("Rattacher un enfant à un second foyer"):
        st.caption("Parents séparés : l'enfant garde une seule fiche ; chaque foyer a ses "
                   "responsables, son quotient familial, ses inscriptions et son compte.")
        child_id = st.selectbox("Enfant", list(names), format_func=names.__getitem__,
                                key="household_child")
        query = st.text_input("Second foyer (nom de la famille)", key="household_query")
        found = [f for f in search_families(actor, query) if f.id != file.id] \
            if query.strip() else []
        if query.strip() and not found:
            st.info("Aucune autre famille ne correspond.")
        if found:
            options = {f.id: f"{f.name} · {f.children or 'sans enfant'}" for f in found}
            family_id = st.selectbox("Famille", list(options), format_func=options.__getitem__,
                                     key="household_family")
            if st.button("Rattacher", type="primary", icon=":material/link:",
                         key="household_link"):
                _act(lambda: households.link_child(actor, child_id, family_id),
                     f"{names[child_id]} est rattaché(e) au foyer {options[family_id]}.")


def _act(call, success: str) -> None:  # type: ignore[no-untyped-def]
    try:
        call()
    except PortalError as error:
        show_error(error)
    else:
        _flash(success)
