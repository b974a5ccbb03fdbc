"""Money widgets shared by the account pages: a payment's state, PDF download buttons."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services.actor import Actor
from services.billing.accounts import PaymentView, get_payment
from ui.format import euros, moment

STATE_LABELS = {"pending": "en attente de la confirmation de la banque",
                "paid": "payé", "refused": "refusé ou abandonné"}


def payment_state(view: PaymentView) -> None:
    """What the bank's notification said about a payment (the return page's message)."""
    text = f"Paiement {view.reference} de {euros(view.amount_cents)} : {STATE_LABELS[view.state]}"
    if view.state == "paid":
        st.success(text + ". Merci ! Un reçu vous a été envoyé par e-mail.",
                   icon=":material/check_circle:")
    elif view.state == "refused":
        st.error(text + ". Aucun montant n'a été débité ; vous pouvez recommencer.")
    else:
        st.info(text + ". Cliquez sur « Actualiser » dans un instant.")


@st.fragment(run_every=3)
def watch_payment(actor: Actor, reference: str) -> None:
    """While the family is at the bank, check every few seconds whether the notification
    arrived; when it has, show the new balance."""
    view = get_payment(actor, reference)
    if view.state != "pending":
        st.session_state.pop("card_start", None)
        unpick()
        st.session_state["last_payment"] = reference
        st.rerun()
    st.caption("En attente de la confirmation de la banque…")


def unpick() -> None:
    """After a payment, nothing stays ticked (nor an amount ready to be paid again)."""
    for key in [k for k in st.session_state if str(k).startswith(("pick_", "amount_"))]:
        del st.session_state[key]


def pdf_button(label: str, make: Callable[[], bytes], file_name: str, key: str) -> None:
    """A download button whose PDF is generated when clicked."""
    st.download_button(label, data=make, file_name=file_name, mime="application/pdf", key=key,
                       icon=":material/download:")


def when(view: PaymentView) -> str:
    return moment(view.paid_at or view.created_at)


def cents(value: float) -> int:
    """Euros typed in a number field -> exact integer cents (through the decimal text)."""
    from decimal import ROUND_HALF_UP, Decimal

    return int((Decimal(str(value)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
