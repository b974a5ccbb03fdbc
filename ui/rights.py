"""Data rights on screen: a family's download and closure on "Mon compte"; closure requests
and anonymisation on the staff's family file."""
from __future__ import annotations

import streamlit as st

from db.states import Role
from services.actor import Actor
from services.errors import PortalError
from services.families.rights import anonymise, closure
from services.families.rights.export import export_family_data
from services.staff.family_files import FamilyFile
from ui import tables
from ui.failure import show_error
from ui.format import day, moment
from ui.safe import md
from ui.session import ENDED_FLASH

CLOSED = ("Votre compte est clôturé : vous ne pouvez plus vous connecter. Un e-mail vous "
          "confirme la demande.")


def my_data(actor: Actor) -> None:
    """Mon compte: download everything, or close the account (with a confirmation)."""
    st.header("Mes données personnelles")
    st.write("Téléchargez toutes les données que le portail garde sur votre famille : un "
             "fichier ZIP avec des tableaux lisibles par un tableur, un fichier JSON, vos "
             "attestations et vos reçus.")
    st.download_button("Télécharger mes données (ZIP)", data=lambda: export_family_data(actor),
                       file_name="mes-donnees.zip", mime="application/zip",
                       icon=":material/download:", key="rights_zip")
    st.caption("[Ce que nous conservons, pourquoi et combien de temps](/confidentialite)")
    with st.expander("Clôturer mon compte", icon=":material/person_off:"):
        st.write("Vos réservations à venir sont annulées (selon les délais d'annulation "
                 "habituels) et vous ne pourrez plus vous connecter. Vos factures et "
                 f"règlements sont conservés {closure.retention_years():d} ans, comme la loi "
                 "l'impose, puis votre dossier est anonymisé.")
        with st.form("close_account"):
            sure = st.checkbox("Je confirme vouloir clôturer le compte de ma famille")
            asked = st.form_submit_button("Clôturer mon compte", icon=":material/person_off:")
        if asked and not sure:
            st.error("Cochez la case pour confirmer la clôture de votre compte.")
        elif asked:
            try:
                closure.request_closure(actor)
            except PortalError as error:
                show_error(error)
            else:
                st.session_state[ENDED_FLASH] = CLOSED
                st.rerun()


def closure_requests(actor: Actor) -> None:
    """Families that asked for their account to be closed (reception and managers)."""
    requests = closure.list_closure_requests(actor)
    if requests.empty:
        return
    with st.expander(f"Demandes de clôture de compte ({len(requests)})",
                     icon=":material/person_off:"):
        if requests["À décider"].sum():
            st.caption("« À décider » : demandes de réservation ou d'annulation que la "
                       "clôture n'a pas pu retirer (délai dépassé) ; à traiter dans « File "
                       "de validation ».")
        tables.table(requests.drop(columns=["id"]))


def family_file(actor: Actor, file: FamilyFile) -> None:
    """On the family file: its closure request, its data for a desk request, and (managers)
    its anonymisation once the accounting records' retention has passed."""
    asked = closure.closure_requested_at(actor, file.id)
    if asked is not None:
        st.warning(f"Clôture du compte demandée le {moment(asked)} : la famille ne peut plus "
                   "se connecter.", icon=":material/person_off:")
    st.download_button("Données de la famille (ZIP)", key="family_zip",
                       data=lambda: export_family_data(actor, file.id),
                       file_name=f"donnees-famille-{file.id}.zip", mime="application/zip",
                       icon=":material/download:")
    if asked is None or actor.role != Role.MANAGER:
        return
    kept = anonymise.get_retention(actor, file.id)
    with st.expander("Anonymiser la famille", icon=":material/visibility_off:"):
        if kept.anonymisable_from is not None:
            st.caption(f"Dernière pièce comptable : {day(kept.last_record)} ; anonymisation "
                       f"possible à partir du {day(kept.anonymisable_from)}.")
        st.write("Noms, coordonnées, dates de naissance, informations de santé, textes libres "
                 "et mails sont effacés ; montants, dates et numéros de facture restent. "
                 "C'est définitif.")
        with st.form("anonymise"):
            typed = st.text_input(f"Tapez « {md(file.name)} » pour confirmer")
            go = st.form_submit_button("Anonymiser définitivement", type="primary")
        if go:
            try:
                name = anonymise.anonymise_family(actor, file.id, typed)
            except PortalError as error:
                show_error(error)
            else:
                st.success(f"La famille s'appelle désormais « {md(name)} ».")
