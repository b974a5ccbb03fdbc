"""The family's change requests still waiting for reception, shown on its file pages."""
from __future__ import annotations

import json

import streamlit as st

from services.actor import Actor
from services.families.changes import list_changes
from ui.format import moment
from ui.safe import md


def pending_changes(actor: Actor, fields: tuple[str, ...]) -> None:
    """List the family's pending requests for these fields, if any."""
    pending = [c for c in list_changes(actor) if c.field in fields]
    if not pending:
        return
    with st.container(border=True):
        st.markdown("**En attente de vérification par l'accueil**")
        for change in pending:
            value = change.new_value
            if change.field.startswith("guardian"):
                data = json.loads(value)
                value = f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
            who = f" ({md(change.child)})" if change.child else ""
            st.write(f"- {md(change.label)}{who} : {md(value or '—')} · demandé le "
                     f"{moment(change.requested_at)}")
