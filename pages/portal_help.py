"""Comment utiliser le portail ? The tutorial's steps in plain French, and the grid's legend."""
import streamlit as st

from ui import grid as ui_grid
from ui.guard import require_signed_in

actor = require_signed_in()

st.title("Comment utiliser le portail ?")
st.markdown("""
**1. Votre dossier.** Le dossier d'inscription se fait d'abord à l'accueil du centre, sur
papier. L'accueil vous envoie ensuite un lien par e-mail pour choisir votre mot de passe.
Sans dossier, vous ne pouvez pas vous connecter.

**2. Demander une inscription.** Dans « Nouvelle inscription », choisissez votre enfant, le
lieu d'accueil, le type d'activité, l'activité puis la période. Seules les périodes qui
correspondent à l'âge de votre enfant vous sont proposées. Vos tarifs s'affichent avant
d'envoyer la demande. Tant que l'accueil n'a pas répondu, l'inscription porte un « ? » sur
votre tableau de bord. Vous recevez un e-mail quand elle est validée ou refusée.

**3. Réserver des jours.** Une fois l'inscription validée, ouvrez « Mes réservations ».
Touchez les cases des jours et des accueils souhaités (elles deviennent jaune pâle), puis
appuyez sur **Valider** pour envoyer la demande. « Annuler » efface les cases cochées qui
n'ont pas encore été envoyées. Pour réserver les mêmes jours chaque semaine, utilisez
« Réservation selon une scolarité type » en bas de la page. Le « MEMO » en haut de la page
rappelle les dates limites pour réserver et pour annuler.

**4. Suivre vos demandes.** Un e-mail récapitule chaque demande. Une case verte est une
réservation validée ; une case orange est en liste d'attente, avec votre rang : si une place
se libère, elle vous revient automatiquement et vous êtes prévenu par e-mail. Le bouton
« Actualiser » recharge la grille.

**5. Annuler un jour.** Touchez une case verte, puis **Valider**, avant la date limite
d'annulation. Après cette date, contactez l'accueil.

**6. Payer.** Dans « Mon compte », cochez le montant à régler pour chaque inscription puis
payez par carte bancaire sur la page sécurisée de la banque. Vous pouvez aussi régler à
l'accueil (chèque, espèces, CESU…).

**Sur un téléphone**, la grille s'affiche par semaine : un grand bouton par accueil et par
jour. Le menu s'ouvre avec le bouton en haut à gauche.
""")
st.header("Légende de la grille", divider="gray")
ui_grid.css()
ui_grid.legend()
