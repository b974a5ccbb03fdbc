"""Occupancy and waiting lists against the hand-computed world of reports_world.py."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.errors import Forbidden
from services.reports import occupancy, waitlist
from services.reports.scope import EmptySelection, InvertedRange, RangeTooLong
from tests.services.reports_world import busy_world


@pytest.fixture
def busy(database):  # type: ignore[no-untyped-def]
    return busy_world()


def _cell(frame, group: str, position: int):  # type: ignore[no-untyped-def]
    row = frame[(frame["age_group"] == group) & (frame["position"] == position)]
    assert len(row) == 1
    return row.iloc[0]


def test_occupancy_counts_places_booked_and_waiting_per_cell(busy):
    w, d = busy.world, busy.day
    frame = occupancy.occupancy(w.manager, d, d)
    # Monday: Chats Perchés only (Saint Gabriel opens on Wednesdays), 4 units x 2 age groups.
    assert len(frame) == 8 and set(frame["site"]) == {"Les Chats Perchés"}
    u0 = _cell(frame, "6/12 ans", 0)
    assert (u0.places, u0.booked, u0.waitlisted, u0.fill_rate) == (2, 2, 1, 100.0)
    u1 = _cell(frame, "6/12 ans", 1)  # Zoé cancelled, Max promoted into her place
    assert (u1.booked, u1.waitlisted) == (2, 0)
    small = _cell(frame, "4/5 ans", 0)
    assert (small.booked, small.fill_rate) == (1, 50.0)
    total = occupancy.fill_by(frame.assign(all=1), ["all"]).iloc[0]
    assert (total.places, total.booked, total.waitlisted) == (16, 5, 1)
    assert total.fill_rate == pytest.approx(31.2)


def test_age_group_filter_and_range(busy):
    w, d = busy.world, busy.day
    frame = occupancy.occupancy(w.manager, d, d + timedelta(days=1),
                                age_group_ids=[w.age_groups["6/12 ans"]])
    assert set(frame["age_group"]) == {"6/12 ans"}
    assert int(frame["booked"].sum()) == 5  # 4 on Monday, Léa on Tuesday


def test_staff_see_only_their_sites(busy):
    w, d = busy.world, busy.day
    assert occupancy.occupancy(w.staff_gabriel, d, d + timedelta(days=6))["site"].unique() \
        .tolist() == ["Saint Gabriel"]
    with pytest.raises(Forbidden):
        occupancy.occupancy(w.staff_gabriel, d, d, site_ids=[w.site_chats])
    with pytest.raises(Forbidden):
        occupancy.occupancy(w.family_a, d, d)


@pytest.mark.parametrize("args, error", [
    (dict(days=-1), InvertedRange),
    (dict(days=500), RangeTooLong),
    (dict(days=0, site_ids=[]), EmptySelection),
    (dict(days=0, age_group_ids=[]), EmptySelection),
])
def test_bad_selections_are_named_errors(busy, args, error):
    w, d = busy.world, busy.day
    args = dict(args)  # the table is shared by both engines' runs
    days = args.pop("days")
    with pytest.raises(error) as caught:
        occupancy.occupancy(w.manager, d, d + timedelta(days=days), **args)
    assert caught.value.message  # French, for the screen


def test_waiting_lists_cells_where_children_wait(busy):
    w, d = busy.world, busy.day
    frame = waitlist.waiting(w.staff, d, d + timedelta(days=6))
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row.day, row.unit, row.age_group, row.waitlisted) == \
        (d, "ACCUEIL RELAI MATIN", "6/12 ans", 1)


def test_promotions_record_who_got_a_place_and_the_wait(busy):
    w, d = busy.world, busy.day
    frame = waitlist.promotions(w.manager, d, d)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row.unit, row.age_group, row.state) == ("MATIN AVEC REPAS", "6/12 ans", "validated")
    assert 0 <= row.wait_hours < 1  # promoted within the same test run
    summary = waitlist.promotion_summary(frame, ["site"])
    assert summary.iloc[0].promotions == 1
    assert waitlist.promotions(w.manager, d + timedelta(days=1), d + timedelta(days=6)).empty
