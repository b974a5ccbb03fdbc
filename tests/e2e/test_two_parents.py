"""Issue #13, point 4, in chromium over real SMTP: the two parents of a separated family, each in
their own browser, book their own week of the same child, pay their own share by card at the
sandbox bank, see only their own balance, and each receive only their own mails; a change of
the child's health reaches both of them (a safety mail goes to every household of the child).

One server, its own: it sends mail to an aiosmtpd server started here."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import read, reset_engine
from db.models import Charge
from services import registrations
from services.auth import login
from services.billing.pdf import euros
from services.families import accounts, changes, households
from services.mail.delivery import deliver_pending
from tests import smtp
from tests.e2e.conftest import DESKTOP, serving, shot, sign_in, wait_idle
from tests.e2e.staff_data import STAFF_EMAIL, actor, new_family, period
from tests.e2e.test_family_journey import choose, submit
from tests.e2e.test_households import MANAGER, PASSWORD, _cell, _family, _weeks, tick
from ui.format import month_title

ACCOUNT = "Mon compte – Détail financier par inscription"


@pytest.fixture
def mailing_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                ) -> Iterator[tuple[str, smtp.Collector]]:
    """The app served with SMTP_HOST/SMTP_PORT pointing at a local aiosmtpd; the services of
    this test talk to its database and queue mail as it does."""
    controller, collector = smtp.start()
    mail_env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(controller.port)}
    try:
        with serving(tmp_path, extra_env=mail_env) as (url, database):
            for name, value in {**mail_env, "DATABASE_URL": f"sqlite:///{database}",
                                "BCRYPT_ROUNDS": "4"}.items():
                monkeypatch.setenv(name, value)
            reset_engine()
            yield url, collector
            reset_engine()
    finally:
        controller.stop()


def _deliver() -> None:
    """Send what is queued now (the served app's worker does the same every 15 s; claims
    keep the two from sending a mail twice)."""
    while deliver_pending():
        pass


def _subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _mails_to(collector: smtp.Collector, email: str) -> list[Message]:
    return [m for m in collector.messages if m["To"].strip().lower() == email]


def _due(page) -> str:  # type: ignore[no-untyped-def]
    metric = page.locator('[data-testid="stMetric"]', has_text="Total reste à payer")
    metric.wait_for()
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _pay_all_by_card(page) -> None:  # type: ignore[no-untyped-def]
    """On « Mon compte »: tick every line, pay at the sandbox bank, wait for 0,00 €."""
    for box in page.get_by_role("checkbox", name="Sélectionner").all():
        box.check(force=True)
        wait_idle(page)
    page.get_by_role("button", name="Règlement").click()
    wait_idle(page)
    link = page.get_by_role("link", name="Continuer vers le paiement")
    with page.context.expect_page() as popup:
        link.click()
    bank = popup.value
    bank.get_by_role("heading", name="Monetico Paiement (banque de test)").wait_for()
    bank.get_by_label("Numéro de carte bancaire").fill("4000 0000 0000 0002")
    bank.get_by_role("button", name="Payer").click()
    bank.get_by_role("heading", name="Paiement accepté").wait_for()
    bank.close()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')]"
        ".some(m => m.innerText.includes('Total reste à payer') && m.innerText.includes('0,00 €'))")


def _book(page, base: str, email: str, week: list[date]) -> str:  # type: ignore[no-untyped-def]
    """As test_households' _book_week, for Nina's only activity."""
    sign_in(page, base, email, PASSWORD)
    page.get_by_role("link", name="Mes réservations").click()
    page.get_by_role("heading", name="Mes réservations").wait_for()
    choose(page, 0, "Nina")
    choose(page, 1, month_title(week[0].year, week[0].month))
    page.get_by_role("heading", name=month_title(week[0].year, week[0].month)).wait_for()
    tick(page, week)
    return submit(page)


def _owed(family_id: int) -> int:
    with read() as session:
        return int(session.scalar(select(func.sum(Charge.amount_cents))
                                  .where(Charge.family_id == family_id)) or 0)


def _days_charged(family_id: int) -> list[date]:
    with read() as session:
        return sorted(session.scalars(select(Charge.day).where(Charge.family_id == family_id)))


def test_two_parents_book_pay_and_hear_only_their_own_but_both_hear_of_safety(
        mailing_app, browser):
    url, collector = mailing_app
    # Setup through the services (the linking UI is test_households'): Nina lives with
    # parent A (household A) and with parent B (household B), each the payer of their home.
    name_a, (nina,) = new_family([("Nina", 8)])
    name_b, _ = new_family([("Sacha", 9)])
    family_a, family_b = _family(name_a), _family(name_b)
    email_a, email_b = f"{name_a.lower()}@example.org", f"{name_b.lower()}@example.org"
    for fid in (family_a, family_b):
        for user in accounts.account_ids(fid):
            accounts.set_password_directly(actor(MANAGER), user, PASSWORD)
    staff = actor(STAFF_EMAIL)
    households.link_child(staff, nina, family_b)
    peri = period("CHATS PERCHES PERISCOLAIRE", "6/12 ans")
    parent = {email: login.sign_in(email, PASSWORD).actor for email in (email_a, email_b)}
    for email in (email_a, email_b):
        registrations.decide(staff, registrations.request_registration(
            parent[email], nina, peri), True)
    week_a, week_b = _weeks(peri)
    week_a = week_a[:2]  # two days for A, more for B: their shares differ
    assert len(week_b) > len(week_a)
    _deliver()
    collector.messages.clear()  # the registrations' mails: not this journey's

    # 1. Each parent, in their own browser, books their own week of Nina.
    contexts = [browser.new_context(viewport=DESKTOP, locale="fr-FR") for _ in range(2)]
    page_a, page_b = (c.new_page() for c in contexts)
    for page in (page_a, page_b):
        page.set_default_timeout(20_000)
    assert "réservation validée" in _book(page_a, url, email_a, week_a)
    month = month_title(week_a[0].year, week_a[0].month)
    page_a.get_by_role("heading", name=month).scroll_into_view_if_needed()
    shot(page_a, "two_parents_a_grid")
    assert "réservation validée" in _book(page_b, url, email_b, week_b)
    for d in week_a:
        _cell(page_b, d, "Journée réservée par l'autre foyer").wait_for()
    shot(page_b, "two_parents_b_grid")
    assert _days_charged(family_a) == week_a and _days_charged(family_b) == week_b
    owed = {email_a: _owed(family_a), email_b: _owed(family_b)}
    assert 0 < owed[email_a] < owed[email_b]

    # 2. Each sees only their own balance on « Mon compte », and pays it by card.
    for page, email in ((page_a, email_a), (page_b, email_b)):
        page.get_by_role("link", name="Mon compte").click()
        page.get_by_role("heading", name=ACCOUNT).wait_for()
        wait_idle(page)
        assert _due(page) == euros(owed[email])
        other = email_b if email == email_a else email_a
        assert euros(owed[other]) not in page.locator("body").inner_text()
        shot(page, f"two_parents_{'a' if email == email_a else 'b'}_account_due")
        _pay_all_by_card(page)
    shot(page_a, "two_parents_a_account_paid")
    shot(page_b, "two_parents_b_account_paid")
    for context in contexts:
        context.close()

    # 3. Each address received its own confirmation and receipt, nothing of the other's.
    _deliver()
    for email, other in ((email_a, email_b), (email_b, email_a)):
        mine = _mails_to(collector, email)
        subjects = sorted(_subject(m) for m in mine)
        assert len(subjects) == 2, subjects
        assert subjects[0].startswith("Reçu de paiement ")
        assert subjects[1] == f"Vos réservations pour Nina {name_a} – CHATS PERCHES PERISCOLAIRE"
        text = "\n".join(smtp.text_of(m) for m in mine)
        assert euros(owed[email]) in text
        assert euros(owed[other]) not in text
    # (The worker's reminders to the demo's families may pass by; none speaks of Nina.)
    assert {m["To"].strip().lower() for m in collector.messages
            if "Nina" in _subject(m) + smtp.text_of(m)} == {email_a, email_b}

    # 4. A safety mail: parent A asks to change Nina's health notes, reception accepts;
    # both parents hear of it, whichever household asked.
    collector.messages.clear()
    change = changes.request_change(parent[email_a], "health_notes",
                                    "Allergie aux arachides (trousse PAI dans le sac).", nina)
    assert changes.decide_change(staff, change, True) == "validated"
    _deliver()
    accepted = [m for m in collector.messages
                if _subject(m) == "Demande de modification acceptée"]
    assert sorted(m["To"].strip().lower() for m in accepted) == sorted([email_a, email_b])
    html = smtp.html_of(accepted[0])
    assert re.search(r"<html", html, re.I) and "prise en compte" in html
