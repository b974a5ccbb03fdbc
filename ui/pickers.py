"""Pickers shared by the back-office pages: site, activity, period, each limited to the
signed-in staff member's sites."""
from __future__ import annotations

from datetime import date

import streamlit as st

from services.actor import Actor
from services.staff import choices

ALL = "Tous"


def site(actor: Actor, key: str, allow_all: bool = False) -> int | None:
    """A site of the actor (or None for "Tous" when allowed)."""
    sites = choices.list_sites(actor)
    labels = ([ALL] if allow_all else []) + [s.label for s in sites]
    if not labels:
        st.warning("Aucun lieu d'accueil ne vous est attribué.")
        st.stop()
    picked = st.selectbox("Lieu d'accueil", labels, key=key)
    return next((s.id for s in sites if s.label == picked), None)


def activity(actor: Actor, site_id: int | None, key: str, allow_all: bool = True) -> int | None:
    """An activity of the site (or None for "Toutes")."""
    acts = choices.list_activities(actor, site_id)
    labels = (["Toutes"] if allow_all else []) + [a.label for a in acts]
    if not labels:
        st.info("Aucune activité sur ce lieu d'accueil.")
        st.stop()
    picked = st.selectbox("Activité", labels, key=key)
    return next((a.id for a in acts if a.label == picked), None)


def period(actor: Actor, activity_id: int | None, key: str) -> int | None:
    """A period of the activity (or None for "Toutes")."""
    periods = choices.list_periods(actor, activity_id) if activity_id else []
    labels = ["Toutes"] + [p.label for p in periods]
    picked = st.selectbox("Période", labels, key=key, disabled=not periods)
    return next((p.id for p in periods if p.label == picked), None)


def day(label: str, key: str, default: date, **options: object) -> date:
    """A date picker whose field and the board drawn from it never disagree.

    The default (the first day with a waiting list, today) is put in the session once and the
    widget is drawn without `value`: the day on screen, the day Streamlit would redraw the
    field with, and the day returned are one value, whatever the data does meanwhile. (Streamlit
    1.67 keys a keyed date_input on its key and format only, so a moving `value=` no longer
    remounts it; older releases did, and this helper keeps the pages independent of that.)"""
    if key not in st.session_state:
        st.session_state[key] = default
    return st.date_input(label, key=key, format="DD/MM/YYYY", **options)  # type: ignore[arg-type, return-value]
