"""The centre's own words on screen: its contact, the canteen notice, news, the booking memo
and the footer "Mentions légales · Contactez-nous · Confidentialité" every page carries.
Every value typed by a manager goes through ui.safe."""
from __future__ import annotations

import streamlit as st

from services import content, first_run
from services.booking.memo import BookingMemo
from services.content import News
from services.organisation import Profile
from ui.format import day
from ui.safe import md


def paragraphs(text: str) -> str:
    """Multi-line text typed by a manager, shown literally, its line breaks kept."""
    return "  \n".join(md(line.strip()) if line.strip() else "" for line in text.splitlines())


def contact_block(contact: Profile) -> None:
    """Address, phone, e-mail, opening hours and web site of the centre."""
    if not contact.name:
        st.write("Les coordonnées du centre ne sont pas encore renseignées.")
        return
    town = " ".join(p for p in (contact.postal_code, contact.city) if p)
    lines = [f"**{md(contact.name)}**"]
    lines += [md(v) for v in (contact.address, town) if v]
    if contact.phone:
        lines.append(f"Téléphone : {md(contact.phone)}")
    if contact.email:
        lines.append(f"E-mail : {md(contact.email)}")
    if contact.opening_hours:
        lines.append(f"Accueil du public : {md(contact.opening_hours)}")
    st.markdown("  \n".join(lines))
    if contact.website.lower().startswith(("https://", "http://")):
        st.link_button("Site web du centre", contact.website, icon=":material/open_in_new:")


def canteen(notice: str, url: str) -> None:
    """The INFO CANTINE notice and its link out: canteens are run by the town, not here."""
    if not notice:
        return
    with st.container(border=True, key="canteen"):
        st.markdown(f":material/restaurant: {paragraphs(notice)}")
        if url:
            st.link_button("Inscriptions à la cantine", url, icon=":material/open_in_new:")


def news_list(items: list[News]) -> None:
    if not items:
        st.caption("Pas d'actualité pour le moment.")
    for item in items:
        with st.container(border=True):
            st.markdown(f"**{md(item.title)}**")
            st.caption(f"Publié le {day(item.published_on)}")
            if item.body:
                st.markdown(paragraphs(item.body))


def memo(memo: BookingMemo) -> None:
    """MEMO : Informations réservation, as in the tutorial, above the grid."""
    with st.expander("MEMO : Informations réservation", icon=":material/info:"):
        if memo.message:
            st.markdown(paragraphs(memo.message))
        st.markdown("**Dates de réservation**  \n" + "  \n".join(
            md(x) for x in (memo.opening, memo.add_rule, memo.cancel_rule)))
        place = [f"**Adresse et téléphone**  \n{md(memo.site)}"
                 + (f" : {md(memo.site_address)}" if memo.site_address else "")]
        if memo.centre:
            place.append(md(memo.centre) + (f", {md(memo.centre_address)}"
                                            if memo.centre_address else ""))
        if memo.centre_phone:
            place.append(f"Téléphone : {md(memo.centre_phone)}")
        if memo.opening_hours:
            place.append(f"Accueil du public : {md(memo.opening_hours)}")
        st.markdown("  \n".join(place))
        if memo.documents:
            st.markdown(f"**Pièces à fournir**  \n{paragraphs(memo.documents)}")
        st.markdown("**Horaires des accueils**  \n" + "  \n".join(
            f"{md(u.name)} : {u.start:%H:%M} – {u.end:%H:%M}" for u in memo.prices.units))
        rules_link(memo.rules_url, memo.has_rules_pdf)


def rules_link(url: str, has_pdf: bool) -> None:
    """The règlement intérieur: its link, or its PDF to download."""
    if url.lower().startswith(("https://", "http://")):
        st.link_button("Règlement intérieur", url, icon=":material/gavel:")
    elif has_pdf and (pdf := content.get_rules_pdf()) is not None:
        st.download_button("Règlement intérieur (PDF)", pdf, file_name="reglement-interieur.pdf",
                           mime="application/pdf", icon=":material/download:")
    else:
        st.caption("Le règlement intérieur est disponible à l'accueil du centre.")


@st.dialog("Mentions légales", width="large")
def _legal() -> None:
    contact = content.get_contact()
    if contact.legal_notice:
        st.markdown(paragraphs(contact.legal_notice))
    else:
        st.write("Les mentions légales n'ont pas encore été renseignées par le centre.")
    if contact.name:
        st.caption(f"Éditeur du portail : {md(contact.name)}")


@st.dialog("Contactez-nous")
def _contact() -> None:
    contact_block(content.get_contact())


def footer() -> None:
    """The last lines of every page (drawn first, shown last: a page may stop early)."""
    # The container sits in a wrapper of the page's column: ordering that wrapper last moves
    # the footer under whatever the page draws after it.
    st.html("<style>div:has(> .st-key-portal_footer){order:9999}"
            ".st-key-portal_footer{margin-top:2rem;border-top:1px solid rgba(128,128,128,.3);"
            "padding-top:.4rem}.st-key-portal_footer button,.st-key-portal_footer a"
            "{font-size:.85rem}.st-key-portal_footer a{padding:0 .25rem}"
            # On a phone the three links fit one line without their separators.
            "@media (max-width:640px){.st-key-portal_footer>div:has([data-testid=stMarkdown])"
            "{display:none}}</style>")
    with st.container(key="portal_footer", horizontal=True, gap="small",
                      vertical_alignment="center"):
        if st.button("Mentions légales", type="tertiary", key="footer_legal"):
            _legal()
        st.markdown("·", width="content")
        if st.button("Contactez-nous", type="tertiary", key="footer_contact"):
            _contact()
        if not first_run.needs_setup():  # a first run's only page is the setup
            st.markdown("·", width="content")
            # ui.nav.PRIVACY: public, and in every role's menu.
            st.page_link("pages/privacy.py", label="Confidentialité")
