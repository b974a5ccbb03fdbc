"""AppTest of the outbox page: counts, filters, resend."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from db.engine import read, transaction
from db.models import Mail
from services import registrations
from tests.pages.apptest import page_as, shown, texts

STAFF, FAMILY, GABRIEL = "accueil@test.example", "dupont@test.example", "gabriel@test.example"


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    world = build()
    registrations.request_registration(world.family_a, world.lea, world.period_peri)
    registrations.request_registration(world.family_b, world.zoe, world.period_wed)
    with transaction() as session:
        session.execute(update(Mail).where(Mail.family_id == world.family_a_id)
                        .values(state="failed", attempts=5, last_error="550 boîte inconnue"))
    return world


def test_failures_are_counted_filtered_and_resent(built, smtp_server):
    at = page_as("pages/staff_outbox.py", STAFF)
    assert not at.exception
    assert next(m for m in at.metric if m.label == "Mails en échec").value == "1"
    at.selectbox(key="outbox_state").select("Échec").run()
    assert [shown(e.label).split(" · ")[1] for e in at.expander] == ["dupont@test.example"]
    assert "550 boîte inconnue" in texts(at)
    at.button[0].click().run()
    assert "Mail remis dans la file d'envoi." in texts(at)
    with read() as session:
        assert session.scalar(select(Mail.state).where(
            Mail.family_id == built.family_a_id)) == "queued"


def test_filter_by_family(built):
    at = page_as("pages/staff_outbox.py", STAFF)
    at.text_input(key="outbox_family").input("durand").run()
    assert [shown(e.label).split(" · ")[1] for e in at.expander] == ["durand@test.example"]


def test_wrong_roles(built):
    assert "n'est pas accessible" in texts(page_as("pages/staff_outbox.py", FAMILY))
    at = page_as("pages/staff_outbox.py", GABRIEL)
    assert "dupont@test.example" not in " ".join(e.label for e in at.expander)
    assert next(m for m in at.metric if m.label == "Mails en échec").value == "0"


@pytest.mark.parametrize("email", [STAFF, "direction@test.example"])
def test_no_link_token_is_ever_on_the_page(built, capsys, email):
    from services.auth import links
    from services.mail.outbox import LINK_MASK
    from tests.links import last_token

    links.request_reset("dupont@test.example")
    links.request_reset("durand@test.example")
    tokens = {last_token(capsys, "dupont@test.example"), last_token(capsys, "durand@test.example")}
    at = page_as("pages/staff_outbox.py", email)
    shown = texts(at)
    assert LINK_MASK in shown and "jeton=" not in shown
    assert not any(token in shown for token in tokens)


def test_resending_a_link_mail_sends_a_new_link(built, capsys):
    from services.auth import links
    from tests.links import last_token

    links.request_reset("durand@test.example")
    old = last_token(capsys, "durand@test.example")
    at = page_as("pages/staff_outbox.py", STAFF)
    (button,) = [b for b in at.button if b.label == "Envoyer un nouveau lien"]
    button.click().run()
    assert "Un nouveau lien a été envoyé ; l'ancien ne fonctionne plus." in texts(at)
    assert last_token(capsys, "durand@test.example") != old
    assert old not in texts(at)
