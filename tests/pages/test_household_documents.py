"""AppTest of the desk's papers for a child of two households: in the second household's
file, the child's attendance certificate holds that household's days and money only."""
from __future__ import annotations

from datetime import timedelta

from services import registrations
from services.booking.reserve import reserve
from services.families import households
from tests.pages.apptest import texts
from tests.pages.test_desk_documents import (CERTIFICATE, _open_durand, _period, built,  # noqa: F401
                                             downloaded)


def test_the_second_households_file_certifies_its_own_days_and_money(built):  # noqa: F811
    w = built
    households.link_child(w.staff, w.lea, w.family_b_id)
    regs = {}
    for family in (w.family_a, w.family_b):
        regs[family] = registrations.request_registration(family, w.lea, w.period_peri)
        registrations.decide(w.staff, regs[family], validate=True)
    reserve(w.family_a, regs[w.family_a], [(w.first_day, w.units_peri[0])])  # 1,00 €
    reserve(w.family_b, regs[w.family_b], [(w.first_day + timedelta(days=1), w.units_peri[1])])
    at = _open_durand(w)
    at.selectbox(key="desk_att_child").set_value(w.lea)
    _period(at, "desk_att", w.first_day, w.first_day + timedelta(days=6))
    assert "0 jour(s) de présence · facturé 2,00 € · réglé 0,00 €" in texts(at)
    text = downloaded(at, CERTIFICATE)
    assert "Léa DUPONT" in text and "famille DURAND" in text and "famille DUPONT" not in text
    assert "montant facturé 2,00 €" in text
