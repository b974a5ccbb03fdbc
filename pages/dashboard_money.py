"""Finances: charged, paid, outstanding and overdue; families with an overdue balance."""
import streamlit as st

from services.errors import PortalError
from services.reports import money as report
from ui import charts
from ui.dashboards import IMAGE_HINT, chart, nothing, selection, table, today
from ui.failure import show_error
from ui.format import euros
from ui.guard import require_staff

actor = require_staff()

st.title("Facturation et impayés")
st.caption("Prestations facturées (hors annulées), réglées, restant dues et échues "
           "(échéance dépassée et non réglée), par lieu, activité et mois des journées. "
           + IMAGE_HINT)
choice = selection(actor, "money")
now = today()
try:
    found = report.summary(actor, choice.start, choice.end, now, choice.site_ids,
                           choice.age_group_ids)
except PortalError as error:
    show_error(error)
    st.stop()
frame, late = found.by_month, found.overdue_families
if frame.empty:
    nothing("Aucune prestation facturée sur cette sélection.")
    st.stop()

cols = st.columns(4)
for col, (key, label) in zip(cols, [("charged", "Facturé"), ("paid", "Réglé"),
                                     ("outstanding", "Reste dû"), ("overdue", "Échu impayé")]):
    col.metric(label, euros(int(frame[key].sum())))

LABELS = {"charged": "Facturé", "paid": "Réglé", "outstanding": "Reste dû",
          "overdue": "Échu impayé"}
per_month = frame.groupby(["site", "month"], as_index=False)[list(LABELS)].sum()
long = per_month.melt(id_vars=["site", "month"], value_vars=list(LABELS), var_name="kind",
                      value_name="cents")
long["euros"] = long["cents"] / 100  # display only: the figures themselves stay in cents
long["kind"] = long["kind"].map(LABELS)
chart(charts.bars(long, "month", "euros", "kind", "Montants par mois (€)",
                  {"month": "Mois", "euros": "Montant (€)", "kind": ""}, facet="site",
                  money=True),
      "facturation_par_mois", "money_bars")

shown = frame.copy()
for key in LABELS:
    shown[key] = shown[key].map(euros)
st.subheader("Par lieu, activité et mois")
table(shown, {"site": "Lieu d'accueil", "activity": "Activité", "month": "Mois", **LABELS},
      "facturation", "money_table")
st.subheader("Familles avec un impayé échu")
if late.empty:
    nothing("Aucune famille n'a d'impayé échu sur cette sélection.")
else:
    late_shown = late.copy()
    for key in ("due", "paid", "overdue"):
        late_shown[key] = late_shown[key].map(euros)
    table(late_shown, {"family": "Famille", "email": "E-mail", "phone": "Téléphone",
                       "due": "Échu facturé", "paid": "Réglé", "overdue": "Échu impayé"},
          "familles_impayes", "money_late")
