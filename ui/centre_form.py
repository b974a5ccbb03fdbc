"""The centre's profile fields, shared by the setup page and "Mon centre" (inside a form)."""
from __future__ import annotations

import streamlit as st

from services.organisation import Profile, ProfileForm


def profile_fields(current: Profile | None = None) -> ProfileForm:
    """Widgets for the organisation's identity, filled with `current`; returns what is typed."""
    now = current or Profile(id=None, name="")
    st.markdown("**La structure**")
    name = st.text_input("Nom de la structure *", now.name, max_chars=200,
                         placeholder="ex. Centre social des Tilleuls")
    address = st.text_input("Adresse", now.address, max_chars=300)
    cols = st.columns([1, 3])
    postal_code = cols[0].text_input("Code postal", now.postal_code, max_chars=10)
    city = cols[1].text_input("Ville", now.city, max_chars=100)
    cols = st.columns(2)
    phone = cols[0].text_input("Téléphone de l'accueil", now.phone, max_chars=25)
    email = cols[1].text_input("E-mail de l'accueil", now.email, max_chars=200)
    hours = st.text_input("Horaires d'ouverture de l'accueil", now.opening_hours, max_chars=200,
                          placeholder="ex. du lundi au vendredi, de 9h à 12h et de 14h à 18h")
    website = st.text_input("Site web", now.website, max_chars=300, placeholder="https://")
    documents = st.text_area("Documents à fournir par les familles", now.documents_required,
                             max_chars=2000)
    legal = st.text_area("Mentions légales", now.legal_notice, max_chars=5000,
                         help="Éditeur du site, hébergeur, responsable des données personnelles…")
    st.markdown("**Règlement intérieur**")
    rules_url = st.text_input("Lien vers le règlement intérieur", now.rules_url, max_chars=300,
                              placeholder="https://")
    return ProfileForm(name=name, address=address, postal_code=postal_code, city=city,
                       phone=phone, email=email, opening_hours=hours, website=website,
                       legal_notice=legal, rules_url=rules_url, documents_required=documents)


def rules_upload(key: str) -> bytes | None:
    """The règlement intérieur as a PDF file, if one is chosen."""
    # Streamlit's own line under the field ("5 Mo par fichier", put in French by fr.js)
    # then says the same limit as the label.
    uploaded = st.file_uploader("… ou le règlement intérieur en PDF (5 Mo au plus)",
                                type=["pdf"], key=key, max_upload_size=5)
    return uploaded.getvalue() if uploaded is not None else None
