"""Card payment: only a valid notification changes a payment, once, whatever the order."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import AuditEntry, Mail, Payment, PaymentAllocation
from services.billing.accounts import get_account, get_payment
from services.errors import Forbidden, LinkInvalid, NotFound
from services.payments import card, monetico
from tests.money import booked

KEY = "12345678901234567890123456789012345678P0"
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc)


def state() -> tuple:  # type: ignore[type-arg]
    """Everything a notification may change."""
    with read() as session:
        payments = session.execute(select(Payment.reference, Payment.state, Payment.paid_at)
                                   .order_by(Payment.id)).all()
        allocations = session.execute(select(PaymentAllocation.charge_id,
                                             PaymentAllocation.amount_cents)
                                      .order_by(PaymentAllocation.id)).all()
        mails = session.scalar(select(func.count(Mail.id)))
    return payments, allocations, mails


def notification(reference: str, cents: int, code: str = "payetest") -> dict[str, str]:
    return monetico.notification_fields(card.terminal(), reference, cents, code, NOW)


def started(world):  # type: ignore[no-untyped-def]
    reg = booked(world, days=2)
    return reg, card.start_card_payment(world.family_a, {reg: None})


def test_start_takes_the_amount_from_the_balance_not_the_browser(world):
    reg, start = started(world)
    assert start.amount_cents == 200  # two days of a 1 € unit
    assert get_account(world.family_a, world.today).total_due == 200
    assert get_payment(world.family_a, start.reference).state == "pending"


def test_an_accepted_notification_pays_allocates_and_mails_a_receipt(world):
    reg, start = started(world)
    assert card.apply_notification(notification(start.reference, 200)) == "version=2\ncdr=0\n"
    account = get_account(world.family_a, world.today)
    assert account.total_due == 0 and account.credit_cents == 0
    view = get_payment(world.family_a, start.reference)
    assert (view.state, view.allocated_cents) == ("paid", 200)
    with read() as session:
        assert session.scalar(select(func.count(Mail.id)).where(
            Mail.subject == f"Reçu de paiement {start.reference}")) == 1


def test_ten_replays_change_nothing(world):
    reg, start = started(world)
    fields = notification(start.reference, 200)
    card.apply_notification(fields)
    before = state()
    for _ in range(10):
        assert card.apply_notification(fields) == "version=2\ncdr=0\n"
    assert state() == before


def test_a_late_refusal_after_payment_changes_nothing(world):
    reg, start = started(world)
    card.apply_notification(notification(start.reference, 200))
    before = state()
    assert card.apply_notification(notification(start.reference, 200, "Annulation")) == \
        "version=2\ncdr=0\n"
    assert state() == before


def test_a_refusal_leaves_the_balance_due(world):
    reg, start = started(world)
    assert card.apply_notification(notification(start.reference, 200, "Annulation")) == \
        "version=2\ncdr=0\n"
    assert get_payment(world.family_a, start.reference).state == "refused"
    assert get_account(world.family_a, world.today).total_due == 200


@pytest.mark.parametrize("codes", [("Annulation", "payetest"), ("payetest", "Annulation")])
def test_a_refused_attempt_and_an_accepted_one_end_paid_in_either_order(world, codes):
    """The bank lets the family retry on its page: each attempt notifies, in any order."""
    reg, start = started(world)
    for code in codes:
        assert card.apply_notification(notification(start.reference, 200, code)) == \
            "version=2\ncdr=0\n"
    view = get_payment(world.family_a, start.reference)
    assert (view.state, view.allocated_cents) == ("paid", 200)
    assert get_account(world.family_a, world.today).total_due == 0
    with read() as session:
        assert session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "card_paid")) == 1
        assert session.scalar(select(func.count(Mail.id)).where(
            Mail.subject == f"Reçu de paiement {start.reference}")) == 1


@pytest.mark.parametrize("tamper", ["seal", "amount", "reference"])
def test_a_bad_notification_changes_nothing(world, tamper):
    reg, start = started(world)
    fields = notification(start.reference, 200)
    if tamper == "seal":
        fields["MAC"] = "0" * 40
        expected = "version=2\ncdr=1\n"
    elif tamper == "amount":
        fields = notification(start.reference, 1)
        expected = "version=2\ncdr=0\n"  # a genuine message, but not this payment's amount
    else:
        fields = notification("CUNKNOWN0001", 200)
        expected = "version=2\ncdr=0\n"
    before = state()
    assert card.apply_notification(fields) == expected
    assert state() == before
    assert get_payment(world.family_a, start.reference).state == "pending"


def test_a_payment_is_read_only_by_its_own_family(world):
    reg, start = started(world)
    with pytest.raises(NotFound):
        get_payment(world.family_b, start.reference)


def test_the_link_to_the_bank_is_single_use(world):
    reg, start = started(world)
    reference, token = start.redirect_path.split("/")[3], start.redirect_path.split("t=")[1]
    url, fields = card.bank_form(reference, token)
    assert url.endswith("/sandbox/bank") and monetico.seal_ok(fields, KEY)
    assert fields["montant"] == "2.00EUR" and fields["reference"] == start.reference
    with pytest.raises(LinkInvalid):
        card.bank_form(reference, token)
    with pytest.raises(LinkInvalid):
        card.bank_form(reference, "forged")


def test_partial_amounts_only_where_the_period_allows_them(world):
    from services.payments.card import PartialNotAllowed

    reg = booked(world, days=2)
    with pytest.raises(PartialNotAllowed):
        card.start_card_payment(world.family_a, {reg: 100})


def test_a_partial_amount_where_the_period_allows_it_pays_the_oldest_day_first(world):
    from dataclasses import replace

    from services.config import offer
    from services.errors import InvalidInput

    rules = offer.get_period(world.manager, world.period_peri)
    offer.update_period(world.manager, world.period_peri, replace(rules, partial_payment=True))
    reg = booked(world, days=2)  # 2 × 1 €
    for wrong in (0, -100, 201):
        with pytest.raises(InvalidInput):
            card.start_card_payment(world.family_a, {reg: wrong})
    start = card.start_card_payment(world.family_a, {reg: 150})
    assert start.amount_cents == 150
    card.apply_notification(notification(start.reference, 150))
    (line,) = get_account(world.family_a, world.today).registrations
    assert (line.charged_cents, line.balance_cents, line.partial_allowed) == (200, 50, True)
    assert line.paid_cents == 150
    with read() as session:
        assert [a for _, a in session.execute(
            select(PaymentAllocation.charge_id, PaymentAllocation.amount_cents)
            .order_by(PaymentAllocation.charge_id)).all()] == [100, 50]


def test_another_family_cannot_pay_for_a_registration_it_does_not_own(world):
    reg = booked(world, days=1)
    with pytest.raises(Forbidden):
        card.start_card_payment(world.family_b, {reg: None})


def test_a_charge_cancelled_while_at_the_bank_leaves_the_money_as_credit(world):
    from services.booking.cancel import cancel
    from db.models import Reservation

    reg, start = started(world)
    with read() as session:
        first = session.scalars(select(Reservation.id).where(
            Reservation.registration_id == reg).order_by(Reservation.id)).first()
    cancel(world.family_a, reg, [first])
    card.apply_notification(notification(start.reference, 200))
    account = get_account(world.family_a, world.today)
    assert account.total_due == 0 and account.credit_cents == 100


@pytest.fixture
def http(world, monkeypatch):  # type: ignore[no-untyped-def]
    from tests.http import serve_routes

    with serve_routes() as url:
        monkeypatch.setenv("PORTAIL_PUBLIC_URL", url)
        yield url


def test_the_notification_route_answers_the_bank(world, http):
    from tests.http import call

    reg, start = started(world)
    notify = http + "/api/monetico/notify"
    bad = notification(start.reference, 200)
    bad["MAC"] = bad["MAC"][::-1]
    before = state()
    assert call(notify, bad)[:2] == (200, "version=2\ncdr=1\n")
    assert call(notify, notification(start.reference, 999))[1] == "version=2\ncdr=0\n"
    assert call(notify, notification("CNOPE", 200))[1] == "version=2\ncdr=0\n"
    assert state() == before
    good = notification(start.reference, 200)
    assert call(notify, good)[1] == "version=2\ncdr=0\n"
    after = state()
    for _ in range(10):
        assert call(notify, good)[1] == "version=2\ncdr=0\n"
    assert state() == after and after[0][-1][1] == "paid"
    with read() as session:
        assert session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "card_paid")) == 1


def _form_fields(page: str) -> dict[str, str]:
    import html
    import re

    return {k: html.unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', page)}


@pytest.mark.parametrize("card_number, paid", [("4000 0000 0000 0002", True),
                                               ("4000000000000036", False)])
def test_the_sandbox_bank_checks_the_form_notifies_and_sends_the_browser_back(
        world, http, card_number, paid):
    from tests.http import call

    reg, start = started(world)
    status, page, _ = call(http + start.redirect_path)
    assert status == 200 and 'name="MAC"' in page
    assert "Continuer vers le paiement" in page and "/api/assets/go.js" in page
    assert call(http + start.redirect_path)[0] == 410  # single use
    fields = _form_fields(page)
    tampered = {**fields, "montant": "0.01EUR"}
    assert call(http + "/sandbox/bank", tampered)[0] == 400
    status, card_page, _ = call(http + "/sandbox/bank", fields)
    assert status == 200 and "4000 0000 0000 0002" in card_page and "2.00EUR" in card_page
    status, _, headers = call(http + "/sandbox/bank/pay", {**_form_fields(card_page),
                                                          "card": card_number, "action": "pay"})
    assert status == 303
    assert headers["location"].startswith(http + f"/api/payments/{start.reference}/retour")
    assert ("echec" in headers["location"]) != paid
    status, back, _ = call(headers["location"])
    assert status == 200 and ("Paiement accepté" if paid else "Paiement non abouti") in back
    assert "DUPONT" not in back and "Léa" not in back
    view = get_payment(world.family_a, start.reference)
    assert view.state == ("paid" if paid else "refused")
    assert get_account(world.family_a, world.today).total_due == (0 if paid else 200)


def test_the_sandbox_is_off_when_a_real_bank_is_configured(world, http, monkeypatch):
    from tests.http import call

    reg, start = started(world)
    page = call(http + start.redirect_path)[1]
    monkeypatch.setenv("MONETICO_URL", "https://p.monetico-services.com/test/paiement.cgi")
    assert call(http + "/sandbox/bank", _form_fields(page))[0] == 400


def test_a_real_key_without_the_bank_url_turns_the_sandbox_off(world, http, monkeypatch):
    from tests.http import call

    reg, start = started(world)
    monkeypatch.setenv("MONETICO_KEY", "ABCDEF0123456789ABCDEF0123456789ABCDEF01")
    assert call(http + start.redirect_path)[0] == 410  # no form signed with the real key
    page_fields = monetico.request_fields(card.terminal(), monetico.Order(
        start.reference, start.amount_cents, "a@b.fr", "", http, http, "", "", "", NOW))
    assert call(http + "/sandbox/bank", page_fields)[0] == 400
    assert call(http + "/sandbox/bank/pay", {**page_fields, "card": "4000000000000002",
                                             "action": "pay"})[0] == 400
    assert get_payment(world.family_a, start.reference).state == "pending"
    with pytest.raises(card.CardUnavailable):
        card.bank_form(start.reference, start.redirect_path.split("t=")[1])


def test_the_same_notification_delivered_concurrently_applies_once(world):
    from concurrent.futures import ThreadPoolExecutor

    reg, start = started(world)
    fields = notification(start.reference, 200)
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: card.apply_notification(fields), range(12)))
    assert answers == ["version=2\ncdr=0\n"] * 12
    payments, allocations, _ = state()
    assert [p[1] for p in payments] == ["paid"] and sum(a for _, a in allocations) == 200
    with read() as session:
        assert session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "card_paid")) == 1
