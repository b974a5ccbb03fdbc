"""File de validation: documents and absences sent by families (ui/reviews.py), then
registration, booking and cancellation requests, oldest first."""
import streamlit as st

from services.errors import PortalError
from services.reports.queue_sheet import validation_queue
from services.staff import decisions
from services.staff.queue import KIND_LABELS, QueueFilter, list_queue
from ui import pickers, reviews
from ui.failure import show_error
from ui.format import day, moment
from ui.guard import require_staff
from ui.downloads import export_buttons
from ui.safe import md

actor = require_staff()

st.title("File de validation")
st.caption("Les demandes les plus anciennes d'abord. Cochez une ou plusieurs demandes, "
           "puis validez ou refusez-les ; la famille reçoit un mail dans tous les cas.")
reviews.section(actor)
for line in st.session_state.pop("queue_results", []):
    (st.success if line.startswith("✓") else st.warning)(line)
with st.expander("Filtres", expanded=False):
    site_id = pickers.site(actor, "queue_site", allow_all=True)
    activity_id = pickers.activity(actor, site_id, "queue_activity") if site_id else None
    period_id = pickers.period(actor, activity_id, "queue_period")
    kinds = st.multiselect("Type de demande", list(KIND_LABELS.values()),
                           default=list(KIND_LABELS.values()), placeholder="Choisir…")
    since = st.date_input("Jours réservés à partir du", value=None, format="DD/MM/YYYY")

chosen_filter = QueueFilter(site_id, activity_id, period_id, since)
try:
    items = list_queue(actor, chosen_filter)
except PortalError as error:
    show_error(error)
    st.stop()
items = [i for i in items if KIND_LABELS[i.kind] in kinds]
if not items:
    st.success("Aucune demande en attente : tout est traité.")
    st.stop()

counts = {label: sum(1 for i in items if KIND_LABELS[i.kind] == label)
          for label in KIND_LABELS.values()}
st.write(" · ".join(f"**{n}** {md(label.lower())}(s)" for label, n in counts.items() if n))
export_buttons(lambda: validation_queue(actor, chosen_filter, [k for k, label in
                                                            KIND_LABELS.items() if label in kinds]),
               "file_de_validation", "queue_export", "File de validation")
select_all = st.checkbox("Tout sélectionner", key="queue_all")
chosen = []
for item in items[:200]:
    key = f"pick_{item.kind}_{item.id}"
    what = f"{item.activity} – {item.period}"
    if item.day:
        what = f"{item.activity} · {day(item.day)} · {item.unit}"
    with st.container(border=True):
        if st.checkbox(f"**{KIND_LABELS[item.kind]}** · {md(item.child)} "
                       f"(famille {md(item.family)})",
                       key=key, value=select_all):
            chosen.append(item)
        st.caption(f"{md(what)} · {md(item.site)} · reçue le {moment(item.requested_at)}")
if len(items) > 200:
    st.info(f"{len(items) - 200} autres demandes : affinez les filtres pour les voir.")

reason = st.text_input("Motif (facultatif, envoyé à la famille)", max_chars=1000)
left, right = st.columns(2)
validate = left.button("Valider la sélection", type="primary", width="stretch",
                       disabled=not chosen)
refuse = right.button("Refuser la sélection", width="stretch", disabled=not chosen)
if validate or refuse:
    deciders = {"registration": decisions.decide_registrations,
                "booking": decisions.decide_bookings,
                "cancellation": decisions.decide_cancellations}
    results = []
    try:
        for kind, decide in deciders.items():
            ids = [i.id for i in chosen if i.kind == kind]
            if ids:
                results += [(kind, r) for r in decide(actor, ids, bool(validate), reason)]
    except PortalError as error:
        show_error(error)
    else:
        st.session_state["queue_results"] = [
            f"{'✓' if r.ok else '✗'} {KIND_LABELS[k]} n° {r.id} : {md(r.message)}"
            for k, r in results]
        for item in chosen:
            st.session_state.pop(f"pick_{item.kind}_{item.id}", None)
        st.session_state.pop("queue_all", None)
        st.rerun()
