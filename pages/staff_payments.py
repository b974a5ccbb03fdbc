"""Encaissements: payments received at the desk (cheque, cash, CESU, card), allocated to a
family's charges, with a receipt; and the latest payments received."""

import streamlit as st

from services import validate
from services.errors import PortalError
from services.payments import desk, receipts
from services.payments.receipts import METHODS_FR
from services.reports import payments
from ui.downloads import export_buttons
from ui import pickers, tables
from ui.failure import show_error
from ui.format import euros
from ui.guard import require_staff
from ui.money import pdf_button
from ui.states import PaymentState
from services import clock

actor = require_staff()

st.title("Encaissements")
with st.expander("Export pour la comptabilité (encaissements d'une période, par mode)"):
    cols = st.columns(2)
    with cols[0]:
        start = pickers.day("Du", "pay_from", clock.today().replace(day=1))
    with cols[1]:
        end = pickers.day("Au", "pay_to", clock.today())
    try:
        if start is None or end is None:
            raise PortalError("Choisissez les deux dates de la période.")
        totals = payments.totals_by_method(actor, start, end)
    except PortalError as error:
        show_error(error)
    else:
        tables.table(totals.assign(**{"Montant (€)": [euros(round(e * 100)) for e in
                                                      totals["Montant (€)"]]}))
        export_buttons(lambda: payments.payments_received(actor, start, end),
                       f"encaissements_{start:%Y-%m-%d}_{end:%Y-%m-%d}", "pay_list",
                       "Encaissements", sheet="Encaissements")
        export_buttons(totals, f"totaux_par_mode_{start:%Y-%m-%d}_{end:%Y-%m-%d}", "pay_totals",
                       "Totaux par mode", sheet="Totaux par mode")
search = st.text_input("Rechercher une famille (nom)")
families = desk.list_families_due(actor, search)
if not families:
    st.info("Aucune famille trouvée.")
    st.stop()
family = st.selectbox("Famille", families,
                      format_func=lambda f: f"{f.name} – reste dû {euros(f.balance_cents)}")
charges = desk.open_charges(actor, family.family_id)
if charges.empty:
    st.success("Rien à régler pour cette famille.")
else:
    tables.table(charges.drop(columns=["id"]), money=["Montant", "Reste dû"])
    with st.form("desk_payment", clear_on_submit=True):
        method = st.selectbox("Mode de règlement", [m.value for m in desk.DESK_METHODS],
                              format_func=lambda m: METHODS_FR[m])
        amount = st.text_input("Montant reçu (€)", placeholder="ex. 42,50")
        labels = dict(zip(charges["id"], charges["Prestation"]))
        chosen = st.multiselect("Prestations réglées (vide : les plus anciennes d'abord)",
                                list(labels), format_func=lambda cid: labels[cid])
        note = st.text_input("Note (n° de chèque, banque…)")
        if st.form_submit_button("Enregistrer l'encaissement", type="primary"):
            try:
                reference = desk.record_desk_payment(actor, family.family_id, method,
                                                     validate.amount(amount, "Montant reçu"),
                                                     chosen or None, note)
            except PortalError as error:
                show_error(error)
            else:
                st.session_state["desk_receipt"] = reference
                st.rerun()

reference = st.session_state.get("desk_receipt")
if reference:
    st.success(f"Encaissement {reference} enregistré ; le reçu a été envoyé à la famille.")
    pdf_button("Reçu (PDF)", lambda: receipts.receipt_pdf(actor, reference),
               f"recu-{reference}.pdf", key="desk_receipt_pdf")

st.header("Derniers encaissements")
received = desk.list_received(actor)
if received.empty:
    st.write("Aucun encaissement pour le moment.")
else:
    tables.table(received, money=["Montant"], states={"État": PaymentState})
