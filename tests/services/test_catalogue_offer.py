"""The registration choices offered to a family: only periods whose age group fits."""
from __future__ import annotations

import pytest

from services import registrations
from services.catalogue.offer import list_offer
from services.errors import Forbidden


def test_only_fitting_periods_are_offered(world):
    lea = list_offer(world.family_a, world.lea, world.today)
    assert {c.period_id for c in lea.choices} == {world.period_peri, world.period_wed}
    assert lea.other_groups == 1
    tom = list_offer(world.family_a, world.tom, world.today)
    assert [c.period_id for c in tom.choices] == [world.period_peri_small]
    wed = next(c for c in lea.choices if c.period_id == world.period_wed)
    assert wed.site == "Saint Gabriel" and wed.activity_type == "Périscolaire"
    assert wed.staff_validates_bookings


def test_another_familys_child_is_refused(world):
    with pytest.raises(Forbidden):
        list_offer(world.family_b, world.lea, world.today)


@pytest.mark.parametrize("child, period, error", [
    ("tom", "period_peri", registrations.AgeGroupMismatch),
    ("lea", "period_peri_small", registrations.AgeGroupMismatch),
])
def test_a_mismatch_is_refused_with_the_childs_age(world, child, period, error):
    with pytest.raises(error) as caught:
        registrations.request_registration(world.family_a, getattr(world, child),
                                           getattr(world, period))
    assert "ans au début de la période" in caught.value.message


def test_a_duplicate_is_refused_and_the_request_waits(world):
    from services.families.overview import get_overview

    registrations.request_registration(world.family_a, world.lea, world.period_peri)
    with pytest.raises(registrations.DuplicateRegistration):
        registrations.request_registration(world.family_a, world.lea, world.period_peri)
    lea = get_overview(world.family_a, world.today).children[0]
    assert [r.state for r in lea.registrations] == ["requested"]
