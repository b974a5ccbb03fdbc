"""Money dashboards against the hand-computed world: charged, paid, outstanding, overdue."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.reports import money
from tests.services.reports_world import busy_world


@pytest.fixture
def busy(database):  # type: ignore[no-untyped-def]
    return busy_world()


def _totals(frame):  # type: ignore[no-untyped-def]
    return {k: int(frame[k].sum()) for k in money.AMOUNTS}


def test_charged_paid_and_outstanding(busy):
    w, d = busy.world, busy.day
    frame = money.money(w.manager, d, d + timedelta(days=1), w.today)
    # Léa 1+2+1 €, Zoé 1 € (her 2 € cancelled in time), Max 2 € (promoted), Tom 1 €;
    # family A paid Léa's D u0 and u1 (3 €); Tom's 1 € payment is still pending.
    assert _totals(frame) == {"charged": 800, "paid": 300, "outstanding": 500, "overdue": 0}
    assert set(frame["activity"]) == {"CHATS PERCHES PERISCOLAIRE"}


def test_overdue_once_the_due_date_has_passed(busy):
    w, d = busy.world, busy.day
    later = w.today + timedelta(days=30)  # every charge is due 7 days after validation
    assert _totals(money.money(w.manager, d, d + timedelta(days=1), later))["overdue"] == 500
    families = money.overdue_families(w.manager, d, d + timedelta(days=1), later)
    assert families[["family", "due", "paid", "overdue"]].values.tolist() == [
        ["DURAND", 300, 0, 300], ["DUPONT", 500, 300, 200]]
    assert families.iloc[0].email == "durand@test.example"
    assert money.overdue_families(w.manager, d, d + timedelta(days=1), w.today).empty


def test_age_group_and_site_filters(busy):
    w, d = busy.world, busy.day
    small = money.money(w.manager, d, d + timedelta(days=1), w.today,
                        age_group_ids=[w.age_groups["4/5 ans"]])
    assert _totals(small) == {"charged": 100, "paid": 0, "outstanding": 100, "overdue": 0}
    assert money.money(w.staff_gabriel, d, d + timedelta(days=1), w.today).empty
