"""The reception's outbox: filter by state and family, failures counted, resend."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from db.engine import transaction
from db.models import Mail
from services import registrations
from services.errors import Forbidden
from services.staff import mails


def _mail_for_each_family(world):
    registrations.request_registration(world.family_a, world.lea, world.period_peri)  # Chats
    registrations.request_registration(world.family_b, world.zoe, world.period_wed)  # Gabriel


def _set(state: str, attempts: int, family_id: int) -> None:
    with transaction() as session:
        session.execute(update(Mail).where(Mail.family_id == family_id)
                        .values(state=state, attempts=attempts, last_error="550 refusé"))


def test_filters_by_family_and_state_and_counts_failures(world):
    _mail_for_each_family(world)
    _set("failed", 5, world.family_a_id)
    _set("queued", 2, world.family_b_id)
    assert [m.family_id for m in mails.list_outbox(world.staff, family_id=world.family_b_id)] \
        == [world.family_b_id]
    assert [m.family_id for m in mails.list_outbox(world.staff, state="failed")] == \
        [world.family_a_id]
    assert [m.family_id for m in mails.list_outbox(world.staff, state=mails.RETRYING)] == \
        [world.family_b_id]
    counts = mails.count_outbox(world.staff)
    assert (counts.failed, counts.retrying) == (1, 1)


def test_resend_puts_a_failed_mail_back_in_the_queue(world, smtp_server):
    _mail_for_each_family(world)
    _set("failed", 5, world.family_a_id)
    failed = mails.list_outbox(world.staff, state="failed")[0]
    with pytest.raises(Forbidden):
        mails.resend(world.staff_gabriel, failed.id)
    mails.resend(world.staff, failed.id)
    again = mails.list_outbox(world.staff, family_id=world.family_a_id)[0]
    assert (again.state, again.attempts) == ("queued", 0)


def test_staff_of_saint_gabriel_see_only_their_families_mails(world):
    _mail_for_each_family(world)
    _set("failed", 5, world.family_a_id)
    assert {m.family_id for m in mails.list_outbox(world.staff_gabriel)} == {world.family_b_id}
    assert mails.count_outbox(world.staff_gabriel).failed == 0
    with pytest.raises(Forbidden):
        mails.list_outbox(world.staff_gabriel, family_id=world.family_a_id)
    with pytest.raises(Forbidden):
        mails.count_outbox(world.family_a)
