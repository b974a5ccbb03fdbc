"""Ma famille: children, guardians and documents; sensitive changes go to reception."""
import json

import streamlit as st

from services.errors import PortalError
from services.families.changes import request_change
from services.families.file import get_file
from ui import guardians, health_forms
from ui.changes import pending_changes
from ui.failure import show_error
from ui.format import day
from ui.guard import require_family
from ui.safe import md
from services.families.names import full_name

actor = require_family()

st.title("Ma famille")
st.caption("Les changements de date de naissance, de santé, de responsables légaux ou de "
           "personnes autorisées sont vérifiés par l'accueil avant d'être enregistrés : vous "
           "recevez un mail.")
if sent := st.session_state.pop("change_flash", None):
    st.success(sent)
health_forms.show_flash()
file = get_file(actor)
pending_changes(actor, ("birth_date", "health_notes", "guardian_add", "guardian_update",
                        *health_forms.FIELDS))


def ask(*changes: tuple[str, str], child_id: int | None = None) -> None:
    """Send the changes to reception, all or none shown as sent."""
    if not changes:
        st.info("Aucun changement à envoyer.")
        return
    try:
        for field, value in changes:
            request_change(actor, field, value, child_id)
    except PortalError as error:
        show_error(error)
    else:
        st.session_state["change_flash"] = ("Demande envoyée à l'accueil, qui la vérifie "
                                           "et vous répond par mail.")
        st.rerun()


st.header("Enfants")
for child in file.children:
    with st.container(border=True):
        st.subheader(md(full_name(child.first_name, child.last_name)))
        st.write(f"Né(e) le {day(child.birth_date)} · {md(child.school or 'école non renseignée')}")
        if child.health_notes:
            st.write(f"Notes de santé : {md(child.health_notes)}")
        with st.expander("Demander une modification"):
            with st.form(f"child_{child.id}"):
                born = st.date_input("Date de naissance", value=child.birth_date,
                                     format="DD/MM/YYYY")
                if st.form_submit_button("Envoyer à l'accueil"):
                    wanted = [("birth_date", born.isoformat())] if born != child.birth_date else []
                    ask(*wanted, child_id=child.id)

health_forms.health_sheets(actor, file.children)
health_forms.pickup_persons(actor)

st.header("Responsables légaux")
guardians.family_panel(actor)
with st.expander("Ajouter ou modifier un responsable légal"):
    with st.form("guardian"):
        options = {0: "Nouveau responsable légal"} | {
            g.id: f"{g.first_name} {g.last_name}" for g in file.guardians}
        target = st.selectbox("Responsable", list(options), format_func=options.__getitem__)
        data = {"first_name": st.text_input("Prénom"), "last_name": st.text_input("Nom"),
                "relationship": st.text_input("Lien avec l'enfant (mère, père, tuteur…)"),
                "email": st.text_input("E-mail"), "phone": st.text_input("Téléphone")}
        if st.form_submit_button("Envoyer à l'accueil"):
            if target:
                ask(("guardian_update", json.dumps({**data, "guardian_id": target})))
            else:
                ask(("guardian_add", json.dumps(data)))

st.header("Pièces à fournir")
if not file.documents:
    st.write("Aucune pièce enregistrée par l'accueil pour le moment : attestation d'assurance "
             "civile, jugement en cas de divorce, mutuelle.")
for doc in file.documents:
    valid = f", valable jusqu'au {day(doc.valid_until)}" if doc.valid_until else ""
    received = f"reçue le {day(doc.received_on)}" if doc.received_on else "à fournir"
    st.write(f"- {md(doc.kind)} : {md(received)}{md(valid)}")
