"""The centre's words for families (welcome, memo, canteen, news), the booking memo of a
registration and the family's own prices before booking."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from hypothesis import given
from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry, NewsItem, Organisation
from services import content, registrations
from services.booking.memo import get_booking_memo, limit_words
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.catalogue.prices import get_family_prices
from services.content import FamilyTexts
from services.errors import Forbidden, InvalidInput, NotFound
from tests.services.test_bad_input import FAST, _guarded, hostile_date, hostile_int, hostile_text


def _org_row(world) -> tuple:  # type: ignore[no-untyped-def]
    with read() as session:
        org = session.get(Organisation, world.organisation)
        return (org.welcome_message, org.booking_memo, org.canteen_notice, org.canteen_url)


def _audits(action: str) -> int:
    with read() as session:
        return len(list(session.scalars(select(AuditEntry).where(AuditEntry.action == action))))


def test_manager_writes_the_family_texts_and_everyone_reads_them(world):
    texts = FamilyTexts("Bienvenue !\nBonne rentrée.", "Chers Parents,", "INFO CANTINE : Pass",
                        "https://cantine.example.org/")
    content.update_family_texts(world.manager, texts)
    assert _org_row(world) == ("Bienvenue !\nBonne rentrée.", "Chers Parents,",
                               "INFO CANTINE : Pass", "https://cantine.example.org/")
    assert content.get_welcome(world.family_a, world.today).texts == texts
    assert content.get_canteen_notice() == ("INFO CANTINE : Pass", "https://cantine.example.org/")
    assert content.get_family_texts(world.manager) == texts
    assert _audits("update_family_texts") == 1


@pytest.mark.parametrize("who", ["family_a", "staff"])
def test_only_managers_write(world, who):
    before = _org_row(world)
    with pytest.raises(Forbidden):
        content.update_family_texts(getattr(world, who), FamilyTexts("x", "y", "z", ""))
    with pytest.raises(Forbidden):
        content.create_news(getattr(world, who), "Titre", "", world.today)
    assert _org_row(world) == before


@pytest.mark.parametrize("texts, words", [
    (FamilyTexts("", "", "", "javascript:alert(1)"), "https://"),
    (FamilyTexts("", "", "", "https://a b.fr/x"), "adresse web"),
    (FamilyTexts("x" * 4001, "", "", ""), "4000 caractères"),
    (FamilyTexts("", "bip\x07", "", ""), "caractère non autorisé"),
])
def test_bad_texts_are_refused_in_french_and_change_nothing(world, texts, words):
    content.update_family_texts(world.manager, FamilyTexts("Avant", "", "", ""))
    with pytest.raises(InvalidInput) as refused:
        content.update_family_texts(world.manager, texts)
    assert words in refused.value.message
    assert _org_row(world)[0] == "Avant"


def test_news_published_newest_first_and_future_ones_wait(world):
    today = world.today
    old = content.create_news(world.manager, "Fermeture d'août", "Le centre ferme.",
                              today - timedelta(days=10))
    new = content.create_news(world.manager, "Inscriptions été", "", today)
    later = content.create_news(world.manager, "Fête de fin d'année", "", today + timedelta(5))
    assert [n.id for n in content.get_welcome(world.family_a, today).news] == [new, old]
    assert [n.id for n in content.list_news(world.manager)] == [later, new, old]
    content.update_news(world.manager, old, "Fermeture en août", "Du 1er au 15.",
                        today + timedelta(days=1))
    assert [n.title for n in content.get_welcome(world.family_a, today).news] == [
        "Inscriptions été"]
    content.delete_news(world.manager, new)
    assert content.get_welcome(world.family_a, today).news == []
    assert (_audits("create_news"), _audits("update_news"), _audits("delete_news")) == (3, 1, 1)
    with pytest.raises(NotFound):
        content.delete_news(world.manager, new)


@pytest.mark.parametrize("title, day, words", [
    ("   ", "today", "obligatoire"), ("x" * 201, "today", "200 caractères"),
    ("Titre", None, "doit être une date"), ("Titre\nsuite", "today", "une ligne"),
])
def test_bad_news_is_refused_and_nothing_is_stored(world, title, day, words):
    with pytest.raises(InvalidInput) as refused:
        content.create_news(world.manager, title, "", world.today if day else None)
    assert words in refused.value.message
    with read() as session:
        assert session.scalar(select(NewsItem.id)) is None


def test_contact_is_public_and_reads_the_organisation(world):
    with read() as session:
        org = session.get(Organisation, world.organisation)
    contact = content.get_contact()
    assert contact.name == org.name and contact.phone == org.phone


def _registered(world, actor, child, period) -> int:  # type: ignore[no-untyped-def]
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def test_family_sees_its_own_bracket_price_before_booking(world):
    setup.create_bracket(world.manager, world.organisation, "QF 0 à 700", 0, 700,
                         {uid: 50 * (i + 1) for i, uid in enumerate(world.units_peri)})
    mine = get_family_prices(world.family_a, world.period_peri)  # QF 650
    assert mine.bracket == "QF 0 à 700" and mine.qf_known
    assert [u.price_cents for u in mine.units] == [50, 100, 150, 200]
    assert [(u.start, u.end) for u in mine.units][0] == (time(7), time(9))
    theirs = get_family_prices(world.family_b, world.period_peri)  # QF 1500: no bracket
    assert theirs.bracket == "" and [u.price_cents for u in theirs.units] == [100, 200, 300, 400]
    with pytest.raises(Forbidden):
        get_family_prices(world.staff, world.period_peri)
    with pytest.raises(NotFound):
        get_family_prices(world.family_a, 999_999)


def test_memo_says_the_booking_rules_in_words_and_is_scoped(world):
    content.update_family_texts(world.manager, FamilyTexts("", "Chers Parents, bienvenue.", "", ""))
    reg = _registered(world, world.family_a, world.lea, world.period_peri)
    memo = get_booking_memo(world.family_a, reg, now=datetime.now(LOCAL))
    assert memo.message == "Chers Parents, bienvenue."
    assert memo.opening.startswith("Réservations ouvertes depuis le ")
    assert memo.add_rule.startswith("Demander une réservation : jusqu'à la veille à 15h00")
    assert memo.cancel_rule.startswith("Annuler une réservation : jusqu'à la veille à 15h00")
    assert memo.site == "Les Chats Perchés" and "140 rue du Buisson" in memo.site_address
    assert [u.name for u in memo.prices.units][0] == "ACCUEIL RELAI MATIN"
    early = get_booking_memo(world.family_a, reg, now=datetime(2000, 1, 1, tzinfo=LOCAL))
    assert early.opening.startswith("Ouverture des réservations le ")
    with pytest.raises(Forbidden):
        get_booking_memo(world.family_b, reg)


@pytest.mark.parametrize("days, skip, words", [
    (0, False, "le jour même jusqu'à 9h30"), (1, False, "jusqu'à la veille à 9h30"),
    (3, True, "jusqu'à 3 jours avant à 9h30 (en jours ouvrés"),
])
def test_deadline_words(days, skip, words):
    assert limit_words(days, time(9, 30), skip).startswith(words)


@FAST
@given(text=hostile_text, number=hostile_int, day=hostile_date)
def test_hostile_values_get_a_french_refusal_or_a_clean_result(world, text, number, day):
    """Hostile text, ids and dates at every entry point: a PortalError or a clean result,
    and family A's prices and memo never reach another family's registration."""
    _guarded(lambda: content.update_family_texts(world.manager,
                                                 FamilyTexts(text, text, text, text)))
    _guarded(lambda: content.create_news(world.manager, text, text, day))
    _guarded(lambda: content.update_news(world.manager, number, text, text, day))
    _guarded(lambda: content.delete_news(world.manager, number))
    _guarded(lambda: get_family_prices(world.family_a, number))
    _guarded(lambda: get_booking_memo(world.family_a, number))
    with read() as session:
        stored = [(n.title, n.body) for n in session.scalars(select(NewsItem))]
    assert all("\x00" not in title + body for title, body in stored)
