"""Nouvelle inscription: site, then activity type, then activity, then period (only the
periods whose age group fits the child)."""

import streamlit as st

from services import organisation, registrations
from services.catalogue.offer import list_offer
from services.catalogue.prices import get_family_prices
from services.errors import PortalError
from services.families.overview import get_overview
from ui.failure import show_error
from ui.format import day
from ui.guard import require_family
from ui.prices import price_list
from ui.safe import md
from services.families.names import full_name
from services import clock

actor = require_family()

st.title("Nouvelle inscription")
st.caption("Demande d'inscription (pré-inscription) : l'accueil la valide"
           f"{md(organisation.get_profile().hours_sentence)}. Vous recevez un mail dans les "
           "deux cas.")
if done := st.session_state.pop("registration_flash", None):
    st.success(done)

overview = get_overview(actor, clock.today())
children = {c.id: c for c in overview.children}
if not children:
    st.info("Aucun enfant dans votre dossier : contactez l'accueil.")
    st.stop()
child_id = st.selectbox("Enfant", list(children), format_func=lambda i: (
    f"{full_name(children[i].first_name, children[i].last_name)} ({children[i].age} ans)"))
offer = list_offer(actor, child_id, clock.today())
if not offer.choices:
    st.warning(f"Aucune période ouverte ne correspond à l'âge de {md(offer.first_name)} "
               f"({offer.age} ans) pour le moment.")
    st.stop()


def pick(label: str, options: list, key: str):  # type: ignore[no-untyped-def]
    """A select box over (id, name) pairs, in order, without duplicates."""
    names = dict(options)
    return st.selectbox(label, list(names), format_func=names.__getitem__, key=key)


choices = offer.choices
site = pick("Choix du lieu d'accueil", [(c.site_id, c.site) for c in choices], "new_site")
choices = [c for c in choices if c.site_id == site]
if choices[0].site_address:
    st.caption(f":material/location_on: {md(choices[0].site)} : {md(choices[0].site_address)}")
kind = pick("Choix du type d'activité", [(c.activity_type_id, c.activity_type) for c in choices],
            "new_type")
choices = [c for c in choices if c.activity_type_id == kind]
activity = pick("Choix de l'activité", [(c.activity_id, c.activity) for c in choices],
                "new_activity")
choices = [c for c in choices if c.activity_id == activity]
if choices[0].activity_description:
    st.caption(md(choices[0].activity_description))
period = pick("Choix de la période", [(c.period_id, f"{c.period} – du {day(c.start)} au "
                                                    f"{day(c.end)}") for c in choices], "new_period")
chosen = next(c for c in choices if c.period_id == period)
st.info(f"Seules les périodes de la tranche d'âge de {md(offer.first_name)} "
        f"({md(chosen.age_group)}) "
        "vous sont proposées. Les réservations de jours sont "
        + ("validées par l'accueil." if chosen.staff_validates_bookings
           else "validées automatiquement dans la limite des places."))
price_list(get_family_prices(actor, period))
if st.button("Enregistrer ma demande", type="primary", icon=":material/send:"):
    try:
        registrations.request_registration(actor, child_id, period)
    except PortalError as error:
        show_error(error)
    else:
        st.session_state["registration_flash"] = (
            f"Demande envoyée pour {md(offer.first_name)} : « {md(chosen.activity)} – "
            f"{md(chosen.period)} ». "
            "Elle apparaît avec « ? » (en attente de validation) sur votre tableau de bord.")
        st.rerun()
