"""The back office's pickers offer only the staff member's sites."""
from __future__ import annotations

import pytest

from services.errors import Forbidden
from services.staff import choices, waitlist


def test_pickers_offer_only_my_sites(world):
    assert [s.label for s in choices.list_sites(world.staff_gabriel)] == ["Saint Gabriel"]
    assert [s.label for s in choices.list_sites(world.manager)] == ["Les Chats Perchés",
                                                                   "Saint Gabriel"]
    assert [a.id for a in choices.list_activities(world.staff_gabriel)] == [world.activity_wed]
    assert {p.id for p in choices.list_periods(world.staff_gabriel)} == {world.period_wed}
    assert {p.id for p in choices.list_periods(world.staff, world.activity_peri)} == \
        {world.period_peri, world.period_peri_small}
    assert [u.id for u in choices.list_units(world.staff, world.activity_wed)] == world.units_wed
    assert [g.label for g in choices.list_age_groups(world.staff)] == ["2/3 ans", "4/5 ans",
                                                                        "6/12 ans"]
    assert choices.organisation_id(world.staff) == world.organisation


def test_staff_of_saint_gabriel_are_refused_chats_perches(world):
    with pytest.raises(Forbidden):
        choices.list_activities(world.staff_gabriel, world.site_chats)
    with pytest.raises(Forbidden):
        choices.list_units(world.staff_gabriel, world.activity_peri)
    with pytest.raises(Forbidden):
        waitlist.list_waiting_days(world.staff_gabriel, world.site_chats, world.today)
    for call in (choices.list_sites, choices.list_age_groups, choices.organisation_id,
                 choices.list_activity_types):
        with pytest.raises(Forbidden):
            call(world.family_a)


def test_waiting_days_count_the_queue(world):
    from services import registrations
    from services.booking.reserve import reserve
    from tests.world import add_child
    cell = (world.first_day, world.units_peri[0])
    kids = [(world.family_a, world.lea), (world.family_b, world.zoe),
            (world.family_b, add_child(world, world.family_b_id, "Paul", 10))]
    for actor, child in kids:
        reg = registrations.request_registration(actor, child, world.period_peri)
        registrations.decide(world.staff, reg, True)
        reserve(actor, reg, [cell])
    assert waitlist.list_waiting_days(world.staff, world.site_chats, world.today) == \
        [(world.first_day, 1)]
    assert waitlist.list_waiting_days(world.staff, world.site_gabriel, world.today) == []
