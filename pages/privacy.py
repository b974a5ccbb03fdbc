"""Confidentialité: what the portal keeps, why and how long (RGPD). Public page: families
read it before they sign in; every role finds it in its menu and in the footer."""
import streamlit as st

from services.families.rights.notice import get_privacy_facts
from ui.centre import contact_block
from ui.safe import md

facts = get_privacy_facts()

st.title("Confidentialité")
st.write("Cette page explique quelles données le portail famille conserve, pourquoi, combien "
         "de temps, et comment exercer vos droits (Règlement général sur la protection des "
         "données, RGPD).")

st.subheader("Qui est responsable de vos données")
who = facts.centre.name or "le centre"
st.markdown(f"Le responsable du traitement est **{md(who)}**, qui gère l'accueil de vos "
            "enfants. Vos données ne sont ni vendues, ni cédées, ni utilisées à des fins "
            "publicitaires.")

st.subheader("Ce que nous conservons, et pourquoi")
st.markdown("""
- **Votre dossier famille** : noms, adresse, téléphone, e-mail des responsables légaux et
  quotient familial, pour vous joindre et appliquer le tarif qui vous correspond.
- **Vos enfants** : nom, date de naissance, école, et les informations de santé que vous
  nous confiez, pour les inscrire dans la bonne tranche d'âge et les accueillir en sécurité.
- **Inscriptions, réservations et présences**, pour organiser les places, les listes
  d'attente et le pointage, et établir les bilans demandés par la CAF.
- **Factures, règlements et avoirs**, pour la comptabilité du centre. Aucun numéro de
  carte bancaire n'est conservé : le paiement par carte se fait sur la page de la banque.
- **Les e-mails envoyés** par le portail et le **journal des actions** (qui a fait quoi et
  quand), pour répondre à vos questions et garder la trace des modifications.
""")

st.subheader("Combien de temps")
st.markdown(f"""
- Tant que votre compte est ouvert, vos données restent disponibles pour vous et pour
  l'accueil.
- Une connexion dure au plus {facts.session_hours:d} heures ; un lien reçu par e-mail reste
  valable {facts.link_hours:d} heures et ne sert qu'une fois.
- Après la clôture de votre compte, les pièces comptables (factures, règlements, avoirs)
  sont conservées **{facts.retention_years:d} ans** après la dernière d'entre elles, comme la
  loi l'impose. Passé ce délai, votre dossier est **anonymisé** : noms, coordonnées, dates
  de naissance, informations de santé et textes libres sont effacés ; seuls les montants,
  les dates et les numéros de facture restent, sans aucun nom.
""")

st.subheader("Vos droits")
st.markdown("""
- **Accès et portabilité** : dans « Mon compte », « Télécharger mes données » vous donne
  un fichier ZIP avec toutes vos données (tableaux lisibles avec un tableur, un fichier
  JSON, vos attestations et reçus).
- **Rectification** : « Mes coordonnées » et « Ma famille », ou l'accueil du centre.
- **Clôture du compte** : dans « Mon compte », « Clôturer mon compte ».
- **Réclamation** : vous pouvez saisir la CNIL (www.cnil.fr).
""")

st.subheader("Nous contacter")
contact_block(facts.centre)
