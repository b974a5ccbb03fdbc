"""Who receives a family's mail: each guardian by their preference, the payer always the
payment and safety mails, the household's address when no guardian has one; on both engines."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from db.engine import read, transaction
from db.models import Mail, UserAccount
from services.errors import Forbidden, InvalidInput
from services.families import accounts, guardians
from services.families.accounts import FamilyForm, GuardianForm
from services.families.changes import decide_change, request_change
from services.mail import recipients
from services.mail.recipients import KINDS, TO_PAYER
from services.staff import family_edit
from tests.world import PASSWORD, sign_in

FAMILY_KINDS = [k for k in KINDS if k != "account"]


def user_id(email: str) -> int:
    with read() as session:
        found = session.scalar(select(UserAccount.id).where(UserAccount.email == email))
    assert found is not None
    return int(found)


def second_guardian(world) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Julie joins the DURAND family with a login of her own; (her guardian id, user id)."""
    gid = family_edit.add_guardian(world.staff, world.family_b_id,
                                   GuardianForm("Julie", "DURAND", "julie@test.example"))
    uid = user_id("julie@test.example")
    accounts.set_password_directly(world.manager, uid, PASSWORD)
    return gid, uid


def resolve(family_id: int, kind: str, caused_by: int | None = None) -> list[str]:
    with read() as session:
        return sorted(r.email for r in recipients.family_recipients(session, family_id, kind,
                                                                    caused_by))


@pytest.mark.parametrize("preference", ["all", "mine", "none"])
def test_each_preference_against_each_kind_and_cause(world, preference):
    _, julie = second_guardian(world)
    marc = user_id("durand@test.example")
    guardians.set_mail_preference(sign_in("julie@test.example"), preference)
    for kind in FAMILY_KINDS:
        for cause in (julie, marc, None):
            gets = preference == "all" or (preference == "mine" and cause == julie)
            expected = sorted(["durand@test.example"] + (["julie@test.example"] if gets else []))
            assert resolve(world.family_b_id, kind, cause) == expected, (kind, cause)


def test_the_payer_gets_payment_and_safety_mails_whatever_the_preference(world):
    gid, _ = second_guardian(world)
    guardians.set_mail_preference(world.family_b, "none")  # Marc, the first guardian, pays
    for kind in FAMILY_KINDS:
        expected = ["durand@test.example"] * (kind in TO_PAYER) + ["julie@test.example"]
        assert resolve(world.family_b_id, kind) == expected, kind
    guardians.set_payer(world.staff, gid)
    guardians.set_mail_preference(sign_in("julie@test.example"), "none")
    assert resolve(world.family_b_id, "payment") == ["julie@test.example"]
    assert resolve(world.family_b_id, "info") == []
    assert [g.is_payer for g in guardians.list_guardians(world.staff, world.family_b_id)] == \
        [False, True]


def test_a_family_without_a_guardians_email_keeps_its_household_address(world):
    family = accounts.create_family(world.staff, world.organisation, FamilyForm(
        "MOREL", [GuardianForm("Anne", "MOREL")], email="foyer.morel@test.example"))
    for kind in FAMILY_KINDS:
        assert resolve(family, kind) == ["foyer.morel@test.example"]
    # A household with guardians' addresses no longer mails the household's own address.
    petit = accounts.create_family(world.staff, world.organisation, FamilyForm(
        "PETIT", [GuardianForm("Luc", "PETIT", "luc@test.example")],
        email="foyer.petit@test.example"))
    assert resolve(petit, "info") == ["luc@test.example"]

def test_no_address_twice_and_several_households_at_once(world):
    change = request_change(world.family_b, "guardian_add", json.dumps(
        {"first_name": "Marc", "last_name": "DURAND", "email": "Durand@Test.example"}))
    decide_change(world.staff, change, approve=True)
    assert resolve(world.family_b_id, "info") == ["durand@test.example"]
    with read() as session:
        both = recipients.for_families(session, [world.family_a_id, world.family_b_id,
                                                 world.family_b_id], "safety")
    assert sorted(r.email for r in both) == ["dupont@test.example", "durand@test.example"]


def test_account_mails_never_go_through_the_family(world):
    with read() as session, pytest.raises(ValueError):
        recipients.family_recipients(session, world.family_b_id, "account")


def test_queued_mails_say_their_kind_guardian_and_cause(world):
    gid, julie = second_guardian(world)
    with transaction() as session:
        assert recipients.queue_family(session, world.family_b_id, "safety", "Sujet",
                                       "Corps", caused_by=julie) == 2
    with read() as session:
        rows = session.execute(select(Mail.recipient, Mail.kind, Mail.guardian_id,
                                      Mail.caused_by).where(Mail.subject == "Sujet")
                               .order_by(Mail.id)).all()
    assert [(r.recipient, r.kind, r.caused_by) for r in rows] == [
        ("durand@test.example", "safety", julie), ("julie@test.example", "safety", julie)]
    assert rows[1].guardian_id == gid


def test_a_preference_is_one_of_three_and_only_a_guardian_chooses_it(world):
    with pytest.raises(InvalidInput):
        guardians.set_mail_preference(world.family_b, "some")
    with pytest.raises(Forbidden):
        guardians.set_mail_preference(world.staff, "all")


def _to(subject: str) -> list[tuple[str, str]]:
    with read() as session:
        return sorted(session.execute(select(Mail.recipient, Mail.kind)
                                      .where(Mail.subject == subject)).tuples())


def test_the_services_choose_the_kind_and_the_answer_goes_to_who_asked(world):
    second_guardian(world)
    julie = sign_in("julie@test.example")
    guardians.set_mail_preference(julie, "mine")
    guardians.set_mail_preference(world.family_b, "none")  # Marc pays
    # Julie asks about Zoé's health: a safety mail, to the payer and to Julie who asked.
    change = request_change(julie, "health_notes", "Asthme", world.zoe)
    decide_change(world.staff, change, approve=True)
    both = [("durand@test.example", "safety"), ("julie@test.example", "safety")]
    assert _to("Demande de modification reçue") == both
    assert _to("Demande de modification acceptée") == both
    # Marc asks about the QF: not a safety mail, and Marc takes none; Julie did not ask.
    decide_change(world.staff, request_change(world.family_b, "qf", "700"), approve=False)
    assert _to("Demande de modification refusée") == []


def test_a_guardian_who_takes_only_their_mails_hears_their_waiting_day_got_a_place(database):
    """Julie (« seulement les miens ») asked for Zoé's day, which was full; when the holder
    cancels, the place goes to Zoé and Julie is told, though someone else's action freed
    it. Marc takes no mail; a guardian who did not ask would not be told either."""
    from services.booking.cancel import cancel
    from services.booking.reserve import reserve
    from tests.services.cancel_world import cells, ids_of, registered
    from tests.world import build

    world = build(capacity=1)
    second_guardian(world)
    julie = sign_in("julie@test.example")
    guardians.set_mail_preference(julie, "mine")
    guardians.set_mail_preference(world.family_b, "none")
    day = cells(world, 1)[:1]
    holder = registered(world, world.family_a, world.lea, world.period_peri)
    assert reserve(world.family_a, holder, day).count("validated") == 1
    zoe = registered(world, world.family_b, world.zoe, world.period_peri)
    assert reserve(julie, zoe, day).count("waitlisted") == 1
    assert _to("Une place s'est libérée pour votre enfant") == []
    cancel(world.family_a, holder, ids_of(holder))
    assert _to("Une place s'est libérée pour votre enfant") == [("julie@test.example", "booking")]
    # Marc asks for the next day, full too: when it frees, Julie did not ask, she is not told.
    second = cells(world, 2)[1:2]
    assert reserve(world.family_a, holder, second).count("validated") == 1
    assert reserve(world.family_b, zoe, second).count("waitlisted") == 1
    cancel(world.family_a, holder, ids_of(holder)[-1:])  # the second day
    assert _to("Une place s'est libérée pour votre enfant") == [("julie@test.example", "booking")]


def test_a_guardian_who_takes_only_their_mails_hears_reception_decide_their_request(world):
    """Julie (« seulement les miens ») asked for a Wednesday reception validates: the
    decision is hers to hear; a request Marc made is not."""
    from datetime import timedelta

    from services.booking.reserve import reserve
    from services.staff import decisions
    from tests.services.cancel_world import ids_of, registered

    second_guardian(world)
    julie = sign_in("julie@test.example")
    guardians.set_mail_preference(julie, "mine")
    guardians.set_mail_preference(world.family_b, "none")
    zoe = registered(world, world.family_b, world.zoe, world.period_wed)
    wednesday = world.first_day + timedelta(days=2)
    assert reserve(julie, zoe, [(wednesday, world.units_wed[0])]).count("requested") == 1
    decisions.decide_bookings(world.staff, ids_of(zoe), True)
    decided = "Décision de l'accueil sur vos réservations"
    assert _to(decided) == [("julie@test.example", "booking")]
    assert reserve(world.family_b, zoe, [(wednesday, world.units_wed[1])]).count("requested") == 1
    decisions.decide_bookings(world.staff, ids_of(zoe)[-1:], False, "complet")
    assert _to(decided) == [("julie@test.example", "booking")]  # still only the first one
