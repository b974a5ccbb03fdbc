"""Accueil des familles: the welcome message, booking memo, canteen notice and news that
families read (managers)."""

import streamlit as st

from services import content
from services.content import FamilyTexts
from services.errors import PortalError
from ui.failure import show_error
from ui.format import day
from ui.guard import require_manager
from ui.safe import md
from services import clock

actor = require_manager()

st.title("Accueil des familles")
st.caption("Ce que les familles lisent : le message de la page « Accueil », le mémo au-dessus "
           "de la grille de « Mes réservations », l'info cantine et les actualités. Les "
           "coordonnées du centre se modifient dans la fiche du centre.")
if flash := st.session_state.pop("family_texts_flash", None):
    st.success(flash)


def _done(message: str) -> None:
    st.session_state["family_texts_flash"] = message
    st.rerun()


texts = content.get_family_texts(actor)
with st.form("family_texts"):
    welcome = st.text_area("Message d'accueil", texts.welcome_message, height=120,
                           help="En tête de la page « Accueil » des familles.")
    memo = st.text_area("Message aux parents (mémo réservation)", texts.booking_memo, height=120,
                        help="En tête du « MEMO : Informations réservation ».")
    notice = st.text_area("Info cantine", texts.canteen_notice, height=100,
                          help="La cantine relève de la ville : ce texte renvoie vers elle.")
    url = st.text_input("Lien de la cantine", texts.canteen_url,
                        placeholder="https://www.ville.fr/cantine")
    saved = st.form_submit_button("Enregistrer les textes", type="primary")
if saved:
    try:
        content.update_family_texts(actor, FamilyTexts(welcome, memo, notice, url))
    except PortalError as error:
        show_error(error)
    else:
        _done("Textes enregistrés : les familles les voient dès maintenant.")

st.header("Actualités", divider="gray")
with st.form("news_new", clear_on_submit=True):
    st.markdown("**Nouvelle actualité**")
    title = st.text_input("Titre", key="news_title")
    published = st.date_input("Publiée à partir du", clock.today(), format="DD/MM/YYYY",
                              key="news_day")
    body = st.text_area("Texte", key="news_body")
    added = st.form_submit_button("Publier", icon=":material/add:")
if added:
    try:
        content.create_news(actor, title, body, published)
    except PortalError as error:
        show_error(error)
    else:
        _done("Actualité publiée.")

items = content.list_news(actor)
if not items:
    st.write("Aucune actualité.")
for item in items:
    waiting = " (à venir)" if item.published_on > clock.today() else ""
    with st.expander(f"{day(item.published_on)} · {md(item.title)}{waiting}"):
        with st.form(f"news_{item.id}"):
            new_title = st.text_input("Titre", item.title, key=f"news_title_{item.id}")
            new_day = st.date_input("Publiée à partir du", item.published_on,
                                    format="DD/MM/YYYY", key=f"news_day_{item.id}")
            new_body = st.text_area("Texte", item.body, key=f"news_body_{item.id}")
            cols = st.columns(2)
            save = cols[0].form_submit_button("Enregistrer")
            drop = cols[1].form_submit_button("Supprimer", icon=":material/delete:")
        try:
            if save:
                content.update_news(actor, item.id, new_title, new_body, new_day)
                _done("Actualité modifiée.")
            if drop:
                content.delete_news(actor, item.id)
                _done("Actualité supprimée.")
        except PortalError as error:
            show_error(error)
