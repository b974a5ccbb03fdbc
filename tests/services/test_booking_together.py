"""Siblings booked together (« ensemble ou pas du tout »), on SQLite and PostgreSQL: all the
children get the cell or none does and they wait as one group, promoted only when the
whole group fits, the queue order kept for everyone behind it."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import CapacitySlot, Charge, Mail, Reservation
from services import registrations
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.booking.together import reserve_together
from services.errors import Forbidden, InvalidInput
from tests.invariants import PROMOTION_SUBJECT, check_all
from tests.world import add_child


def _reg(world, actor, child, period=None) -> int:
    reg = registrations.request_registration(actor, child, period or world.period_peri)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def _rows(reg: int) -> list[Reservation]:
    with read() as session:
        return list(session.scalars(select(Reservation).where(
            Reservation.registration_id == reg).order_by(Reservation.id)))


def _state(reg: int) -> str:
    (row,) = [r for r in _rows(reg) if r.state != "cancelled"]
    return row.state


def _siblings(world) -> tuple[int, int]:
    """Léa (8) and Hugo (7) of family A, both in the 6/12 period: one slot per cell."""
    hugo = add_child(world, world.family_a_id, "Hugo", 7)
    return _reg(world, world.family_a, world.lea), _reg(world, world.family_a, hugo)


def _others(world, n: int, years: int = 9, period=None) -> list[int]:
    """n children of family B registered (6/12 by default)."""
    return [_reg(world, world.family_b, add_child(world, world.family_b_id, f"Autre{i}", years),
                 period) for i in range(n)]


def _promotion_mails(email: str) -> int:
    with read() as session:
        return session.scalar(select(func.count(Mail.id)).where(
            Mail.recipient == email, Mail.subject == PROMOTION_SUBJECT)) or 0


def test_together_on_a_free_day_seats_every_child_in_one_group(world):
    lea, hugo = _siblings(world)
    cell = (world.first_day, world.units_peri[0])
    out = reserve_together(world.family_a, [lea, hugo], [cell], together=True)
    assert [s.cells[0].outcome for s in out] == ["validated", "validated"]
    rows = _rows(lea) + _rows(hugo)
    assert rows[0].group_id is not None and {r.group_id for r in rows} == {rows[0].group_id}
    with read() as session:
        assert session.scalar(select(func.count(Charge.id))) == 2
    check_all()


def test_two_siblings_for_the_last_place_both_wait_as_one_group(world):
    lea, hugo = _siblings(world)
    (other,) = _others(world, 1)
    cell = (world.first_day, world.units_peri[1])
    reserve(world.family_b, other, [cell])  # one place left of two
    out = reserve_together(world.family_a, [lea, hugo], [cell], together=True)
    cells = [s.cells[0] for s in out]
    assert [c.outcome for c in cells] == ["waitlisted", "waitlisted"]
    assert [c.position for c in cells] == [1, 2]
    assert all(c.grouped and c.describe().endswith("en liste d'attente (groupe)") for c in cells)
    rows = _rows(lea) + _rows(hugo)
    assert len({r.queue_rank for r in rows}) == 1 and len({r.group_id for r in rows}) == 1
    with read() as session:
        slot = session.get(CapacitySlot, rows[0].slot_id)
        assert slot is not None and (slot.booked, slot.waiting) == (1, 2)
        bodies = list(session.scalars(select(Mail.body).where(
            Mail.recipient == "dupont@test.example",
            Mail.subject.startswith("Vos réservations pour "))))
    assert len(bodies) == 2 and all("1er en liste d'attente (groupe)" in b or
                                    "2e en liste d'attente (groupe)" in b for b in bodies)
    assert all("« ensemble » (groupe) obtiennent leurs places" in b for b in bodies)
    check_all()


def test_a_group_is_promoted_only_when_all_fit_and_nobody_behind_jumps_it(world):
    lea, hugo = _siblings(world)
    first, second, behind = _others(world, 3)
    cell = (world.first_day, world.units_peri[2])
    reserve(world.family_b, first, [cell])
    reserve(world.family_b, second, [cell])  # the day is full
    reserve_together(world.family_a, [lea, hugo], [cell], together=True)
    assert reserve(world.family_b, behind, [cell]).cells[0].position == 3
    cancel(world.family_b, first, [_rows(first)[0].id])  # one place: the group does not fit
    assert [_state(r) for r in (lea, hugo, behind)] == ["waitlisted"] * 3
    assert _promotion_mails("dupont@test.example") == 0
    check_all()
    cancel(world.family_b, second, [_rows(second)[0].id])  # two places: both seated
    assert [_state(r) for r in (lea, hugo, behind)] == ["validated", "validated", "waitlisted"]
    with read() as session:
        charged = set(session.scalars(select(Charge.reservation_id)
                                      .where(Charge.cancelled_at.is_(None))))
    assert {_rows(lea)[0].id, _rows(hugo)[0].id} <= charged
    assert _promotion_mails("dupont@test.example") == 1
    check_all()


def test_not_together_is_like_two_separate_submissions(world):
    lea, hugo = _siblings(world)
    (other,) = _others(world, 1)
    cell = (world.first_day, world.units_peri[3])
    reserve(world.family_b, other, [cell])
    out = reserve_together(world.family_a, [lea, hugo], [cell], together=False)
    assert [(s.cells[0].outcome, s.cells[0].position) for s in out] == [
        ("validated", None), ("waitlisted", 1)]
    assert [r.group_id for r in _rows(lea) + _rows(hugo)] == [None, None]
    check_all()


def test_a_child_already_holding_the_cell_stays_out_of_the_group(world):
    lea, hugo = _siblings(world)
    cell = (world.first_day, world.units_peri[0])
    reserve(world.family_a, lea, [cell])
    out = reserve_together(world.family_a, [lea, hugo], [cell], together=True)
    assert [s.cells[0].outcome for s in out] == ["unchanged", "validated"]
    assert _rows(hugo)[0].group_id is None  # a group of one is no group
    check_all()


def test_children_of_two_age_groups_wait_on_their_own_slots_and_are_seated_together(world):
    lea = _reg(world, world.family_a, world.lea)
    tom = _reg(world, world.family_a, world.tom, world.period_peri_small)
    small = _others(world, 2, years=4, period=world.period_peri_small)
    (big,) = _others(world, 1)
    cell = (world.first_day, world.units_peri[0])
    for reg in small:  # Tom's slot (4/5 ans) is full, Léa's (6/12 ans) is free
        reserve(world.family_b, reg, [cell])
    out = reserve_together(world.family_a, [lea, tom], [cell], together=True)
    assert [s.cells[0].outcome for s in out] == ["waitlisted", "waitlisted"]
    # Léa's slot has places, but its queue is not empty: a newcomer waits behind the group.
    assert reserve(world.family_b, big, [cell]).cells[0].outcome == "waitlisted"
    check_all()
    cancel(world.family_b, small[0], [_rows(small[0])[0].id])  # frees Tom's slot only
    assert [_state(r) for r in (lea, tom, big)] == ["validated"] * 3
    check_all()


def test_a_waiting_member_who_cancels_leaves_the_rest_of_the_group_free_to_go(world):
    lea = _reg(world, world.family_a, world.lea)
    tom = _reg(world, world.family_a, world.tom, world.period_peri_small)
    small = _others(world, 2, years=4, period=world.period_peri_small)
    cell = (world.first_day, world.units_peri[1])
    for reg in small:
        reserve(world.family_b, reg, [cell])
    reserve_together(world.family_a, [lea, tom], [cell], together=True)
    cancel(world.family_a, tom, [_rows(tom)[0].id])
    assert _state(lea) == "validated"  # alone now, her slot had the place
    check_all()


def test_registrations_of_another_family_or_activity_are_refused(world):
    lea = _reg(world, world.family_a, world.lea)
    zoe = _reg(world, world.family_b, world.zoe)
    cell = (world.first_day, world.units_peri[0])
    with pytest.raises(Forbidden):
        reserve_together(world.family_a, [lea, zoe], [cell])
    hugo = add_child(world, world.family_a_id, "Hugo", 7)
    wed = _reg(world, world.family_a, hugo, world.period_wed)
    with pytest.raises(InvalidInput):
        reserve_together(world.family_a, [lea, wed], [cell])
    with pytest.raises(InvalidInput):
        reserve_together(world.staff, [lea, zoe], [cell], by_staff=True)
    assert _rows(lea) == [] and _rows(zoe) == []


def test_the_desk_cannot_give_one_place_to_a_group_of_two(world):
    from services.staff import waitlist

    lea, hugo = _siblings(world)
    first, second = _others(world, 2)
    cell = (world.first_day, world.units_peri[1])
    reserve(world.family_b, first, [cell])
    reserve(world.family_b, second, [cell])
    reserve_together(world.family_a, [lea, hugo], [cell], together=True)
    cancel(world.staff, first, [_rows(first)[0].id])  # one place: the group waits
    with pytest.raises(InvalidInput, match="frères et sœurs"):
        waitlist.promote(world.staff, _rows(lea)[0].slot_id, head_only=True)
    cancel(world.staff, second, [_rows(second)[0].id])  # two places: promoted at once
    assert [_state(r) for r in (lea, hugo)] == ["validated", "validated"]
    check_all()


@dataclass(frozen=True)
class _Head:
    id: int
    slot_id: int
    group_id: int | None = None


def test_whole_groups_only_and_a_group_counts_as_one_head():
    from services.booking.groups import keep_whole_groups

    # Slot 1: a, then the group g (b here, c on slot 2), then d. Slot 2: c, then e.
    a, b, d, c, e = _Head(1, 1), _Head(2, 1, 9), _Head(4, 1), _Head(3, 2, 9), _Head(5, 2)
    assert keep_whole_groups([a, b, d, c, e], {9: {2, 3}}) == [a, b, d, c, e]
    # c not among slot 2's heads (no place there): b is cut, and d behind it with it.
    assert keep_whole_groups([a, b, d, e], {9: {2, 3}}) == [a, e]
    # One head per slot, a group's members on a slot counting as one.
    two = _Head(6, 1, 8)
    assert keep_whole_groups([_Head(7, 1, 8), two, a], {8: {6, 7}}, limit=1) == [
        _Head(7, 1, 8), two]
