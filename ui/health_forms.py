"""Ma famille: each child's health sheet and consents, and the people allowed to pick the
children up. Allergies, PAI, treatment and pick-up persons are checked by reception."""
from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from services.actor import Actor
from services.errors import PortalError
from services.health import consents, pickup
from services.health.forms import DIETS, HealthForm, PickupForm, parse_dates
from services.health.sheet import get_health_sheet, save_health_sheet
from ui.failure import show_error
from ui.format import day
from ui.safe import md
from services import clock

FLASH = "health_flash"
FIELDS = ("health_sheet", "pickup_add", "pickup_update", "pickup_remove")


def _done(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


def show_flash() -> None:
    if message := st.session_state.pop(FLASH, None):
        st.success(message)


def health_sheets(actor: Actor, children: list[Any]) -> None:
    """One expander per child: the fiche sanitaire, then the centre's consents."""
    st.header("Santé et autorisations", anchor=False)
    st.caption("Les allergies, le PAI et le traitement sont vérifiés par l'accueil avant d'être "
               "enregistrés ; le régime, le médecin, les vaccins et les autorisations sont "
               "enregistrés aussitôt.")
    for child in children:
        with st.expander(f"Fiche sanitaire de {md(child.first_name)}"):
            _sheet_form(actor, child.id)
            _consents_form(actor, child.id)


def _sheet_form(actor: Actor, child_id: int) -> None:
    view = get_health_sheet(actor, child_id)
    f = view.form
    if view.pending:
        st.info("Une modification des allergies, du PAI ou du traitement attend la "
                "vérification de l'accueil.")
    with st.form(f"health_{child_id}"):
        st.markdown("**Allergies** (laisser vide s'il n'y en a pas)")
        texts = {key: st.text_input(label, value=getattr(f, key), key=f"{key}_{child_id}")
                 for key, label in (
                     ("food_allergies", "Allergies alimentaires"),
                     ("food_action", "Conduite à tenir (alimentaires)"),
                     ("medicine_allergies", "Allergies médicamenteuses"),
                     ("medicine_action", "Conduite à tenir (médicaments)"),
                     ("other_allergies", "Autres allergies (asthme, piqûres…)"),
                     ("other_action", "Conduite à tenir (autres)"))}
        pai = st.checkbox("L'enfant a un PAI (projet d'accueil individualisé)", value=f.pai)
        treatment = st.text_area("Traitement régulier (médicament, dose, horaires)",
                                 value=f.treatment)
        diet = st.selectbox("Régime alimentaire", list(DIETS), format_func=DIETS.__getitem__,
                            index=list(DIETS).index(f.diet))
        diet_other = st.text_input("Si autre régime, lequel", value=f.diet_other)
        cols = st.columns(2)
        doctor = cols[0].text_input("Médecin traitant", value=f.doctor_name)
        doctor_phone = cols[1].text_input("Téléphone du médecin", value=f.doctor_phone)
        dtp = st.text_input("Vaccins DTP : dates (jj/mm/aaaa, séparées par des virgules)",
                            value=", ".join(d.strftime("%d/%m/%Y") for d in f.dtp_dates))
        booster = st.date_input("Date du dernier rappel DTP", value=f.dtp_last_booster,
                                format="DD/MM/YYYY", min_value=date(2000, 1, 1),
                                max_value=clock.today())
        other = st.text_area("Autres informations utiles (lunettes, appareil, peurs…)",
                             value=f.other_info)
        if st.form_submit_button("Enregistrer la fiche sanitaire", type="primary"):
            try:
                form = HealthForm(**texts, pai=pai, treatment=treatment, diet=diet,
                                  diet_other=diet_other, doctor_name=doctor,
                                  doctor_phone=doctor_phone,
                                  dtp_dates=parse_dates(dtp, "Vaccins DTP"),
                                  dtp_last_booster=booster, other_info=other)
                saved = save_health_sheet(actor, child_id, form)
            except PortalError as error:
                show_error(error)
            else:
                _done("Fiche enregistrée ; les allergies, le PAI et le traitement sont envoyés "
                      "à l'accueil, qui les vérifie." if saved.change_id else
                      "Fiche enregistrée." if saved.applied else "Aucun changement.")
    if view.updated_at:
        st.caption(f"Dernière mise à jour le {day(view.updated_at.date())} par "
                   f"{md(view.updated_by)}")


def _consents_form(actor: Actor, child_id: int) -> None:
    asked = consents.get_consents(actor, child_id)
    if not asked:
        return
    with st.form(f"consents_{child_id}"):
        st.markdown("**Autorisations**")
        answers = {}
        for c in asked:
            answers[c.consent_id] = st.radio(
                md(c.label), ["Oui", "Non"], horizontal=True, key=f"consent_{child_id}_{c.consent_id}",
                index=None if c.answer is None else (0 if c.answer else 1))
            if c.answered_at:
                st.caption(f"Répondu le {day(c.answered_at.date())} par {md(c.answered_by)}")
        if st.form_submit_button("Enregistrer les autorisations"):
            try:
                n = consents.answer_consents(actor, child_id, {
                    cid: a == "Oui" for cid, a in answers.items() if a is not None})
            except PortalError as error:
                show_error(error)
            else:
                _done(f"Autorisations enregistrées ({n} réponse(s) modifiée(s)).")


def pickup_persons(actor: Actor) -> None:
    """The family's pick-up persons and emergency contacts, with requests to change them."""
    st.header("Personnes autorisées et contacts d'urgence", anchor=False)
    if why := pickup.booking_blocker(actor):
        st.warning(md(why))
    people = pickup.list_pickup_persons(actor)
    for p in people:
        roles = [r for r, on in (("peut récupérer les enfants", p.may_pick_up),
                                 ("contact d'urgence", p.emergency)) if on]
        with st.container(border=True):
            st.markdown(f"**{md(p.name)}** ({md(p.relationship or 'proche')}) · {md(p.phone)}  \n"
                        f"{md(', '.join(roles))}")
            if st.button("Demander le retrait", key=f"pickup_remove_{p.id}"):
                _ask(lambda: pickup.request_pickup(actor, PickupForm(""), p.id, remove=True))
    with st.expander("Ajouter ou modifier une personne"):
        with st.form("pickup"):
            options = {0: "Nouvelle personne"} | {p.id: p.name for p in people}
            target = st.selectbox("Personne", list(options), format_func=options.__getitem__)
            name = st.text_input("Nom et prénom", key="pickup_name")
            relation = st.text_input("Lien avec l'enfant (grand-mère, voisin…)",
                                     key="pickup_relation")
            phone = st.text_input("Téléphone", key="pickup_phone")
            may = st.checkbox("Peut récupérer les enfants", value=True, key="pickup_may")
            urgent = st.checkbox("Contact en cas d'urgence", key="pickup_urgent")
            if st.form_submit_button("Envoyer la demande à l'accueil"):
                _ask(lambda: pickup.request_pickup(
                    actor, PickupForm(name, relation, phone, may, urgent), target or None))


def _ask(send: Any) -> None:
    try:
        send()
    except PortalError as error:
        show_error(error)
    else:
        _done("Demande envoyée à l'accueil, qui la vérifie et vous répond par mail.")
