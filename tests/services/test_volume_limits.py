"""Volume limits: reset mails per address and requests per client, pending change requests
per family, each refused with a French message (or, where a message would tell which
accounts exist, with the usual neutral silence)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.base import utcnow
from db.engine import read
from db.models import ChangeRequest, Mail
from services.auth import links, throttle
from services.errors import TooManyRequests
from services.families.changes import decide_change, request_change


def _mails_to(address: str) -> int:
    with read() as session:
        return session.scalar(select(func.count(Mail.id)).where(Mail.recipient == address))


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


@pytest.fixture
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    clock = Clock()
    monkeypatch.setattr(links, "utcnow", clock)
    return clock


def test_thirty_reset_requests_send_three_mails_an_hour(world, clock):
    for n in range(30):  # from many addresses, as a botnet would
        links.request_reset("dupont@test.example", f"198.51.100.{n}")
    assert _mails_to("dupont@test.example") == 3
    clock.now += timedelta(minutes=61)
    links.request_reset("dupont@test.example", "192.0.2.1")
    assert _mails_to("dupont@test.example") == 4


def test_a_client_making_too_many_requests_is_told_in_french_whatever_the_address(world,
                                                                                   clock):
    for n in range(10):
        links.request_reset(f"personne{n}@test.example", "198.51.100.50")
    for address in ("durand@test.example", "inconnu@test.example"):
        with pytest.raises(TooManyRequests) as refused:
            links.request_reset(address, "198.51.100.50")
        assert refused.value.message.startswith("Trop de demandes depuis cet appareil")
        assert "60 minute" in refused.value.message
    assert _mails_to("durand@test.example") == 0
    links.request_reset("durand@test.example", "198.51.100.51")  # another client is free
    assert _mails_to("durand@test.example") == 1
    clock.now += timedelta(hours=1)
    links.request_reset("inconnu@test.example", "198.51.100.50")


def test_hourly_allowance_counts_in_the_database(world):
    from db.engine import transaction

    now = utcnow()
    with transaction() as session:
        answers = [throttle.hourly_allowance(session, "form", "x", 2, now).allowed
                   for _ in range(4)]
    assert answers == [True, True, False, False]


def test_a_family_has_one_pending_request_per_field(world):
    first = request_change(world.family_a, "qf", "450")
    assert request_change(world.family_a, "qf", "450") == first  # a double click
    for value in ("460", "470"):
        with pytest.raises(TooManyRequests) as refused:
            request_change(world.family_a, "qf", value)
        assert "quotient familial" in refused.value.message
    request_change(world.family_a, "health_notes", "Asthme", world.lea)  # another kind
    request_change(world.family_a, "health_notes", "Rien", world.tom)     # another child
    decide_change(world.staff, first, approve=False, reason="Justificatif manquant")
    request_change(world.family_a, "qf", "470")  # answered: the family may ask again
    with read() as session:
        assert session.scalar(select(func.count(ChangeRequest.id)).where(
            ChangeRequest.family_id == world.family_a_id)) == 4
    assert _mails_to("dupont@test.example") <= 6


def test_forty_qf_requests_make_one_pending_request_and_one_mail(world):
    before = _mails_to("dupont@test.example")
    refused = 0
    for n in range(40):
        try:
            request_change(world.family_a, "qf", str(400 + n))
        except TooManyRequests:
            refused += 1
    assert refused == 39
    assert _mails_to("dupont@test.example") == before + 1


def test_a_client_trying_many_links_is_refused_in_french(world, clock):
    from services.errors import LinkInvalid

    for n in range(10):
        with pytest.raises(LinkInvalid):
            links.redeem(f"jeton-invente-{n}", "Cerise-Volcan-42", "198.51.100.60")
    with pytest.raises(TooManyRequests) as refused:
        links.redeem("jeton-invente-x", "Cerise-Volcan-42", "198.51.100.60")
    assert refused.value.message.startswith("Trop de demandes depuis cet appareil")
    with pytest.raises(LinkInvalid):  # another client is not held back
        links.redeem("jeton-invente-y", "Cerise-Volcan-42", "198.51.100.61")
