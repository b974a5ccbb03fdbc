"""Closing an account: what the family left waiting for the centre is withdrawn (audited),
what the centre must still decide is listed for staff, staff cannot validate or promote a
closed family, and the closure mail reaches each guardian by the mail rules (a payment mail:
the payer always). On both engines."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from db.engine import read, transaction
from db.base import utcnow
from db.models import (AuditEntry, CapacitySlot, ChangeRequest, Family, Mail, Registration,
                       Reservation, UserAccount)
from services import registrations
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.booking.together import reserve_together
from services.families import accounts, guardians
from services.families.accounts import GuardianForm
from services.families.changes import request_change
from services.families.rights import closure
from services.families.rights.pending import FamilyClosed
from services.mail.delivery import deliver_pending
from services.staff import decisions, family_edit, waitlist
from services.staff.audit_log import ACTIONS_FR
from tests.invariants import check_all
from tests.money import registered
from tests.smtp import text_of
from tests.world import PASSWORD, add_child, sign_in


def _state(model, row_id: int) -> str:  # type: ignore[no-untyped-def]
    with read() as session:
        return str(session.get_one(model, row_id).state)


def _actions(family_id: int) -> list[str]:
    with read() as session:
        return list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.family_id == family_id).order_by(AuditEntry.id)))


def _full_morning(world) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Zoé and Paul (family B) take the first day's two morning places; (Zoé's registration,
    the slot)."""
    cell = (world.first_day, world.units_peri[0])
    reg_zoe = registered(world, world.family_b, world.zoe, world.period_peri)
    reserve(world.family_b, reg_zoe, [cell])
    paul = add_child(world, world.family_b_id, "Paul", 10)
    reserve(world.family_b, registered(world, world.family_b, paul, world.period_peri), [cell])
    with read() as session:
        slot = session.scalar(select(Reservation.slot_id).where(
            Reservation.registration_id == reg_zoe))
    assert slot is not None
    return reg_zoe, int(slot)


def test_closing_withdraws_what_waited_for_the_centre(world):
    reg_zoe, _ = _full_morning(world)
    reg_lea = registered(world, world.family_a, world.lea, world.period_peri)
    (waiting,) = reserve(world.family_a, reg_lea, [(world.first_day, world.units_peri[0])]).cells
    assert waiting.outcome == "waitlisted"
    asked = registrations.request_registration(world.family_a, world.lea, world.period_wed)
    change = request_change(world.family_a, "qf", "700")
    # The first day is no longer "to come" (a day already begun): the family's own
    # cancellation leaves it, so only the withdrawal can take it off the waiting list.
    done = closure.request_closure(world.family_a, today=world.first_day)
    assert (done.withdrawn.registrations, done.withdrawn.waiting_days,
            done.withdrawn.changes) == (1, 1, 1)
    assert _state(Registration, asked) == "cancelled"
    assert _state(ChangeRequest, change) == "refused"
    with read() as session:
        lea_days = list(session.scalars(select(Reservation.state).where(
            Reservation.registration_id == reg_lea)))
    assert lea_days == ["cancelled"]
    # Zoé's place is freed: it goes to no one from the closed family.
    with read() as session:
        zoe_day = session.scalar(select(Reservation.id).where(
            Reservation.registration_id == reg_zoe))
    cancel(world.family_b, reg_zoe, [zoe_day])
    with read() as session:
        assert list(session.scalars(select(Reservation.state).where(
            Reservation.registration_id == reg_lea))) == ["cancelled"]
    actions = _actions(world.family_a_id)
    for action in ("withdraw_registration", "withdraw_waitlist", "withdraw_change"):
        assert action in actions and action in ACTIONS_FR
    assert actions[-1] == "request_closure"
    check_all()


def test_what_staff_must_still_decide_is_listed_and_closed_families_are_refused(world):
    reg_wed = registered(world, world.family_a, world.lea, world.period_wed)
    wednesday = world.first_day + timedelta(days=2)  # the first day is a Monday
    (booking,) = reserve(world.family_a, reg_wed, [(wednesday, world.units_wed[0])]).cells
    assert booking.outcome == "requested"  # Wednesdays: staff validate each booking
    closure.request_closure(world.family_a, today=wednesday)  # the day is not "to come"
    listed = closure.list_closure_requests(world.staff)
    assert list(listed["À décider"]) == [1]
    with read() as session:
        day = session.scalar(select(Reservation.id).where(
            Reservation.registration_id == reg_wed))
    (result,) = decisions.decide_bookings(world.staff, [day], validate=True)
    assert not result.ok and "DUPONT a demandé la clôture de son compte" in result.message
    (result,) = decisions.decide_bookings(world.staff, [day], validate=False)
    assert result.ok and closure.list_closure_requests(world.staff)["À décider"].tolist() == [0]
    # A registration asked at the desk after the closure cannot be validated either.
    late = registrations.request_registration(world.staff, world.tom, world.period_peri_small)
    with pytest.raises(FamilyClosed, match="son inscription ne peut plus être validée"):
        registrations.decide(world.staff, late, validate=True)
    assert registrations.decide(world.staff, late, validate=False).state == "refused"


def test_the_desk_books_nothing_for_a_closed_family_nor_promotes_it(world):
    _, slot = _full_morning(world)
    reg_lea = registered(world, world.family_a, world.lea, world.period_peri)
    cell = (world.first_day, world.units_peri[0])
    assert reserve(world.family_a, reg_lea, [cell]).cells[0].outcome == "waitlisted"
    # An account closed before closures withdrew waiting days: only the flag was set then.
    with transaction() as session:
        session.execute(update(Family).where(Family.id == world.family_a_id)
                        .values(closure_requested_at=utcnow()))
    later = (world.first_day + timedelta(days=1), world.units_peri[1])
    with pytest.raises(FamilyClosed, match="aucun jour ne peut plus lui être réservé"):
        reserve(world.staff, reg_lea, [later], by_staff=True)
    with pytest.raises(FamilyClosed, match="aucun jour ne peut plus lui être réservé"):
        reserve_together(world.staff, [reg_lea], [later], by_staff=True)
    with transaction() as session:  # a free place for staff to hand out (no auto promotion)
        session.execute(update(CapacitySlot).where(CapacitySlot.id == slot).values(places=3))
    with pytest.raises(FamilyClosed, match="DUPONT a demandé la clôture"):
        waitlist.promote(world.staff, slot)
    with read() as session:
        assert list(session.scalars(select(Reservation.state).where(
            Reservation.registration_id == reg_lea))) == ["waitlisted"]


def test_the_closure_mail_reaches_each_guardian_by_the_mail_rules(world, smtp_server):
    """Claire closes; Hugo pays and takes no mail (a payment mail: he gets it); Inès takes
    only the mails she caused (she did not: none); the household address is no recipient
    of its own."""
    hugo = family_edit.add_guardian(world.staff, world.family_a_id,
                                    GuardianForm("Hugo", "DUPONT", "hugo@test.example"))
    family_edit.add_guardian(world.staff, world.family_a_id,
                             GuardianForm("Inès", "DUPONT", "ines@test.example"))
    for email, preference in (("hugo@test.example", "none"), ("ines@test.example", "mine")):
        with read() as session:
            uid = session.scalar(select(UserAccount.id).where(UserAccount.email == email))
        accounts.set_password_directly(world.manager, uid, PASSWORD)
        guardians.set_mail_preference(sign_in(email), preference)
    guardians.set_payer(world.staff, hugo)
    guardians.set_mail_preference(world.family_a, "mine")
    closure.request_closure(world.family_a, today=world.today)
    with read() as session:
        queued = sorted(session.execute(select(Mail.recipient, Mail.kind).where(
            Mail.subject == "Clôture de votre compte")).tuples())
    assert queued == [("dupont@test.example", "payment"), ("hugo@test.example", "payment")]
    smtp_server.messages.clear()
    deliver_pending()
    got = {m["To"]: text_of(m) for m in smtp_server.messages
           if "Clôture" in str(m["Subject"])}
    assert sorted(got) == ["dupont@test.example", "hugo@test.example"]
    assert all("Vous ne pouvez plus vous y connecter" in body for body in got.values())


def test_an_account_closed_before_withdrawals_existed_loses_what_waited_at_the_upgrade(world):
    """Migration 0040_closed_pending: a family whose closure only set the flag (before
    session 7) loses its requests as a closure does now; another family keeps its own."""
    from tests.db.test_migrations import down_and_up_again

    _, slot = _full_morning(world)
    reg_lea = registered(world, world.family_a, world.lea, world.period_peri)
    cell = (world.first_day, world.units_peri[0])
    assert reserve(world.family_a, reg_lea, [cell]).cells[0].outcome == "waitlisted"
    asked = registrations.request_registration(world.family_a, world.lea, world.period_wed)
    change = request_change(world.family_a, "qf", "700")
    other_change = request_change(world.family_b, "qf", "900")
    with transaction() as session:  # closed the old way: only the flag
        session.execute(update(Family).where(Family.id == world.family_a_id)
                        .values(closure_requested_at=utcnow()))
    down_and_up_again("0039_no_account_lock")
    assert _state(Registration, asked) == "cancelled"
    assert _state(ChangeRequest, change) == "refused"
    assert _state(ChangeRequest, other_change) == "requested"
    with read() as session:
        assert list(session.scalars(select(Reservation.state).where(
            Reservation.registration_id == reg_lea))) == ["cancelled"]
        assert session.get_one(CapacitySlot, slot).waiting == 0
        entries = session.execute(select(AuditEntry.action, AuditEntry.actor,
                                         AuditEntry.details).where(
            AuditEntry.family_id == world.family_a_id,
            AuditEntry.action.like("withdraw_%")).order_by(AuditEntry.id)).all()
    assert [a for a, _, _ in entries] == ["withdraw_registration", "withdraw_waitlist",
                                          "withdraw_change"]
    assert {who for _, who, _ in entries} == {"système"}
    assert all("clôture du compte demandée" in details for _, _, details in entries)
    check_all()
