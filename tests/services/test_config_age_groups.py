"""Age groups by managers: whole years 0 to 18, min <= max, deletion refused when used."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import AgeGroup, AuditEntry
from services.config import age_groups
from services.errors import Forbidden, InvalidInput


def _count() -> int:
    with read() as session:
        return int(session.scalar(select(func.count(AgeGroup.id))) or 0)


def test_create_update_and_delete_an_unused_group(world):
    group = age_groups.create_age_group(world.manager, world.organisation, " 13/17 ans ", "13",
                                        17)
    # Overlapping groups are allowed: each period names the one it takes.
    overlap = age_groups.create_age_group(world.manager, world.organisation, "Ados", 12, 18)
    listed = {g.label: g for g in age_groups.list_age_groups(world.manager)}
    assert (listed["13/17 ans"].min_age, listed["13/17 ans"].max_age) == (13, 17)
    assert listed["6/12 ans"].periods == 2 and listed["13/17 ans"].periods == 0
    age_groups.update_age_group(world.manager, group, "14/17 ans", 14, 17)
    age_groups.delete_age_group(world.manager, overlap)
    assert [g.label for g in age_groups.list_age_groups(world.manager)][-1] == "14/17 ans"
    with read() as session:
        actions = set(session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "age_group")))
    assert {"create_age_group", "update_age_group", "delete_age_group"} <= actions


@pytest.mark.parametrize("label, low, high, error", [
    ("Bébés", 3, 2, "l'âge minimum (3 ans) dépasse l'âge maximum (2 ans)"),
    ("Grands", 12, 19, "entre 0 et 18"),
    ("Petits", -1, 2, "entre 0 et 18"),
    ("Petits", "deux", 3, "nombre entier"),
    ("", 2, 3, "obligatoire"),
    ("6/12 ANS", 6, 12, "s'appelle déjà"),
])
def test_bad_groups_are_refused_and_change_nothing(world, label, low, high, error):
    before = _count()
    with pytest.raises(InvalidInput) as refused:
        age_groups.create_age_group(world.manager, world.organisation, label, low, high)
    assert error in refused.value.message
    with pytest.raises(InvalidInput):
        age_groups.update_age_group(world.manager, world.age_groups["2/3 ans"], label, low, high)
    assert _count() == before
    assert [(g.label, g.min_age) for g in age_groups.list_age_groups(world.manager)][0] == \
        ("2/3 ans", 2)


def test_a_group_used_by_a_period_cannot_be_deleted(world):
    with pytest.raises(age_groups.AgeGroupInUse) as refused:
        age_groups.delete_age_group(world.manager, world.age_groups["6/12 ans"])
    assert "Péri 6/12 ans" in refused.value.message
    assert _count() == 3


def test_only_managers_edit_age_groups(world):
    for actor in (world.staff, world.family_a):
        for call in (lambda: age_groups.list_age_groups(actor),
                     lambda: age_groups.create_age_group(actor, world.organisation, "X", 1, 2),
                     lambda: age_groups.update_age_group(actor, world.age_groups["2/3 ans"],
                                                         "X", 1, 2),
                     lambda: age_groups.delete_age_group(actor, world.age_groups["2/3 ans"])):
            with pytest.raises(Forbidden):
                call()
