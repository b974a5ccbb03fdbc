"""Hostile values at every service entry point (hypothesis): a named PortalError or a
clean result, never a crash, never a change to someone else's data.

The hostile caller is family A (or staff of the other site); "someone else" is family B,
whose rows are fingerprinted before and compared after every example.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from db.engine import read
from db.models import Registration, Reservation
from services import registrations
from services.auth import links, login
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.catalogue import setup
from services.catalogue.setup import UnitSpec
from services.errors import Forbidden, PortalError
from services.families import accounts, children, overview
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.mail import outbox
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
