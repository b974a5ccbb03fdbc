"""The family file's corrections at the desk (days cancelled for the family, a desk payment
reversed) and its history, as read in the audit log."""
from __future__ import annotations



import streamlit as st

from services.actor import Actor
from services.errors import PortalError
from services.staff import audit_log, corrections, family_files
from services.staff.family_files import FamilyFile
from ui import tables
from ui.failure import show_error
from ui.format import day, euros, moment
from ui.safe import md
from services import clock


def cancel_days(actor: Actor, file: FamilyFile) -> None:
    """Cancel or withdraw days for the family, even past the deadline, with a reason."""
    regs = family_files.validated_registrations(actor, file.id)
    if regs.empty:
        return
    with st.expander("Annuler des jours pour la famille"):
        st.caption("Mêmes règles que l'annulation par la famille (avoir si la journée était "
                   "réglée, place donnée à la liste d'attente) ; l'accueil peut annuler après "
                   "le délai. Le motif est gardé au journal des actions.")
        options = {int(i): label for i, label in zip(regs["id"], regs["Choix"])}
        reg_id = st.selectbox("Inscription", list(options), format_func=options.__getitem__,
                              key="fix_reg")
        days = corrections.list_cancellable_days(actor, file.id, reg_id, clock.today())
        if days.empty:
            st.write("Aucun jour à venir à annuler sur cette inscription.")
            return
        labels = {int(r.id): f"{day(r.Jour)} · {r.Unité} · {r.État}" for r in days.itertuples()}
        if st.session_state.pop("fix_days_done", False):
            # The days just cancelled are no longer options: a picker still holding them
            # fails on the next run (whichever form sends it).
            st.session_state.pop("fix_days", None)
        with st.form("fix_cancel"):
            picked = st.multiselect("Jours à annuler", list(labels), format_func=labels.get,
                                    placeholder="Choisir…", key="fix_days")
            reason = st.text_input("Motif", max_chars=300, key="fix_reason",
                                   placeholder="ex. appel de la famille, enfant malade")
            sent = st.form_submit_button("Annuler ces jours", type="primary")
        if sent:
            try:
                done = corrections.cancel_for_family(actor, file.id, reg_id, picked, reason)
            except PortalError as error:
                show_error(error)
            else:
                st.session_state["fix_days_done"] = True
                for cell in done.cells:
                    st.write(f"{day(cell.day)} · {md(cell.unit_name)} : {md(cell.describe())}")


def reverse_payment(actor: Actor, file: FamilyFile) -> None:
    """Reverse a desk payment recorded by mistake (a counter-entry, never a deletion)."""
    table = corrections.list_desk_payments(actor, file.id)
    if table.empty:
        return
    with st.expander("Annuler un règlement saisi par erreur"):
        shown = table.assign(Montant=table["Montant"].map(euros),
                             **{"Reçu le": table["Reçu le"].map(moment)})
        tables.table(shown, hide_index=True, width="stretch")
        open_ = table[(table["Correction"] == "") & (table["Montant"] > 0)]
        if open_.empty:
            return
        with st.form("fix_payment"):
            ref = st.selectbox("Règlement", list(open_["Référence"]), key="fix_payment_ref")
            reason = st.text_input("Motif", max_chars=300, key="fix_payment_reason")
            sent = st.form_submit_button("Annuler ce règlement (contre-passation)")
        if sent:
            try:
                counter = corrections.reverse_desk_payment(actor, file.id, ref, reason)
            except PortalError as error:
                show_error(error)
            else:
                st.session_state["family_flash"] = (
                    f"Règlement {md(ref)} annulé par la contre-passation {md(counter)} : les "
                    "prestations qu'il réglait sont de nouveau à payer.")
                st.rerun()


def history(actor: Actor, file: FamilyFile) -> None:
    """The family's own entries of the audit log, newest first."""
    frame = audit_log.family_history(actor, file.id)
    if frame.empty:
        st.write("Aucune action enregistrée pour cette famille.")
        return
    tables.table(frame.drop(columns=["Famille"]), hide_index=True, width="stretch")
