"""The waiting-list board: order, promotion into free places only, reordering with a reason."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from db.engine import read, transaction
from db.models import AuditEntry, CapacitySlot, Reservation
from services import registrations
from services.booking.reserve import reserve
from services.booking.together import reserve_together
from services.errors import Forbidden, InvalidInput
from services.staff import waitlist
from tests.world import add_child


def _queue_of_three(world):
    """Two places taken on the first day's morning unit, three children waiting."""
    cell = (world.first_day, world.units_peri[0])
    for actor, child in [(world.family_a, world.lea), (world.family_b, world.zoe)]:
        reg = registrations.request_registration(actor, child, world.period_peri)
        registrations.decide(world.staff, reg, True)
        reserve(actor, reg, [cell])
    for name in ("Paul", "Jade", "Nino"):
        child = add_child(world, world.family_b_id, name, 9)
        reg = registrations.request_registration(world.family_b, child, world.period_peri)
        registrations.decide(world.staff, reg, True)
        reserve(world.family_b, reg, [cell])
    return _board(world)


def _board(world):
    return waitlist.list_board(world.staff, world.site_chats, world.first_day,
                               unit_id=world.units_peri[0],
                               age_group_id=world.age_groups["6/12 ans"])[0]


def _give_places(slot_id: int, places: int) -> None:
    # A manager's capacity raise (tested in test_config) would promote by itself; here the
    # row is raised directly to leave free places for staff to hand out.
    with transaction() as session:
        session.execute(update(CapacitySlot).where(CapacitySlot.id == slot_id)
                        .values(places=places))


def test_board_shows_the_queue_in_order_with_places(world):
    slot = _queue_of_three(world)
    assert (slot.places, slot.booked, slot.free) == (2, 2, 0)
    assert [w.child.split()[0] for w in slot.waiting] == ["Paul", "Jade", "Nino"]
    assert [w.position for w in slot.waiting] == [1, 2, 3]
    with read() as session:  # "since when": the time each request reached the server
        asked = {r.id: r.requested_at for r in session.scalars(select(Reservation).where(
            Reservation.id.in_([w.reservation_id for w in slot.waiting])))}
    assert [w.since for w in slot.waiting] == [asked[w.reservation_id] for w in slot.waiting]
    assert [w.since for w in slot.waiting] == sorted(asked.values())
    assert slot.unit == "ACCUEIL RELAI MATIN" and slot.age_group == "6/12 ans"


def test_promoting_when_full_is_refused(world):
    slot = _queue_of_three(world)
    with pytest.raises(waitlist.NoFreePlace):
        waitlist.promote(world.staff, slot.slot_id)


@pytest.mark.parametrize("head_only, promoted", [(True, ["Paul"]), (False, ["Paul", "Jade"])])
def test_promote_head_or_all_that_fit(world, head_only, promoted):
    slot = _queue_of_three(world)
    _give_places(slot.slot_id, 4)
    ids = waitlist.promote(world.staff, slot.slot_id, head_only=head_only)
    assert ids == [w.reservation_id for w in slot.waiting[:len(promoted)]]
    after = _board(world)
    assert after.booked == 2 + len(promoted)
    with read() as session:
        states = {session.get(Reservation, i).state for i in ids}
    assert states == {"validated"}


def test_reordering_needs_a_reason_and_is_audited(world):
    slot = _queue_of_three(world)
    nino = slot.waiting[2].reservation_id
    with pytest.raises(InvalidInput):
        waitlist.move(world.staff, nino, up=True, reason="  ")
    assert waitlist.move(world.staff, nino, up=True, reason="Fratrie déjà inscrite") == 2
    assert waitlist.move(world.staff, nino, up=True, reason="Situation d'urgence") == 1
    with pytest.raises(InvalidInput):
        waitlist.move(world.staff, nino, up=True, reason="encore")
    after = _board(world)
    assert [w.child.split()[0] for w in after.waiting] == ["Nino", "Paul", "Jade"]
    assert waitlist.move(world.staff, after.waiting[1].reservation_id, up=False,
                         reason="Erreur de saisie") == 3
    with read() as session:
        reasons = list(session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "reorder_waitlist")))
    assert any("Situation d'urgence" in r for r in reasons)


def test_a_freed_place_goes_to_the_reordered_head(world):
    slot = _queue_of_three(world)
    nino = slot.waiting[2].reservation_id
    waitlist.move(world.staff, nino, up=True, reason="urgence")
    waitlist.move(world.staff, nino, up=True, reason="urgence")
    _give_places(slot.slot_id, 3)
    assert waitlist.promote(world.staff, slot.slot_id) == [nino]


def test_staff_of_saint_gabriel_see_nothing_of_chats_perches(world):
    slot = _queue_of_three(world)
    with pytest.raises(Forbidden):
        waitlist.list_board(world.staff_gabriel, world.site_chats, world.first_day)
    with pytest.raises(Forbidden):
        waitlist.promote(world.staff_gabriel, slot.slot_id)
    with pytest.raises(Forbidden):
        waitlist.move(world.staff_gabriel, slot.waiting[1].reservation_id, True, "motif")
    with pytest.raises(Forbidden):
        waitlist.list_board(world.family_a, world.site_chats, world.first_day)


def test_siblings_waiting_together_move_as_one_and_keep_their_group(world):
    """Hugo and Mia, booked « ensemble ou pas du tout », wait side by side between Paul and
    Nino: moving either moves both, and other requests pass the pair as one."""
    cell = (world.first_day, world.units_peri[0])
    _queue_of_three(world)  # Paul, Jade and Nino wait
    jade = _board(world).waiting[1].reservation_id
    with transaction() as session:  # Jade leaves the list (her family's choice)
        session.get_one(Reservation, jade).state = "cancelled"
        session.get_one(CapacitySlot, _board(world).slot_id).waiting -= 1
    hugo, mia = (add_child(world, world.family_a_id, name, 8) for name in ("Hugo", "Mia"))
    regs = []
    for child in (hugo, mia):
        regs.append(registrations.request_registration(world.family_a, child,
                                                       world.period_peri))
        registrations.decide(world.staff, regs[-1], True)
    reserve_together(world.family_a, regs, [cell], together=True)
    nino_reg = _board(world).waiting[1].reservation_id  # Nino, before the siblings
    waitlist.move(world.staff, nino_reg, up=False, reason="Ordre d'arrivée réel")
    names = lambda: [w.child.split()[0] for w in _board(world).waiting]  # noqa: E731
    assert names() == ["Paul", "Hugo", "Mia", "Nino"]  # Nino passed the pair at once
    ids = {w.child.split()[0]: w.reservation_id for w in _board(world).waiting}
    assert waitlist.move(world.staff, ids["Mia"], up=True, reason="Fratrie prioritaire") == 2
    assert names() == ["Hugo", "Mia", "Paul", "Nino"]
    assert waitlist.move(world.staff, ids["Hugo"], up=False, reason="Erreur de saisie") == 2
    assert names() == ["Paul", "Hugo", "Mia", "Nino"]
    with read() as session:
        ranks = {r.id: r.queue_rank for r in session.scalars(select(Reservation).where(
            Reservation.id.in_(ids.values())))}
        moved = session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "reorder_waitlist").order_by(AuditEntry.id)).all()
    assert ranks[ids["Hugo"]] == ranks[ids["Mia"]]  # still one group, one rank
    assert ranks[ids["Paul"]] < ranks[ids["Hugo"]] < ranks[ids["Nino"]]
    assert f'"moved_with": [{ids["Hugo"]}]' in moved[1]
    assert "moved_with" not in moved[0]  # Nino moved alone
    # Two places free up: Paul takes one; the pair needs two, so Nino does not pass it;
    # three free places seat the pair and Nino.
    _give_places(_board(world).slot_id, 4)
    assert waitlist.promote(world.staff, _board(world).slot_id, head_only=False) == [ids["Paul"]]
    _give_places(_board(world).slot_id, 6)
    assert sorted(waitlist.promote(world.staff, _board(world).slot_id, head_only=False)) == (
        sorted([ids["Hugo"], ids["Mia"], ids["Nino"]]))
