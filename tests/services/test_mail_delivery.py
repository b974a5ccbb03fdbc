"""Mail goes out over real SMTP; with the server down it waits, then goes once."""
from __future__ import annotations

from sqlalchemy import select

from db.engine import read
from db.models import Mail
from services import registrations
from services.mail.delivery import deliver_pending
from tests.smtp import text_of


def _states() -> list[str]:
    with read() as session:
        return list(session.scalars(select(Mail.state).order_by(Mail.id)))


def test_without_smtp_mails_stay_in_the_local_outbox(world):
    registrations.request_registration(world.family_a, world.lea, world.period_peri)
    assert _states() == ["local"]
    assert deliver_pending() == 0


def test_mail_is_delivered_to_a_real_smtp_server(world, smtp_server):
    registrations.request_registration(world.family_a, world.lea, world.period_peri)
    assert deliver_pending() == 1
    assert smtp_server.subjects() == ["Demande d'inscription reçue"]
    assert smtp_server.messages[0]["To"] == "dupont@test.example"
    assert "Léa" in text_of(smtp_server.messages[0])
    assert _states() == ["sent"]
    assert deliver_pending() == 0  # nothing goes twice


def test_smtp_down_keeps_mails_queued_then_sends_each_once(world, monkeypatch):
    from tests import smtp
    from tests.net import free_port

    port = free_port()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    registrations.request_registration(world.family_a, world.lea, world.period_peri)
    registrations.request_registration(world.family_b, world.zoe, world.period_peri)
    assert deliver_pending() == 0
    assert _states() == ["queued", "queued"]
    with read() as session:
        assert all("SMTP injoignable" in m.last_error for m in session.scalars(select(Mail)))
    controller, collector = smtp.start(port)
    try:
        assert deliver_pending() == 2
        assert deliver_pending() == 0
    finally:
        controller.stop()
    assert sorted(m["To"] for m in collector.messages) == ["dupont@test.example",
                                                           "durand@test.example"]
    assert _states() == ["sent", "sent"]
