"""The family's documents section: invoices per month and certificates, generated on click."""
from __future__ import annotations

from datetime import date

import streamlit as st

from services.actor import Actor
from services.billing import documents, invoices
from services.billing.accounts import Account
from services.booking.rules import LOCAL
from ui.format import day, euros, month_title
from ui.money import pdf_button
from ui.safe import md


KINDS = {"invoice": ("Facture", "facture"), "credit_note": ("Avoir", "avoir")}


def issued_invoices(actor: Actor, family_id: int | None = None) -> None:
    """The family's issued invoices and credit notes, each as it was issued."""
    issued = invoices.list_invoices(actor, family_id)
    if not issued:
        st.caption("Aucune facture émise pour le moment.")
    for view in issued:
        title, slug = KINDS.get(view.kind, ("Document", "document"))
        st.markdown(f"**{md(title)} n° {md(view.number)}** · "
                    f"{month_title(view.month.year, view.month.month)} · "
                    f"{euros(view.total_cents)} · émise le {day(view.issued_at.astimezone(LOCAL))}")
        pdf_button(f"{md(title)} {md(view.number)} (PDF)",
                   lambda i=view.invoice_id: invoices.issued_pdf(actor, i),
                   f"{slug}-{view.number}.pdf", key=f"issued_{view.invoice_id}")


def month_invoice(actor: Actor, today: date, family_id: int | None = None,
                  key: str = "invoice", label: str = "Télécharger la facture") -> None:
    """The month picker: a month's invoice is issued at its first download (the family's own
    page, and the desk's Documents tab with the family's id)."""
    months = documents.invoice_months(actor, family_id)
    if not months:
        st.caption("Aucune prestation facturée.")
        return
    month = st.selectbox("Facture du mois", months, index=documents.opening_month(months, today),
                         format_func=lambda m: month_title(m.year, m.month), key=f"{key}_month")
    if not invoices.may_issue(month):
        st.caption(f"La facture de {month_title(month.year, month.month).lower()} sera "
                   "disponible à partir du 1er du mois.")
        return
    st.caption("Une facture est émise à sa première demande, puis ne change plus : ce qui est "
               "réservé ou annulé ensuite figure sur la facture suivante ou sur un avoir.")
    suffix = f"-{family_id}" if family_id else ""
    pdf_button(label, lambda: documents.invoice_pdf(actor, month, family_id),
               f"facture-{month:%Y-%m}{suffix}.pdf", key=key)


def family_documents(actor: Actor, account: Account, today: date) -> None:
    st.header("Factures et attestations")
    st.subheader("Mes factures")
    issued_invoices(actor)
    month_invoice(actor, today)
    st.subheader("Attestations")
    for reg in account.registrations:
        pdf_button(f"Attestation d'inscription – {md(reg.child)} – {md(reg.activity)}",
                   lambda rid=reg.registration_id:
                   documents.registration_certificate_pdf(actor, rid),
                   f"attestation-inscription-{reg.registration_id}.pdf",
                   key=f"cert_{reg.registration_id}")
    year = st.selectbox("Année de l'attestation fiscale", [today.year, today.year - 1])
    children = documents.tax_children(actor, year)
    if not children:
        st.caption("Attestation de frais de garde : aucun enfant de moins de 6 ans au "
                   f"1er janvier {year} avec des frais de garde payés en {year}.")
    for child_id, name in children:
        pdf_button(f"Attestation de frais de garde {year} – {md(name)}",
                   lambda cid=child_id: documents.tax_certificate_pdf(actor, cid, year),
                   f"attestation-frais-de-garde-{year}-{child_id}.pdf", key=f"tax_{child_id}")
