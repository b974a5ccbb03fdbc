"""Mon compte – Détail financier par inscription: balances, selection, card payment, receipts
and documents. ?inscription=<id> preselects a registration; ?ref=<reference> shows the state
of a payment (the bank's return address)."""
from datetime import datetime

import streamlit as st

from services.billing import accounts, credits
from services.billing.accounts import METHOD_LABELS
from services.booking.rules import LOCAL
from services import validate
from services.errors import InvalidInput, PortalError
from services.payments import card, receipts
from ui import attendance_certificate
from ui.documents import family_documents
from ui.failure import show_error
from ui.rights import my_data
from ui.format import day, euros
from ui.guard import require_family
from ui.money import (STATE_LABELS, payment_state, pdf_button, unpick, watch_payment,
                      when)
from ui.safe import md

actor = require_family()

st.title("Mon compte – Détail financier par inscription")
today = datetime.now(LOCAL).date()
reference = st.query_params.get("ref", "") or st.session_state.get("last_payment", "")
if reference:
    try:
        payment_state(accounts.get_payment(actor, reference))
    except PortalError as error:
        show_error(error)
if st.button("Actualiser", icon=":material/refresh:"):
    st.session_state.pop("card_start", None)
    st.rerun()

account = accounts.get_account(actor, today)
st.info(md(accounts.deadline_policy() + "."), icon=":material/schedule:")
try:
    preselected = int(st.query_params.get("inscription", "0"))
except ValueError:
    preselected = 0

selection: dict[int, int | None] = {}
if not account.registrations:
    st.write("Aucune inscription validée pour le moment.")
for reg in account.registrations:
    with st.container(border=True):
        st.markdown(f"**{md(reg.activity)} – {md(reg.period)}**  \n{md(reg.child)}")
        cols = st.columns(3)
        cols[0].metric("Facturé", euros(reg.charged_cents))
        cols[1].metric("Payé", euros(reg.paid_cents))
        cols[2].metric("Reste à payer", euros(reg.balance_cents))
        st.caption(md(reg.due_rule))
        if reg.next_due_on:
            text = f"À régler avant le {day(reg.next_due_on)}"
            if reg.overdue:
                st.error(text + " (échéance dépassée)")
            else:
                st.caption(text)
        if reg.partial_allowed:
            st.caption("Paiement partiel possible pour cette activité.")
        if reg.balance_cents <= 0:
            continue
        if st.checkbox("Sélectionner", key=f"pick_{reg.registration_id}",
                       value=reg.registration_id == preselected and not reference):
            amount = None
            if reg.partial_allowed:
                typed = st.text_input("Montant à régler (€)",
                                      euros(reg.balance_cents).removesuffix(" €"),
                                      key=f"amount_{reg.registration_id}")
                try:  # the service checks it again against what is due
                    amount = validate.amount(typed, "Montant à régler")
                except InvalidInput as error:
                    show_error(error)
                    continue
            selection[reg.registration_id] = amount

to_pay = sum(a if a is not None else next(r.balance_cents for r in account.registrations
                                           if r.registration_id == rid)
             for rid, a in selection.items())
cols = st.columns(2)
cols[0].metric("Total reste à payer", euros(account.total_due))
cols[1].metric("Sélection à régler", euros(to_pay))
if account.credit_cents > 0:
    st.success(f"Avoir disponible : {euros(account.credit_cents)}")
    if st.button("Utiliser mon avoir pour la sélection", disabled=not selection):
        try:
            used = credits.use_credit(actor, list(selection))
        except PortalError as error:
            show_error(error)
        else:
            st.success(f"{euros(used)} de votre avoir ont été utilisés.")
            unpick()
            st.rerun()

if st.button("Règlement", type="primary", disabled=not selection, icon=":material/credit_card:"):
    try:
        st.session_state["card_start"] = card.start_card_payment(actor, selection)
    except PortalError as error:
        show_error(error)
start = st.session_state.get("card_start")
if start is not None:
    st.write(f"Paiement {start.reference} de {euros(start.amount_cents)} prêt : la page de "
             "paiement sécurisé Monetico s'ouvre dans un nouvel onglet. Cette page-ci se met "
             "à jour dès que la banque a confirmé le paiement.")
    st.link_button("Continuer vers le paiement", card.public_url() + start.redirect_path,
                   type="primary", icon=":material/lock:")
    watch_payment(actor, start.reference)

st.header("Mes paiements")
payments = accounts.list_payments(actor)
if not payments:
    st.write("Aucun paiement pour le moment.")
for view in payments:
    line = (f"{when(view)} · {METHOD_LABELS.get(view.method, view.method)} · "
            f"{euros(view.amount_cents)} · "
            f"{STATE_LABELS[view.state] if view.amount_cents > 0 else 'contre-passation'}"
            f" · réf. {view.reference}")
    if view.avoir:  # its document is the avoir on the invoice, under « Mes factures »
        st.markdown(f"{line} · avoir n° {md(view.avoir)} (voir « Mes factures »)")
    elif view.state == "paid":
        st.markdown(line)
        kind = "avoir" if view.method == "credit_note" else "recu"
        pdf_button("Avoir (PDF)" if kind == "avoir" else "Reçu (PDF)",
                   lambda ref=view.reference: receipts.receipt_pdf(actor, ref),
                   f"{kind}-{view.reference}.pdf", key=f"receipt_{view.reference}")
    else:
        st.caption(line)

family_documents(actor, account, today)
attendance_certificate.for_family(actor, today)
my_data(actor)
