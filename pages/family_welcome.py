"""Accueil: the centre's welcome message, its news, the canteen notice and its contact."""

import streamlit as st

from services.content import get_welcome
from ui import centre
from ui.guard import require_family
from ui.safe import md
from services import clock

actor = require_family()

welcome = get_welcome(actor, clock.today())
st.title("Accueil")
st.subheader("Bienvenue dans le portail famille"
             + (f" – {md(welcome.contact.name)}" if welcome.contact.name else ""))
if welcome.texts.welcome_message:
    st.markdown(centre.paragraphs(welcome.texts.welcome_message))
centre.canteen(welcome.texts.canteen_notice, welcome.texts.canteen_url)
st.header("Actualités", divider="gray")
centre.news_list(welcome.news)
st.header("Nous contacter", divider="gray")
centre.contact_block(welcome.contact)
