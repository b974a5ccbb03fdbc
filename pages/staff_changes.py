"""Demandes de modification: families' requests to change sensitive data, decided by staff."""
import streamlit as st

from services.errors import PortalError
from services.families.changes import decide_change, list_changes
from ui.failure import show_error
from ui.format import moment
from ui.guard import require_staff
from ui.safe import md

actor = require_staff()

st.title("Demandes de modification")
if done := st.session_state.pop("decision_flash", None):
    st.success(done)
changes = list_changes(actor)
if not changes:
    st.write("Aucune demande en attente.")
for change in changes:
    with st.container(border=True):
        who = md(change.family) + (f" · {md(change.child)}" if change.child else "")
        st.markdown(f"**{md(change.label)}** · {who} · reçue le {moment(change.requested_at)}")
        cols = st.columns(2)
        cols[0].caption("Actuellement")
        cols[0].text(change.current or "—")
        cols[1].caption("Demandé")
        cols[1].text(change.new_value)
        reason = st.text_input("Motif (facultatif, envoyé à la famille)", key=f"why_{change.id}")
        buttons = st.columns(2)
        for col, approve, label in ((buttons[0], True, "Accepter"), (buttons[1], False, "Refuser")):
            if col.button(label, key=f"{label}_{change.id}", type="primary" if approve else "secondary"):
                try:
                    state = decide_change(actor, change.id, approve, reason)
                except PortalError as error:
                    show_error(error)
                else:
                    st.session_state["decision_flash"] = (
                        f"Demande {'acceptée et appliquée' if state == 'validated' else 'refusée'}"
                        f" ; la famille {md(change.family)} est prévenue par mail.")
                    st.rerun()
