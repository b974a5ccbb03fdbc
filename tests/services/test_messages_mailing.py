"""Mails to an activity's families: exactly the families of the audience chosen, never
another site's; one mail each, signed, and the same words in each family's message box."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry, Mail
from services import organisation, registrations
from services.booking import reserve
from services.errors import Forbidden, InvalidInput, NotFound
from services.mail.pages import page_url
from services.messages import mailing, threads
from services.messages.mailing import Audience


def world_with_peri(w):  # type: ignore[no-untyped-def]
    """B (Zoé) and A (Léa) registered at the Chats Perchés périscolaire; only Zoé books the
    first day. A's Saint Gabriel request (Léa, Wednesdays) waits for the desk."""
    for family, child in ((w.family_b, w.zoe), (w.family_a, w.lea)):
        reg = registrations.request_registration(family, child, w.period_peri)
        registrations.decide(w.staff, reg, validate=True)
        if child == w.zoe:
            reserve.reserve(family, reg, [(w.first_day, w.units_peri[0])])
    registrations.request_registration(w.family_a, w.tom, w.period_peri_small)  # requested
    registrations.request_registration(w.family_a, w.lea, w.period_wed)


def names(recipients) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.family for r in recipients]


def test_the_audience_is_exactly_the_families_chosen(world):
    w = world
    world_with_peri(w)
    whole = Audience(w.site_chats, w.activity_peri, w.period_peri)
    assert names(mailing.list_recipients(w.staff, whole)) == ["DUPONT", "DURAND"]
    on_day = Audience(w.site_chats, w.activity_peri, w.period_peri, (w.first_day,))
    assert names(mailing.list_recipients(w.staff, on_day)) == ["DURAND"]
    other_day = Audience(w.site_chats, w.activity_peri, None, (w.first_day.replace(day=1),))
    assert mailing.list_recipients(w.staff, other_day) == []
    # Tom's request is not validated: the 4/5 ans period reaches nobody yet.
    small = Audience(w.site_chats, w.activity_peri, w.period_peri_small)
    assert mailing.list_recipients(w.manager, small) == []
    # Saint Gabriel: Léa's Wednesday request waits, so nobody there either.
    gabriel = Audience(w.site_gabriel, w.activity_wed)
    assert mailing.list_recipients(w.staff_gabriel, gabriel) == []
    with pytest.raises(InvalidInput):
        mailing.send_mailing(w.staff_gabriel, gabriel, "Sortie", "Texte")


def test_a_desk_reaches_only_the_families_of_its_sites(world):
    w = world
    world_with_peri(w)
    chats = Audience(w.site_chats, w.activity_peri, w.period_peri)
    with pytest.raises(Forbidden):
        mailing.list_recipients(w.staff_gabriel, chats)
    with pytest.raises(Forbidden):
        mailing.send_mailing(w.staff_gabriel, chats, "Sortie", "Texte")
    with pytest.raises(NotFound):  # Chats Perchés' activity named under Saint Gabriel
        mailing.send_mailing(w.staff_gabriel, Audience(w.site_gabriel, w.activity_peri),
                             "Sortie", "Texte")
    with pytest.raises(Forbidden):
        mailing.list_recipients(w.family_b, chats)
    with read() as session:
        assert session.scalar(select(Mail.id).where(Mail.subject == "Sortie")) is None
    assert threads.list_threads(w.staff) == []


def test_each_family_gets_one_signed_mail_and_a_thread_from_the_centre(world):
    w = world
    world_with_peri(w)
    audience = Audience(w.site_chats, w.activity_peri, w.period_peri)
    sent = mailing.send_mailing(w.staff, audience, "Sortie au parc", "Prévoir une casquette.")
    assert sent == 2
    signed = f"Prévoir une casquette.\n\n{organisation.signature()}"
    with read() as session:
        mails = sorted(session.execute(select(Mail.recipient, Mail.body).where(
            Mail.subject == "Sortie au parc")).all())
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "activity_mailing"))
    mailed = (f"Prévoir une casquette.\n\nCe message est aussi dans votre messagerie du "
              f"portail : {page_url('messages')}\n\n{organisation.signature()}")
    assert [tuple(m) for m in mails] == [("dupont@test.example", mailed),
                                         ("durand@test.example", mailed)]
    assert sorted(json.loads(entry.details)["families"]) == sorted([w.family_a_id,
                                                                    w.family_b_id])
    for family in (w.family_a, w.family_b):
        [thread] = threads.list_threads(family)
        assert (thread.subject, thread.from_family, thread.unread) == ("Sortie au parc",
                                                                      False, True)
        assert threads.count_unread(family) == 1
        assert [m.body for m in threads.get_thread(family, thread.id).messages] == [signed]
    assert threads.count_unread(w.staff) == 0  # the centre wrote them: nothing to read
    assert len(threads.list_threads(w.staff)) == 2
    # The Saint Gabriel desk sees DUPONT's box (Léa asked for Wednesdays there), not DURAND's.
    assert [t.family for t in threads.list_threads(w.staff_gabriel)] == ["DUPONT"]
