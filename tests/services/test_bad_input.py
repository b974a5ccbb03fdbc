"""Hostile values at every service entry point (hypothesis): a named PortalError or a
clean result, never a crash, never a change to someone else's data.

The hostile caller is family A (or staff of the other site); "someone else" is family B,
whose rows are fingerprinted before and compared after every example.
"""
from __future__ import annotations

import json
from dataclasses import replace as _replace
from datetime import date, datetime, time, timedelta, timezone

from services import clock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import read
from db.models import CapacitySlot, ChangeRequest, Family, Registration, Reservation
from services import registrations
from services.auth import links, login
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.catalogue import setup
from services.catalogue.setup import UnitSpec
from services.config import closures as _closures, offer as _offer
from services.errors import Forbidden, InvalidInput, PortalError
from services.families import accounts, children, overview
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.families import changes as _changes
from services.mail import outbox
from services.payments import card as _card, monetico as _monetico
from services.staff import family_edit as _edit
from tests.invariants import fingerprint

FAST = settings(max_examples=15, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# Long, unicode, control characters (NUL included), quotes and SQL-ish text.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=190, max_size=400),
    st.sampled_from(["", " ", "\x00", "a\x00b", "'; DROP TABLE family; --", "é" * 5000,
                     "\u202e\u0000\r\n\t", "🙂" * 80, "x@y.z\x00", "DUPONT@test.example\n"]))
hostile_int = st.one_of(st.integers(min_value=-2**70, max_value=2**70),
                        st.sampled_from([0, -1, 2**31, 2**63, -2**63 - 1]))
hostile_date = st.one_of(st.dates(), st.sampled_from([date.min, date.max]))


def _guarded(call) -> None:  # type: ignore[no-untyped-def]
    """Run a service call: a PortalError is a fine answer; anything else is a crash."""
    try:
        call()
    except PortalError as error:
        assert error.message and isinstance(error.message, str)


@pytest.fixture
def victim(world):  # type: ignore[no-untyped-def]
    """Family B with a validated registration, a booked cell and its charge."""
    reg = registrations.request_registration(world.family_b, world.zoe, world.period_peri)
    registrations.decide(world.staff, reg, validate=True)
    reserve(world.family_b, reg, [(world.first_day, world.units_peri[0])])
    with read() as session:
        rid = session.scalar(select(Reservation.id).where(Reservation.registration_id == reg))
    return {"registration": reg, "reservation": rid, "child": world.zoe,
            "before": fingerprint(world.family_b_id)}


def _untouched(world, victim) -> None:  # type: ignore[no-untyped-def]
    assert fingerprint(world.family_b_id) == victim["before"]


def ids_of(victim_key: str):  # type: ignore[no-untyped-def]
    """Hostile ids, or family B's own."""
    return st.one_of(hostile_int, st.just(victim_key))


def _resolve(value, victim):  # type: ignore[no-untyped-def]
    return victim[value] if isinstance(value, str) else value


@FAST
@given(email=hostile_text, password=hostile_text)
def test_sign_in_and_reset_with_hostile_values(world, victim, email, password):
    _guarded(lambda: login.sign_in(email, password))
    _guarded(lambda: links.request_reset(email))
    _guarded(lambda: links.redeem(email, password))
    _guarded(lambda: login.resolve_session(password))
    _guarded(lambda: login.sign_out(password))
    _untouched(world, victim)


@FAST
@given(child=ids_of("child"), period=hostile_int)
def test_request_registration_with_hostile_ids(world, victim, child, period):
    _guarded(lambda: registrations.request_registration(world.family_a, _resolve(child, victim),
                                                        period))
    _untouched(world, victim)


@FAST
@given(reg=ids_of("registration"), validate=st.booleans(), reason=hostile_text)
def test_staff_of_another_site_decides_with_hostile_values(world, victim, reg, validate, reason):
    # Saint Gabriel's staff on a Chats Perchés registration, or on nothing at all.
    _guarded(lambda: registrations.decide(world.staff_gabriel, _resolve(reg, victim), validate,
                                          reason))
    _untouched(world, victim)


@FAST
@given(reg=ids_of("registration"),
       cells=st.lists(st.tuples(hostile_date, st.one_of(hostile_int, st.sampled_from([1, 2, 3, 4]))),
                      max_size=6))
def test_reserve_with_hostile_cells_and_ids(world, victim, reg, cells):
    _guarded(lambda: reserve(world.family_a, _resolve(reg, victim), cells))
    _untouched(world, victim)


@FAST
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_reserve_own_registration_any_day(world, victim, day):
    reg = _own_registration(world)
    _guarded(lambda: reserve(world.family_a, reg, [(day, world.units_peri[0])]))
    _untouched(world, victim)


def _own_registration(world) -> int:  # type: ignore[no-untyped-def]
    with read() as session:
        found = session.scalar(select(Registration.id).where(Registration.child_id == world.lea))
    if found:
        return found
    reg = registrations.request_registration(world.family_a, world.lea, world.period_peri)
    registrations.decide(world.staff, reg, validate=True)
    return reg


@FAST
@given(reg=ids_of("registration"), ids=st.lists(ids_of("reservation"), max_size=4))
def test_cancel_with_hostile_ids(world, victim, reg, ids):
    own = _own_registration(world)
    resolved = [_resolve(i, victim) for i in ids]
    _guarded(lambda: cancel(world.family_a, _resolve(reg, victim), resolved))
    _guarded(lambda: cancel(world.family_a, own, resolved))
    _untouched(world, victim)


@FAST
@given(name=hostile_text, first=hostile_text, email=hostile_text, qf=st.one_of(st.none(), hostile_int),
       born=hostile_date)
def test_create_family_and_add_child_with_hostile_values(world, victim, name, first, email, qf, born):
    form = FamilyForm(name, [GuardianForm(first, name, email, phone=first)],
                      [ChildForm(first, name, born, sex=first, school=name, health_notes=first)],
                      address=name, postal_code=first, city=name, phone=email, email=email, qf=qf)
    _guarded(lambda: accounts.create_family(world.staff, world.organisation, form))
    _guarded(lambda: children.add_child(world.staff, world.family_a_id,
                                        ChildForm(first, name, born, sex=first)))
    _untouched(world, victim)


@FAST
@given(family=ids_of("family"), first=hostile_text)
def test_add_child_and_overview_on_hostile_family_ids(world, victim, family, first):
    victim = {**victim, "family": world.family_b_id}
    target = _resolve(family, victim)
    _guarded(lambda: children.add_child(world.family_a, target, ChildForm(first, "X", date(2015, 1, 1))))
    _guarded(lambda: overview.get_overview(world.staff, world.today, target))
    # A family only ever sees its own file and mails; naming another family is refused.
    if target == world.family_a_id:
        assert overview.get_overview(world.family_a, world.today, target).family_id == target
    else:
        for ask in (lambda: overview.get_overview(world.family_a, world.today, target),
                    lambda: outbox.list_mails(world.family_a, family_id=target)):
            with pytest.raises(Forbidden):
                ask()
    _guarded(lambda: outbox.resend(world.family_a, target))
    _untouched(world, victim)


@FAST
@given(name=hostile_text, start=hostile_date, end=hostile_date, weekdays=hostile_text,
       days=hostile_int, lo=hostile_int, hi=hostile_int)
@example(name="Siècles", start=date.min, end=date.max, weekdays="1234567", days=1, lo=0, hi=10)
@example(name="An 1", start=date.min, end=date(1, 3, 1), weekdays="1234567", days=-5, lo=-1,
         hi=2**40)
def test_catalogue_setup_with_hostile_values(world, victim, name, start, end, weekdays, days, lo, hi):
    opens = datetime(2026, 1, 1, tzinfo=timezone.utc)
    m = world.manager
    _guarded(lambda: setup.create_period(m, world.activity_peri, world.age_groups["6/12 ans"],
                                         name, start, end, opens, weekdays=weekdays or "1",
                                         add_deadline=(days, time(15)),
                                         cancel_deadline=(days, time(15))))
    _guarded(lambda: setup.create_site(m, world.organisation, name, name))
    _guarded(lambda: setup.create_age_group(m, world.organisation, name, lo, hi))
    _guarded(lambda: setup.create_bracket(m, world.organisation, name, lo, hi,
                                          {world.units_peri[0]: hi, lo: 100}))
    _guarded(lambda: setup.create_activity(m, world.site_chats, 1, name, [
        UnitSpec(name, time(8), time(9), lo, capacity=hi)]))
    _guarded(lambda: setup.create_period(world.staff, world.activity_peri, lo, name,
                                         world.today, world.today + timedelta(days=5), opens))
    _untouched(world, victim)


# ---- Issue #16, point 17: one validation layer, French messages, nothing stored ----------

MEGA = "A" * 1_000_000


def _refused(call, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        call()
    assert words in caught.value.message, caught.value.message


def _family_a(world):  # type: ignore[no-untyped-def]
    with read() as session:
        f = session.get(Family, world.family_a_id)
        pending = session.scalar(select(func.count(ChangeRequest.id)))
        return f.name, f.email, f.qf, pending, fingerprint(world.family_a_id)


@pytest.mark.parametrize("typed", ["²", "12,5", "½", "1e3", "0x20", "650 €", "-3", "١٢٣٤٥٦٧"])
def test_an_unusual_qf_gets_a_french_message_and_no_request(world, typed):
    before = _family_a(world)
    _refused(lambda: _changes.request_change(world.family_a, "qf", typed), "Quotient familial")
    assert _family_a(world) == before


@pytest.mark.parametrize("value", [MEGA, "DUP\x00ONT", "DUP\x1bONT"])
def test_long_or_control_character_text_is_refused_everywhere_it_enters(world, value):
    """A 1 MB name or a NUL byte: refused by the service, whatever the engine."""
    before = _family_a(world)
    guardian = GuardianForm(value, "DUPONT")
    calls = {
        "update_family": lambda: _edit.update_family(world.staff, world.family_a_id,
                                                     _edit.FamilyDetails(name=value)),
        "add_guardian": lambda: _edit.add_guardian(world.staff, world.family_a_id, guardian),
        "add_child": lambda: _edit.add_child(world.staff, world.family_a_id, ChildForm(
            "Eva", value, date(2018, 1, 1))),
        "update_child": lambda: _edit.update_child(world.staff, world.tom, ChildForm(
            "Tom", "DUPONT", date(2022, 1, 1), school=value)),
        "record_document": lambda: _edit.record_document(world.staff, world.family_a_id, value,
                                                         clock.today()),
        "create_family": lambda: accounts.create_family(world.staff, world.organisation,
                                                        FamilyForm(value, [guardian])),
        "health_notes": lambda: _changes.request_change(world.family_a, "health_notes",
                                                        value + "\x00", world.tom),
        "guardian_add": lambda: _changes.request_change(world.family_a, "guardian_add",
                                                        json.dumps({"first_name": value,
                                                                    "last_name": "DUPONT"})),
    }
    for name, call in calls.items():
        with pytest.raises(InvalidInput):
            call()
        assert _family_a(world) == before, name


@pytest.mark.parametrize("value", [MEGA, "Vacances\x00"])
def test_manager_labels_are_bounded_and_clean(world, value):
    with read() as session:
        slots = session.scalar(select(func.count(CapacitySlot.id)))
    period = _offer.get_period(world.manager, world.period_peri)
    unit = world.units_peri[0]
    for call in (lambda: _offer.update_period(world.manager, world.period_peri,
                                              _replace(period, name=value)),
                 lambda: _offer.update_unit(world.manager, unit, value, time(7), time(8),
                                            False, 100, 10),
                 lambda: _closures.add_closure(world.manager, world.site_chats,
                                               world.first_day, world.first_day, value)):
        with pytest.raises(InvalidInput):
            call()
    with read() as session:
        assert session.scalar(select(func.count(CapacitySlot.id))) == slots


@pytest.mark.parametrize("email", ["😀@exemple.fr", "zoé@exemple.fr", "a\x00b@exemple.fr",
                                   "=HYPERLINK(1)", "a@b", "a b@exemple.fr"])
def test_odd_e_mail_addresses_are_refused_where_they_enter(world, email):
    before = _family_a(world)
    calls = [
        lambda: _edit.update_family(world.staff, world.family_a_id,
                                    _edit.FamilyDetails(name="DUPONT", email=email)),
        lambda: _edit.add_guardian(world.staff, world.family_a_id,
                                   GuardianForm("Paul", "DUPONT", email)),
        lambda: _changes.request_change(world.family_a, "guardian_add", json.dumps(
            {"first_name": "Paul", "last_name": "DUPONT", "email": email})),
        lambda: accounts.create_family(world.staff, world.organisation, FamilyForm(
            "MARTIN", [GuardianForm("Paul", "MARTIN", email)])),
    ]
    for call in calls:
        _refused(call, "adresse e-mail valide")
    assert _family_a(world) == before


def test_a_period_cannot_be_stretched_to_a_century(world):
    with read() as session:
        slots = session.scalar(select(func.count(CapacitySlot.id)))
    period = _offer.get_period(world.manager, world.period_peri)
    far = _replace(period, end=period.start.replace(year=period.start.year + 100))
    _refused(lambda: _offer.update_period(world.manager, world.period_peri, far),
             "au plus un an")
    assert _offer.get_period(world.manager, world.period_peri) == period
    with read() as session:
        assert session.scalar(select(func.count(CapacitySlot.id))) == slots


@pytest.mark.parametrize("where", ["reference", "texte-libre", "code-retour"])
def test_a_sealed_notification_with_a_nul_byte_is_refused_cleanly(world, where, monkeypatch):
    from tests.money import booked

    reg = booked(world, days=2)
    start = _card.start_card_payment(world.family_a, {reg: None})
    fields = _monetico.notification_fields(
        _card.terminal(), start.reference, 200, "payetest", datetime.now(timezone.utc))
    fields[where] = fields[where] + "\x00"
    fields["MAC"] = _monetico.compute_mac({k: v for k, v in fields.items() if k != "MAC"},
                                          _card.terminal().key)
    assert _card.apply_notification(fields) == _monetico.ACK_BAD
    with read() as session:
        assert session.scalar(select(Registration.id).where(Registration.id == reg)) == reg
    from services.billing.accounts import get_payment

    assert get_payment(world.family_a, start.reference).state == "pending"


@pytest.mark.parametrize("field", ["address", "city", "email"])
def test_a_family_s_own_contact_details_refuse_control_characters(world, field):
    from services.families import file as _file

    values = {"address": "1 rue de la Paix", "postal_code": "59000", "city": "Lille",
              "phone": "", "email": "dupont@test.example"}
    values[field] = values[field][:3] + "\x00" + values[field][3:]
    before = _family_a(world)
    with pytest.raises(InvalidInput):
        _file.update_contact(world.family_a, **values)
    assert _family_a(world) == before
