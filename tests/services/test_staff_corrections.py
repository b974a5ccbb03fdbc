"""Corrections made at the desk: days cancelled for a family (even past the deadline, with
a reason, credit notes as for the family), and a desk payment reversed by a counter-entry."""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import AuditEntry, Charge, Payment, PaymentAllocation, Reservation
from services.billing import credits
from services.billing.accounts import get_account
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.errors import Forbidden, InvalidInput, NotFound
from services.payments import desk
from services.payments.receipts import receipt_pdf
from services.staff import corrections
from tests.invariants import check_all
from tests.money import booked, registered
from tests.pdf import pdf_text


def _ids(reg: int) -> list[int]:
    with read() as session:
        return list(session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.id)))


def _last_audit(action: str) -> AuditEntry:
    with read() as session:
        return session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                               .order_by(AuditEntry.id.desc())).first()


def _late_period(world) -> int:
    """A period whose cancellation deadline (30 days before) is already past."""
    opens = datetime.combine(world.today - timedelta(days=10), time(7), tzinfo=LOCAL)
    return setup.create_period(world.manager, world.activity_peri, world.age_groups["6/12 ans"],
                               "Péri tardif", world.first_day,
                               world.first_day + timedelta(days=30), opens, weekdays="1245",
                               auto_validate=True, add_deadline=(0, time(23, 59)),
                               cancel_deadline=(30, time(15)))


def test_reception_cancels_past_the_deadline_with_a_reason_and_a_credit_note(world):
    reg = registered(world, world.family_a, world.lea, _late_period(world))
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0]),
                                  (world.first_day + timedelta(days=1), world.units_peri[0])])
    desk.record_desk_payment(world.staff, world.family_a_id, "cash", 200)
    first = _ids(reg)[0]
    assert cancel(world.family_a, reg, [first]).cells[0].outcome == "rejected"  # family: late
    with pytest.raises(InvalidInput, match="motif"):
        corrections.cancel_for_family(world.staff, world.family_a_id, reg, [first], "  ")
    frame = corrections.list_cancellable_days(world.staff, world.family_a_id, reg,
                                              world.today)
    assert list(frame["id"]) == _ids(reg) and set(frame["État"]) == {"validée"}
    done = corrections.cancel_for_family(world.staff, world.family_a_id, reg, [first],
                                         "appel de la mère, enfant malade")
    assert [c.outcome for c in done.cells] == ["cancelled"]
    entry = _last_audit("cancel")
    assert entry.source == "back_office" and entry.family_id == world.family_a_id
    assert json.loads(entry.details)["reason"] == "appel de la mère, enfant malade"
    assert get_account(world.family_a, world.today).credit_cents == 100
    check_all()


def test_a_registration_of_another_family_or_site_is_refused(world):
    reg = booked(world, days=1)  # family A, Chats Perchés
    with pytest.raises(NotFound):
        corrections.cancel_for_family(world.staff, world.family_b_id, reg, _ids(reg), "erreur")
    with pytest.raises(Forbidden):
        corrections.cancel_for_family(world.staff_gabriel, world.family_a_id, reg, _ids(reg),
                                      "erreur")
    with pytest.raises(Forbidden):
        corrections.cancel_for_family(world.family_a, world.family_a_id, reg, _ids(reg), "x")


def _balances(world) -> tuple[int, int]:
    account = get_account(world.family_a, world.today)
    return account.total_due, account.credit_cents


def test_a_mistaken_desk_payment_is_reversed_by_a_counter_entry(world):
    booked(world, days=3)  # 300 due
    before = _balances(world)
    ref = desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 200, note="n° 7")
    assert _balances(world) == (100, 0)
    with pytest.raises(InvalidInput, match="motif"):
        corrections.reverse_desk_payment(world.staff, world.family_a_id, ref, "")
    counter = corrections.reverse_desk_payment(world.staff, world.family_a_id, ref,
                                               "chèque saisi sur la mauvaise famille")
    assert _balances(world) == before
    with read() as session:
        original = session.scalar(select(Payment).where(Payment.reference == ref))
        reversal = session.scalar(select(Payment).where(Payment.reference == counter))
        assert original.amount_cents == 200 and original.state == "paid"  # kept as it was
        assert reversal.amount_cents == -200 and reversal.reverses_id == original.id
        assert session.scalar(select(func.sum(PaymentAllocation.amount_cents))) == 0
        assert session.scalar(select(func.sum(Charge.paid_cents))) == 0
    table = corrections.list_desk_payments(world.staff, world.family_a_id)
    assert list(table["Correction"]) == [f"annulé par {counter}", f"annule {ref}"]
    received = desk.list_received(world.staff)
    assert list(received[received["Montant"] < 0]["Référence"]) == [counter]
    assert set(received[received["Montant"] < 0]["État"]) == {"contre-passation"}
    assert "contre-passation" in pdf_text(receipt_pdf(world.staff, ref)).lower()
    assert f"Annule le règlement n° {ref}" in pdf_text(receipt_pdf(world.staff, counter))
    entry = _last_audit("reverse_desk_payment")
    assert entry.family_id == world.family_a_id and entry.source == "back_office"
    assert json.loads(entry.details)["reason"] == "chèque saisi sur la mauvaise famille"
    with pytest.raises(InvalidInput, match="déjà"):
        corrections.reverse_desk_payment(world.staff, world.family_a_id, ref, "encore")
    with pytest.raises(NotFound):
        corrections.reverse_desk_payment(world.staff, world.family_a_id, counter, "encore")
    # The family pays again: the charges take it as if the mistake never happened.
    desk.record_desk_payment(world.staff, world.family_a_id, "cash", 300)
    assert _balances(world) == (0, 0)
    check_all()


def test_a_reversed_payment_leaves_no_credit_to_spend(world):
    reg = booked(world, days=1)  # 100 due
    ref = desk.record_desk_payment(world.staff, world.family_a_id, "cash", 100)
    corrections.reverse_desk_payment(world.staff, world.family_a_id, ref, "double saisie")
    with pytest.raises(credits.NoCredit):
        credits.use_credit(world.family_a, [reg])
    assert _balances(world) == (100, 0)
    check_all()


def test_reversing_a_payment_takes_back_the_credit_note_it_left(world):
    reg = booked(world, days=2)
    ref = desk.record_desk_payment(world.staff, world.family_a_id, "cash", 200)
    with pytest.raises(Forbidden):
        corrections.reverse_desk_payment(world.staff_gabriel, world.family_a_id, ref, "erreur")
    corrections.cancel_for_family(world.staff, world.family_a_id, reg, _ids(reg)[:1], "malade")
    assert _balances(world) == (0, 100)  # the cancelled paid day came back as credit
    corrections.reverse_desk_payment(world.staff, world.family_a_id, ref, "billets faux")
    assert _balances(world) == (100, 0)  # the other day is due again, the credit is gone
    with pytest.raises(credits.NoCredit):
        credits.use_credit(world.family_a, [reg])
    with read() as session:
        notes = sorted(session.scalars(select(Payment.amount_cents).where(
            Payment.method == "credit_note")))
    assert notes == [-100, 100]
    check_all()


def test_reversal_refused_once_the_credit_it_left_is_spent(world):
    reg = booked(world, days=2)
    ref = desk.record_desk_payment(world.staff, world.family_a_id, "cash", 200)
    corrections.cancel_for_family(world.staff, world.family_a_id, reg, _ids(reg)[:1], "malade")
    reserve(world.family_a, reg, [(world.first_day + timedelta(days=7), world.units_peri[0])])
    assert credits.use_credit(world.family_a, [reg]) == 100
    with pytest.raises(InvalidInput, match="déjà servi"):
        corrections.reverse_desk_payment(world.staff, world.family_a_id, ref, "erreur")
    assert _balances(world) == (0, 0)
    check_all()
