"""Set-password and reset links reach their recipient only: the outbox staff read shows them
masked, the SMTP mail carries them, and a resend issues a new link."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from db.engine import read, transaction
from db.models import Mail, UserAccount
from services.auth import links
from services.errors import Forbidden, LinkInvalid
from services.mail import outbox
from services.mail.delivery import deliver_pending
from services.mail.outbox import LINK_MASK
from services.staff import mails as staff_mails
from tests.links import last_token
from tests.smtp import text_of


def _user_id(email: str) -> int:
    with read() as session:
        return session.scalar(select(UserAccount.id).where(UserAccount.email == email))


def _last_mail(address: str) -> Mail:
    with read() as session:
        return session.scalars(select(Mail).where(Mail.recipient == address)
                               .order_by(Mail.id.desc())).first()


def _everything_staff_read(world) -> str:  # type: ignore[no-untyped-def]
    views = [*staff_mails.list_outbox(world.staff), *staff_mails.list_outbox(world.manager),
             *outbox.list_mails(world.manager)]
    return "\n".join(f"{m.subject}\n{m.body}" for m in views)


def test_with_smtp_only_the_sent_mail_carries_the_link(world, smtp_server):
    links.send_invitation(world.staff, _user_id("durand@test.example"))
    links.request_reset("dupont@test.example")
    stored = _last_mail("durand@test.example")
    assert LINK_MASK in stored.body and "jeton=" not in stored.body
    assert stored.link is not None  # kept apart until delivery
    read_by_staff = _everything_staff_read(world)
    assert "jeton=" not in read_by_staff and read_by_staff.count(LINK_MASK) >= 2
    assert deliver_pending() >= 2
    (message,) = [m for m in smtp_server.messages if m["To"] == "durand@test.example"]
    body = text_of(message)
    token = re.search(r"mot_de_passe\?jeton=([A-Za-z0-9_\-]+)", body).group(1)
    assert LINK_MASK not in body
    assert _last_mail("durand@test.example").link is None  # delivered: gone from the database
    assert links.redeem(token, "choisi2026mdp") == "durand@test.example"


def test_without_smtp_the_link_goes_to_the_server_console_only(world, capsys):
    links.send_invitation(world.staff, _user_id("durand@test.example"))
    token = last_token(capsys, "durand@test.example")
    stored = _last_mail("durand@test.example")
    assert stored.link is None and token not in stored.body
    assert token not in _everything_staff_read(world)


def test_resend_issues_a_new_link_and_the_old_one_stops_working(world, capsys):
    links.send_invitation(world.staff, _user_id("durand@test.example"))
    old = last_token(capsys, "durand@test.example")
    mail_id = _last_mail("durand@test.example").id
    assert staff_mails.resend(world.staff, mail_id) is True
    new = last_token(capsys, "durand@test.example")
    assert new != old
    with pytest.raises(LinkInvalid):
        links.redeem(old, "choisi2026mdp")
    assert links.redeem(new, "choisi2026mdp") == "durand@test.example"


def test_a_staff_accounts_link_is_resent_by_managers_only(world, capsys):
    links.send_invitation(world.manager, _user_id("gabriel@test.example"))
    mail_id = _last_mail("gabriel@test.example").id
    with pytest.raises(Forbidden):
        staff_mails.resend(world.staff, mail_id)
    assert staff_mails.resend(world.manager, mail_id) is True
    assert last_token(capsys, "gabriel@test.example")


def test_mails_written_before_masking_never_show_their_token(world):
    with transaction() as session:
        session.add(Mail(recipient="dupont@test.example", family_id=world.family_a_id,
                         subject="Ancien lien", state="local",
                         body="Votre lien : http://localhost:8501/mot_de_passe?jeton=abcDEF123_-x"
                              " à utiliser vite."))
    shown = _everything_staff_read(world)
    assert "abcDEF123" not in shown and "à utiliser vite" in shown


def test_the_migration_masks_links_stored_before_it(world):
    from tests.db.test_migrations import down_and_up_again

    with transaction() as session:
        session.add(Mail(recipient="dupont@test.example", family_id=world.family_a_id,
                         subject="Ancien lien", state="sent",
                         body="Lien : http://localhost:8501/mot_de_passe?jeton=abcDEF123_-x\nFin"))
    down_and_up_again("0011_organisation_profile")
    with read() as session:
        body = session.scalar(select(Mail.body).where(Mail.subject == "Ancien lien"))
    assert body == f"Lien : {LINK_MASK}\nFin"
