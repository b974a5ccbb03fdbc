"""The paper family form at the desk, and the small forms of a family file."""
from __future__ import annotations

from datetime import date

import streamlit as st

from services.actor import Actor
from services import validate
from services.errors import PortalError
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.staff import choices, family_edit
from services.staff.family_edit import FamilyDetails
from services.staff.family_files import FamilyFile
from services.families.names import full_name
from ui.failure import show_error
from services import clock

DOCUMENTS = ["Attestation d'assurance civile", "Attestation de QF (CAF)", "Mutuelle",
             "Jugement (garde des enfants)", "Carnet de vaccination", "Fiche sanitaire"]
SEXES = {"": "", "F": "Fille", "M": "Garçon"}
OLDEST = date(clock.today().year - 18, 1, 1)


def _qf(text: str) -> int | None:
    """The QF typed at the desk; a French InvalidInput when it is not a whole number."""
    if not text.strip():
        return None
    return validate.integer(text, "Quotient familial", minimum=0, maximum=100_000)


def _guardian(prefix: str, required: bool) -> GuardianForm | None:
    cols = st.columns(2)
    first = cols[0].text_input("Prénom" + (" *" if required else ""), key=f"{prefix}_first")
    last = cols[1].text_input("Nom" + (" *" if required else ""), key=f"{prefix}_last")
    email = cols[0].text_input("E-mail (pour le portail)", key=f"{prefix}_email")
    phone = cols[1].text_input("Téléphone", key=f"{prefix}_phone")
    if not (first or last or email or phone):
        return None
    return GuardianForm(first, last, email, phone)


def _child(n: int) -> tuple:  # type: ignore[type-arg]
    cols = st.columns([2, 2, 2, 1])
    first = cols[0].text_input("Prénom", key=f"child{n}_first")
    last = cols[1].text_input("Nom", key=f"child{n}_last")
    born = cols[2].date_input("Né(e) le", value=None, min_value=OLDEST, max_value=clock.today(),
                              format="DD/MM/YYYY", key=f"child{n}_born")
    sex = cols[3].selectbox("Sexe", list(SEXES), format_func=SEXES.get, key=f"child{n}_sex")
    school = st.text_input("École", key=f"child{n}_school")
    return first, last, born, sex, school


def _children(raw: list[tuple]) -> list[ChildForm]:  # type: ignore[type-arg]
    """Filled rows as children; a row with a name but no birth date is an error."""
    kids = []
    for first, last, born, sex, school in raw:
        if not first and not last:
            continue
        if born is None:
            raise ValueError("date")
        kids.append(ChildForm(first, last, born, sex, school))
    return kids


def new_family(actor: Actor) -> int | None:
    """The paper form; returns the new family's id once created."""
    count = st.number_input("Nombre d'enfants", 1, 6, 1, key="nf_children")
    with st.form("new_family", clear_on_submit=False):
        st.markdown("**Foyer**")
        name = st.text_input("Nom de la famille *", key="nf_name")
        cols = st.columns([3, 1, 2])
        address = cols[0].text_input("Adresse", key="nf_address")
        postal = cols[1].text_input("Code postal", key="nf_postal")
        city = cols[2].text_input("Ville", key="nf_city")
        qf_text = st.text_input("Quotient familial (QF, en euros)", key="nf_qf")
        st.markdown("**Responsable légal 1**")
        first = _guardian("g1", True)
        st.markdown("**Responsable légal 2** (facultatif)")
        second = _guardian("g2", False)
        st.markdown("**Enfants**")
        raw = []
        for n in range(int(count)):
            with st.container(border=True):
                raw.append(_child(n))
        st.markdown("**Contact à prévenir** (facultatif)")
        contact = _guardian("contact", False)
        docs = st.multiselect("Pièces reçues", DOCUMENTS, key="nf_docs", placeholder="Choisir…")
        invite = st.checkbox("Envoyer tout de suite le lien pour créer le mot de passe",
                             value=True, key="nf_invite")
        submitted = st.form_submit_button("Créer le dossier", type="primary")
    if not submitted:
        return None
    try:
        form = FamilyForm(name, [g for g in (first, second) if g], _children(raw),
                          address, postal, city, qf=_qf(qf_text))
        return family_edit.register_family(
            actor, choices.organisation_id(actor), form, [contact] if contact else [], docs,
            clock.today(), invite)
    except ValueError:
        st.error("Vérifiez le QF (un nombre entier) et la date de naissance de chaque enfant.")
    except PortalError as error:
        show_error(error)
    return None


def edit_details(actor: Actor, file: FamilyFile) -> bool:
    """The family's details; True once saved."""
    with st.form(f"details_{file.id}"):
        name = st.text_input("Nom de la famille", file.name)
        cols = st.columns([3, 1, 2])
        address = cols[0].text_input("Adresse", file.address)
        postal = cols[1].text_input("Code postal", file.postal_code)
        city = cols[2].text_input("Ville", file.city)
        cols = st.columns(3)
        phone = cols[0].text_input("Téléphone", file.phone)
        email = cols[1].text_input("E-mail du foyer", file.email)
        qf_text = cols[2].text_input("QF", "" if file.qf is None else str(file.qf))
        notes = st.text_area("Notes de l'accueil", file.notes)
        if not st.form_submit_button("Enregistrer"):
            return False
    try:
        family_edit.update_family(actor, file.id, FamilyDetails(
            name, address, postal, city, phone, email, _qf(qf_text), notes))
    except ValueError:
        st.error("Le QF doit être un nombre entier.")
        return False
    except PortalError as error:
        show_error(error)
        return False
    return True


def edit_children(actor: Actor, file: FamilyFile) -> str | None:
    """Correct a child, or add one; returns a message once saved."""
    options = {full_name(c.first_name, c.last_name): c for c in file.children}
    picked = st.selectbox("Enfant", ["Nouvel enfant", *options], key="edit_child_pick")
    child = options.get(picked)
    with st.form(f"child_{child.id if child else 'new'}"):
        cols = st.columns(2)
        first = cols[0].text_input("Prénom", child.first_name if child else "")
        last = cols[1].text_input("Nom", child.last_name if child else file.name)
        born = cols[0].date_input("Né(e) le", child.birth_date if child else None,
                                  min_value=OLDEST, max_value=clock.today(), format="DD/MM/YYYY")
        sex = cols[1].selectbox("Sexe", list(SEXES), format_func=SEXES.get,
                                index=list(SEXES).index(child.sex) if child else 0)
        school = st.text_input("École", child.school if child else "")
        health = st.text_area("Santé, allergies, PAI", child.health_notes if child else "")
        if not st.form_submit_button("Enregistrer l'enfant"):
            return None
    if born is None:
        st.error("Indiquez la date de naissance.")
        return None
    form = ChildForm(first, last, born, sex, school, health)
    try:
        if child:
            family_edit.update_child(actor, child.id, form)
        else:
            family_edit.add_child(actor, file.id, form)
    except PortalError as error:
        show_error(error)
        return None
    return "Enfant enregistré."


def edit_guardians(actor: Actor, file: FamilyFile) -> str | None:
    """Correct a guardian or a contact; returns a message once saved."""
    if not file.guardians:
        return None
    options = {f"{g.first_name} {g.last_name} ({g.relationship or 'Responsable'})": g
               for g in file.guardians}
    g = options[st.selectbox("Responsable ou contact", list(options), key="edit_guardian_pick")]
    with st.form(f"guardian_{g.id}"):
        cols = st.columns(2)
        first = cols[0].text_input("Prénom", g.first_name)
        last = cols[1].text_input("Nom", g.last_name)
        email = cols[0].text_input("E-mail (connexion au portail)", g.email)
        phone = cols[1].text_input("Téléphone", g.phone)
        relationship = st.text_input("Lien (Mère, Père, Contact…)", g.relationship)
        if not st.form_submit_button("Enregistrer le responsable"):
            return None
    try:
        family_edit.update_guardian(actor, g.id, GuardianForm(first, last, email, phone,
                                                              relationship))
    except PortalError as error:
        show_error(error)
        return None
    return "Responsable enregistré."
