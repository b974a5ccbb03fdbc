"""Tables, states and charts in French: every stored state has a French word, dates read
07/12/2026, times are Paris time, money has a decimal comma, Plotly speaks French."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum

import pandas as pd
import pytest

from db import states as db_states
from ui import plotly_fr, states, tables
from ui.format import day_words, euros

ENUMS = [c for c in vars(db_states).values()
         if isinstance(c, type) and issubclass(c, StrEnum) and c is not StrEnum
         and c not in (db_states.PaymentMethod, db_states.LinkPurpose)]


@pytest.mark.parametrize("kind", sorted(set(ENUMS), key=lambda c: c.__name__))
def test_every_stored_state_has_a_french_word(kind):
    for member in kind:
        said = states.word(kind, member.value)
        assert said and said != member.value, (kind.__name__, member.value)
        assert not re.search(r"[A-Z_]", said), said  # words, not codes


def test_a_state_in_words():
    assert states.word(db_states.PaymentState, "paid") == "payé"
    assert states.word(db_states.MailState, "sent") == "envoyé"
    assert states.word(db_states.PaymentState, None) == ""


def test_a_table_shows_money_states_dates_and_paris_time_in_french():
    frame = pd.DataFrame({
        "Montant": [4220, -1050], "État": ["paid", "pending"],
        "Échéance": [date(2026, 12, 7), date(2026, 1, 31)],
        "Reçu le": [datetime(2026, 12, 7, 9, 5, tzinfo=UTC),
                    datetime(2026, 7, 1, 22, 0, tzinfo=UTC)],
        "Taux": [14.6, 2.0], "Enfants": [3, 4], "Nom": ["Émile", "Zoé"]})
    shown, config = tables.french(frame, money=["Montant"],
                                  states={"État": db_states.PaymentState})
    assert list(shown["Montant"]) == ["42,20 €", "-10,50 €"]
    assert list(shown["État"]) == ["payé", "en attente de la banque"]
    # Paris: UTC+1 in winter, UTC+2 in summer (22:00 UTC on 1 July is 2 July)
    assert list(shown["Reçu le"]) == ["07/12/2026 10:05", "02/07/2026 00:00"]
    assert list(shown["Échéance"]) == ["07/12/2026", "31/01/2026"]
    assert config["Taux"]["type_config"]["format"] == "localized"
    assert set(config) == {"Taux"}  # whole numbers and text as they are
    assert list(shown["Nom"]) == ["Émile", "Zoé"]
    assert list(frame["Montant"]) == [4220, -1050]  # the caller's frame is left alone


def test_a_table_of_rows_and_an_empty_one():
    shown, config = tables.french([{"Le": date(2026, 3, 2), "Qui": None},
                                   {"Le": None, "Qui": "Zoé"}])
    assert list(shown["Le"]) == ["02/03/2026", ""]
    shown, config = tables.french(pd.DataFrame(columns=["Le", "Montant"]), money=["Montant"])
    assert shown.empty and config == {}


def test_days_and_months_given_as_iso_text_are_shown_in_french():
    shown, _ = tables.french({"Jour": ["2026-11-02", None], "Mois": ["2026-11", "2027-01"],
                                   "Code": ["2026-11", "ALSH"]})
    assert list(shown["Jour"]) == ["02/11/2026", ""]
    assert list(shown["Mois"]) == ["novembre 2026", "janvier 2027"]
    assert list(shown["Code"]) == ["2026-11", "ALSH"]  # not every value is a month


def test_money_and_days_in_words():
    assert euros(123456) == "1 234,56 €"
    assert euros(0) == "0,00 €"
    assert day_words(date(2026, 12, 7)) == "Lundi 7 décembre"


def test_a_chart_by_month_names_its_months_in_french():
    from ui import charts

    frame = pd.DataFrame({"month": ["2026-10", "2026-11"], "euros": [1.5, 2.0]})
    figure = charts.bars(frame, "month", "euros", None, "Montants", {"month": "Mois"})
    assert list(figure.data[0].x) == ["octobre 2026", "novembre 2026"]
    money = charts.bars(frame, "month", "euros", None, "Montants", {}, money=True)
    assert money.data[0].texttemplate == "%{y:.2f}"  # 1,50 with the chart's decimal comma


def test_plotly_speaks_french():
    config = plotly_fr.config("occupation")
    fr = config["locales"]["fr"]
    assert config["locale"] == "fr"
    assert fr["dictionary"]["Download plot as a PNG"] == plotly_fr.SAVE_PNG
    assert fr["format"]["decimal"] == "," and fr["format"]["months"][11] == "décembre"
    assert fr["format"]["days"][0] == "dimanche"  # d3 counts from Sunday
    assert config["toImageButtonOptions"]["filename"] == "occupation"


def test_every_table_goes_through_the_french_helper():
    """A page or widget calling st.dataframe itself would show ISO dates and raw states."""
    from db.settings import ROOT

    allowed = {"ui/tables.py", "ui/dashboards.py"}  # dashboards: tables.french + numbers
    found = [str(p.relative_to(ROOT)) for folder in ("pages", "ui")
             for p in sorted((ROOT / folder).rglob("*.py"))
             if re.search(r"\bst\.(dataframe|table|data_editor)\(", p.read_text(encoding="utf-8"))
             and str(p.relative_to(ROOT)) not in allowed]
    assert found == []
