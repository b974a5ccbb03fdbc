"""The guardians of a family with their portal access, the payer and each one's mails:
on « Ma famille » (the family) and in the family file (reception)."""
from __future__ import annotations

import streamlit as st

from services.actor import Actor
from services.auth.links import valid_hours
from services.families.guardians import (PREFERENCE_LABELS, GuardianAccess, invite_guardian,
                                         list_guardians, set_mail_preference, set_payer)
from ui import flash
from ui.safe import md

FLASH = "guardian_flash"


def _access(g: GuardianAccess) -> str:
    if g.has_password:
        return "a son accès au portail"
    if g.has_login:
        return "invitation envoyée, en attente"
    return "pas encore d'accès au portail" if g.email else "sans e-mail, pas d'accès au portail"


def _line(g: GuardianAccess) -> str:
    payer = " · **Payeur**" if g.is_payer else ""
    me = " (vous)" if g.is_me else ""
    return (f"**{md(g.first_name)} {md(g.last_name)}**{me} "
            f"({md(g.relationship or 'responsable')}) · {md(g.email or 'sans e-mail')} · "
            f"{md(g.phone or 'sans téléphone')} · "
            f"{_access(g)} · mails : {PREFERENCE_LABELS[g.mail_preference].lower()}{payer}")


def _invite_button(actor: Actor, g: GuardianAccess, label: str) -> None:
    if g.may_be_invited and st.button(label, key=f"invite_guardian_{g.id}",
                                      icon=":material/send:"):
        flash.save(lambda: invite_guardian(actor, g.id),
                   f"Lien envoyé à {md(g.first_name)} {md(g.last_name)} : il est valable "
                   f"{valid_hours()} heures et ne sert qu'une fois.", FLASH)


def family_panel(actor: Actor) -> None:
    """« Ma famille »: each guardian, their access and mails; the signed-in guardian's choice."""
    flash.show(FLASH)
    people = list_guardians(actor)
    for g in people:
        with st.container(border=True):
            st.markdown(_line(g))
            _invite_button(actor, g, f"Inviter {md(g.first_name)} sur le portail")
    me = next((g for g in people if g.is_me), None)
    if me is None:
        return
    with st.form("mail_preference"):
        choice = st.radio("Les mails de la famille que je reçois", list(PREFERENCE_LABELS),
                          index=list(PREFERENCE_LABELS).index(me.mail_preference),
                          format_func=PREFERENCE_LABELS.__getitem__)
        st.caption("Les reçus, rappels de paiement, avoirs et les mails sur la santé ou la "
                   "sécurité des enfants vont toujours au payeur de la famille.")
        if st.form_submit_button("Enregistrer mon choix"):
            flash.save(lambda: set_mail_preference(actor, choice),
                       "Votre choix de mails est enregistré.", FLASH)


def staff_panel(actor: Actor, family_id: int) -> None:
    """The family file: guardians' access (an invitation each) and the one payer."""
    flash.show(FLASH)
    people = list_guardians(actor, family_id)
    if not people:
        return
    st.markdown("**Responsables légaux et accès au portail**")
    for g in people:
        st.markdown(_line(g))
        _invite_button(actor, g, f"Ouvrir l'accès de {md(g.first_name)} {md(g.last_name)}")
    options = {g.id: f"{g.first_name} {g.last_name}" for g in people}
    payer = next((g.id for g in people if g.is_payer), None)
    with st.form(f"payer_{family_id}"):
        picked = st.selectbox("Payeur (reçoit toujours les mails de paiement et de sécurité)",
                              list(options), format_func=options.__getitem__,
                              index=list(options).index(payer) if payer in options else 0)
        if st.form_submit_button("Désigner le payeur"):
            flash.save(lambda: set_payer(actor, picked), "Payeur enregistré.", FLASH)
