"""Pointage: the children expected on a site and a day, ticked present or absent."""

import streamlit as st

from services.errors import PortalError
from services.reports import attendance_sheets
from services.staff import attendance, choices, health_day
from ui import health_panels, pickers, tables
from ui.downloads import export_buttons
from ui.failure import show_error
from ui.money import pdf_button
from ui.format import day
from ui.guard import require_staff
from ui.safe import md
from services import clock

actor = require_staff()

MARKS = {"present": "Présent", "absent": "Absent", "absent_justified": "Justifié"}

st.title("Pointage")
if "attendance_flash" in st.session_state:
    st.success(st.session_state.pop("attendance_flash"))
site_id = pickers.site(actor, "att_site")
chosen_day = pickers.day("Jour", "att_day", clock.today())
sheet = attendance.get_sheet(actor, site_id, chosen_day)
care = {c.child_id: c for c in health_day.list_day_health(actor, site_id, chosen_day)}

if sheet.totals:
    tables.table([{"Unité": t.unit, "Attendus": t.expected, "Présents": t.present,
                   "Absents": t.absent, "Justifiés": t.justified, "À pointer": t.unmarked}
                  for t in sheet.totals], hide_index=True, width="stretch")
else:
    st.info(f"Aucun enfant attendu le {day(chosen_day)} sur ce lieu.")
export_buttons(lambda: attendance_sheets.day_sheet(actor, chosen_day, [site_id]),
               f"pointage_{chosen_day:%Y-%m-%d}", "att_day", "Feuille du jour")
export_buttons(lambda: attendance_sheets.month_sheet(actor, chosen_day, [site_id]),
               f"pointage_{chosen_day:%Y-%m}", "att_month", "Feuille du mois")

for total in sheet.totals:
    rows = [r for r in sheet.rows if f"{r.activity} · {r.unit}" == total.unit]
    with st.form(f"sheet_{total.unit}"):
        st.markdown(f"**{md(total.unit)}**")
        st.caption(f"{total.expected} attendu(s) · {total.present} présent(s) · "
                   f"{total.absent + total.justified} absent(s) · {total.unmarked} à pointer")
        picks = {}
        for r in rows:
            label = (f"{md(r.child)} · {md(r.age_group)}"
                     + (" · réservation facilitée" if r.by_staff else "")
                     + f" {health_panels.badges(care.get(r.child_id))}").rstrip()
            picks[r.reservation_id] = st.segmented_control(
                label, list(MARKS), format_func=MARKS.get, key=f"mark_{r.reservation_id}",
                default=r.state if r.state in MARKS else None)
            if r.child_id in care:
                with st.expander(f"Santé et sortie · {md(r.child)}"):
                    health_panels.details(care[r.child_id])
        everyone = st.checkbox("Marquer présents tous ceux qui ne sont pas pointés")
        if st.form_submit_button("Enregistrer le pointage", type="primary",
                                 width="stretch"):
            marks = {rid: state for rid, state in picks.items() if state}
            if everyone:
                marks.update({r.reservation_id: "present" for r in rows
                              if not picks[r.reservation_id]})
            try:
                n = attendance.mark(actor, marks)
            except PortalError as error:
                show_error(error)
            else:
                st.session_state["attendance_flash"] = f"Pointage enregistré ({n} changement(s))."
                st.rerun()

if care:
    pdf_button("Liste du jour à imprimer (santé et sorties)",
               lambda: health_day.day_list_pdf(actor, site_id, chosen_day),
               f"liste-{chosen_day.isoformat()}.pdf", "att_pdf")

with st.expander("Ajouter un enfant arrivé sans réservation"):
    activity_id = pickers.activity(actor, site_id, "late_activity", allow_all=False)
    units = {u.label: u.id for u in choices.list_units(actor, activity_id)}
    unit_id = units[st.selectbox("Unité", list(units), key="late_unit")]
    candidates = {c.label: c.id for c in attendance.late_candidates(actor, unit_id, chosen_day)}
    if not candidates:
        st.caption("Aucun autre enfant inscrit à cette activité ce jour-là.")
    else:
        child = st.selectbox("Enfant", list(candidates), key="late_child")
        if st.button("Ajouter et marquer présent", key="late_add"):
            try:
                attendance.add_late_arrival(actor, candidates[child], unit_id, chosen_day)
            except PortalError as error:
                show_error(error)
            else:
                st.session_state["attendance_flash"] = (f"{md(child)} ajouté(e) et marqué(e) "
                                                        "présent(e).")
                st.rerun()
