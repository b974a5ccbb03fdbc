"""The form of a period's dates and booking rules (new or edited)."""
from __future__ import annotations

from datetime import date, datetime, time

import streamlit as st

from services.booking.rules import LOCAL
from services.config.offer import PeriodSettings
from services import clock

DAYS = {"1": "lundi", "2": "mardi", "3": "mercredi", "4": "jeudi", "5": "vendredi",
        "6": "samedi", "7": "dimanche"}


def blank() -> PeriodSettings:
    today = clock.today()
    return PeriodSettings("", today, today, "12345", datetime.now(LOCAL).replace(
        minute=0, second=0, microsecond=0), (1, time(15)), (1, time(15)), True, False, True)


def period_fields(key: str, s: PeriodSettings) -> PeriodSettings:
    """Widgets for every setting, inside the caller's form; returns what is entered."""
    name = st.text_input("Nom de la période", s.name, key=f"{key}_name")
    cols = st.columns(2)
    start = cols[0].date_input("Début", s.start, format="DD/MM/YYYY", key=f"{key}_start")
    end = cols[1].date_input("Fin", s.end, format="DD/MM/YYYY", key=f"{key}_end")
    days = st.multiselect("Jours d'ouverture", list(DAYS), [d for d in s.weekdays],
                          format_func=DAYS.get, key=f"{key}_days", placeholder="Choisir…")
    opens = s.booking_opens_at.astimezone(LOCAL)
    cols = st.columns(2)
    open_day = cols[0].date_input("Ouverture des réservations le", opens.date(),
                                  format="DD/MM/YYYY", key=f"{key}_open_day")
    open_time = cols[1].time_input("à", opens.time(), key=f"{key}_open_time")
    cols = st.columns(4)
    add_days = cols[0].number_input("Ajout : jours avant", 0, 60, s.add_deadline[0],
                                    key=f"{key}_add_days")
    add_time = cols[1].time_input("Ajout : heure limite", s.add_deadline[1], key=f"{key}_add_t")
    cancel_days = cols[2].number_input("Annulation : jours avant", 0, 60, s.cancel_deadline[0],
                                       key=f"{key}_cancel_days")
    cancel_time = cols[3].time_input("Annulation : heure limite", s.cancel_deadline[1],
                                     key=f"{key}_cancel_t")
    by_staff = st.checkbox("Les réservations sont validées par l'accueil",
                           not s.auto_validate, key=f"{key}_staff")
    partial = st.checkbox("Paiement partiel autorisé", s.partial_payment, key=f"{key}_partial")
    open_reg = st.checkbox("Inscriptions ouvertes", s.registration_open, key=f"{key}_reg")
    pay_before = st.number_input(
        "Paiement : au plus tard N jours avant le début de la période", 0, 365,
        s.pay_days_before_start, key=f"{key}_pay_before",
        help="Une réservation est à régler à la plus tardive de deux dates : quelques jours "
             "après sa validation (réglage PAYMENT_DAYS), ou N jours avant le début de la "
             "période. Ainsi, l'été réservé en novembre se paie avant l'été.")
    return PeriodSettings(name, start, end, "".join(sorted(days)),
                          datetime.combine(open_day, open_time, tzinfo=LOCAL),
                          (int(add_days), add_time), (int(cancel_days), cancel_time),
                          not by_staff, partial, open_reg, int(pay_before))
