"""Comptes du personnel: invite reception and direction, choose their sites, deactivate."""
import streamlit as st

from services.auth import links
from services.config import accounts, sites
from ui import flash, tables
from ui.guard import require_manager
from ui.safe import md

actor = require_manager()

st.title("Comptes du personnel")
flash.show("accounts_flash")
ROLES = {"staff": "Accueil (ses lieux d'accueil)", "manager": "Direction (tous les lieux)"}
site_names = {s.id: s.name for s in sites.list_sites(actor)}
people = accounts.list_accounts(actor)


def save(call, message: str) -> None:  # type: ignore[no-untyped-def]
    flash.save(call, message, "accounts_flash")


def state(a: accounts.AccountView) -> str:
    if not a.active:
        return "Désactivé"
    return "Actif" if a.has_password else "Invité (mot de passe pas encore choisi)"


def places(a: accounts.AccountView) -> str:
    if a.role == "manager":
        return "Tous"
    return ", ".join(sorted(site_names.get(s, "?") for s in a.site_ids))


tables.table([{"Nom": a.name, "E-mail": a.email, "Rôle": ROLES[a.role].split(" (")[0],
               "Lieux d'accueil": places(a), "État": state(a)} for a in people],
             hide_index=True, width="stretch")

# Bumped after each invitation sent, so the form comes back empty for the next person.
sent = st.session_state.setdefault("invitations_sent", 0)


def invite(email: str, name: str, role: str, chosen: list[int]) -> None:
    accounts.invite(actor, email, name, role, chosen)
    st.session_state["invitations_sent"] = sent + 1


with st.expander("Inviter une personne", expanded=not people):
    with st.form("invite"):
        name = st.text_input("Nom affiché", key=f"invite_name_{sent}",
                             placeholder="ex. Accueil Nord")
        email = st.text_input("Adresse e-mail", key=f"invite_email_{sent}")
        role = st.radio("Rôle", list(ROLES), format_func=ROLES.get, key=f"invite_role_{sent}",
                        horizontal=True)
        chosen = st.multiselect("Lieux d'accueil (pour l'accueil)", list(site_names),
                                format_func=site_names.get, key=f"invite_sites_{sent}")
        st.caption(f"La personne reçoit par mail un lien à usage unique, valable "
                   f"{links.valid_hours()} heures, pour choisir son mot de passe. Aucun mot "
                   "de passe n'est envoyé.")
        if st.form_submit_button("Envoyer l'invitation", type="primary"):
            save(lambda: invite(email, name, role, chosen),
                 f"Invitation envoyée à {md(email.strip().lower())}.")

if not people:
    st.stop()
labels = [f"{a.name} · {a.email}" for a in people]
person = people[labels.index(st.selectbox("Compte à modifier", labels, key="accounts_pick"))]
st.markdown(f"**{md(person.name)}** · {md(person.email)} · {state(person)}")

with st.form(f"access_{person.id}"):
    new_role = st.radio("Rôle", list(ROLES), index=list(ROLES).index(person.role),
                        format_func=ROLES.get, horizontal=True, key=f"role_{person.id}")
    new_sites = st.multiselect("Lieux d'accueil (pour l'accueil)", list(site_names),
                               default=sorted(person.site_ids & set(site_names)),
                               format_func=site_names.get, key=f"sites_{person.id}")
    st.caption("Le changement s'applique dès la prochaine action de la personne.")
    if st.form_submit_button("Enregistrer le rôle et les lieux"):
        save(lambda: accounts.update_access(actor, person.id, new_role, new_sites),
             f"Accès de {md(person.name)} enregistrés.")

cols = st.columns(2)
if person.active:
    if cols[0].button("Désactiver ce compte", key=f"deactivate_{person.id}",
                      help="La personne ne peut plus se connecter ; ses sessions ouvertes "
                           "se ferment à sa prochaine action."):
        save(lambda: accounts.deactivate(actor, person.id),
             f"Compte de {md(person.name)} désactivé : ses sessions sont fermées.")
    if not person.has_password and cols[1].button("Renvoyer le lien d'invitation",
                                                  key=f"resend_{person.id}"):
        save(lambda: links.send_invitation(actor, person.id),
             f"Nouveau lien envoyé à {md(person.email)} (l'ancien ne fonctionne plus).")
elif cols[0].button("Réactiver ce compte", key=f"reactivate_{person.id}"):
    save(lambda: accounts.reactivate(actor, person.id),
         f"Compte de {md(person.name)} réactivé.")
