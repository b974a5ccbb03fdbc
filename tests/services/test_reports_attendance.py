"""Attendance, no-shows and the funder's report against the hand-computed world."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.reports import attendance, funder
from tests.services.reports_world import busy_world


@pytest.fixture
def busy(database):  # type: ignore[no-untyped-def]
    return busy_world()


def test_attendance_rates_per_unit_and_age_group(busy):
    w, d = busy.world, busy.day
    frame = attendance.attendance(w.staff, d, d + timedelta(days=6))
    rows = {(r.age_group, r.position): r for r in frame.itertuples()}
    assert set(rows) == {("6/12 ans", 0), ("6/12 ans", 1), ("4/5 ans", 0)}
    u0 = rows[("6/12 ans", 0)]  # Léa present, Zoé absent justified
    assert (u0.present, u0.absent, u0.absent_justified, u0.marked) == (1, 0, 1, 2)
    assert (u0.present_rate, u0.absent_justified_rate, u0.absent_rate) == (50.0, 50.0, 0.0)
    u1 = rows[("6/12 ans", 1)]  # Max present, Léa absent
    assert (u1.present, u1.absent, u1.absent_rate) == (1, 1, 50.0)
    assert rows[("4/5 ans", 0)].present_rate == 100.0
    site = attendance.totals_by(frame, ["site"]).iloc[0]
    assert (site.marked, site.present, site.present_rate) == (5, 3, 60.0)


def test_no_shows_list_only_unjustified_absences(busy):
    w, d = busy.world, busy.day
    frame = attendance.no_shows(w.manager, d, d)
    assert frame[["first_name", "unit", "family"]].values.tolist() == \
        [["Léa", "MATIN AVEC REPAS", "DUPONT"]]
    assert attendance.no_shows(w.staff_gabriel, d, d).empty  # not their site


def test_funder_report_counts_hours_days_and_children(busy):
    w, d = busy.world, busy.day
    frame = funder.presence(w.manager, d, d + timedelta(days=6))
    rows = {r.age_group: r for r in frame.itertuples()}
    big = rows["6/12 ans"]  # Léa u0 and Max u1, two hours each
    assert (big.children, big.days, big.acts, big.minutes, big.hours) == (2, 2, 2, 240, 4.0)
    small = rows["4/5 ans"]  # Tom u0
    assert (small.children, small.days, small.acts, small.hours) == (1, 1, 1, 2.0)
    assert set(frame["activity"]) == {"CHATS PERCHES PERISCOLAIRE"}


def test_funder_days_count_a_child_once_per_day(busy):
    from db.states import ReservationState
    from tests.services.reports_world import mark

    w, d = busy.world, busy.day
    mark(w.lea, d, w.units_peri[1], ReservationState.PRESENT)  # Léa now present twice on D
    big = funder.presence(w.manager, d, d).set_index("age_group").loc["6/12 ans"]
    assert (big.children, big.days, big.acts, big.hours) == (2, 2, 3, 6.0)


def test_funder_hours_follow_the_unit_times_a_manager_sets(busy):
    """Unit u0 (07:00–09:00) becomes 07:30–08:15: Léa's and Tom's hours follow."""
    from datetime import time

    from services.config import offer

    w, d = busy.world, busy.day
    unit = offer.list_units(w.manager, w.activity_peri)[0]
    offer.update_unit(w.manager, unit.id, unit.name, time(7, 30), time(8, 15), unit.has_meal,
                      unit.price_cents, unit.default_capacity)
    rows = funder.presence(w.manager, d, d + timedelta(days=6)).set_index("age_group")
    assert rows.loc["6/12 ans"].minutes == 45 + 120  # Léa on u0, Max on u1 (unchanged)
    assert rows.loc["4/5 ans"].minutes == 45
