"""Autorisations parentales: the consents families answer for each child (managers)."""
import streamlit as st

from services.errors import PortalError
from services.health import consents
from ui.failure import show_error
from ui.guard import require_manager
from ui.safe import md

actor = require_manager()

st.title("Autorisations parentales")
st.caption("Les familles répondent oui ou non à chaque autorisation, pour chaque enfant, dans "
           "« Ma famille » ; la date et l'auteur de la réponse sont enregistrés. Une "
           "autorisation retirée n'est plus demandée (les réponses déjà données sont gardées).")
if flash := st.session_state.pop("consents_flash", None):
    st.success(flash)


def _done(message: str) -> None:
    st.session_state["consents_flash"] = message
    st.rerun()


with st.form("consent_new", clear_on_submit=True):
    label = st.text_input("Nouvelle autorisation",
                          placeholder="Partir seul(e) à la fin de l'accueil du soir (17 h 30)")
    if st.form_submit_button("Ajouter", icon=":material/add:", type="primary"):
        try:
            consents.create_consent_kind(actor, label)
        except PortalError as error:
            show_error(error)
        else:
            _done("Autorisation ajoutée : les familles la voient dès maintenant.")

for kind in consents.list_consent_kinds(actor, every=True):
    with st.form(f"consent_{kind.id}"):
        st.markdown(f"**{md(kind.label)}**" + ("" if kind.active else " · retirée"))
        new_label = st.text_input("Libellé", kind.label, key=f"consent_label_{kind.id}")
        active = st.checkbox("Demandée aux familles", kind.active, key=f"consent_on_{kind.id}")
        if st.form_submit_button("Enregistrer"):
            try:
                consents.update_consent_kind(actor, kind.id, new_label, active)
            except PortalError as error:
                show_error(error)
            else:
                _done("Autorisation enregistrée.")
