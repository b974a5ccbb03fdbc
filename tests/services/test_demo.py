"""The demo centre fills every dashboard: past weeks attended (with absences), billed, paid
by card (TAVERNIER) and at the desk (MARTIN), and left unpaid past due (BENALI)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry, Family, Payment
from services import demo
from services.actor import SYSTEM
from services.payments import desk
from services.reports import attendance, funder, money
from services.booking.rules import LOCAL



def test_demo_history_fills_the_dashboards(database):
    TODAY = datetime.now(LOCAL).date()  # the demo books ahead on the real clock
    demo.load(TODAY)
    start = TODAY - timedelta(weeks=3)
    marked = attendance.attendance(SYSTEM, start, TODAY)
    assert marked["present"].sum() > 0 and marked["absent"].sum() > 0
    assert marked["absent_justified"].sum() > 0
    assert not attendance.no_shows(SYSTEM, start, TODAY).empty
    assert funder.presence(SYSTEM, start, TODAY)["hours"].sum() > 0
    found = money.summary(SYSTEM, start, TODAY, TODAY)
    assert found.by_month["paid"].sum() > 0
    assert found.overdue_families["family"].tolist() == ["BENALI"]
    with read() as session:
        paid = dict(session.execute(select(Family.name, Payment.method).join(
            Payment, Payment.family_id == Family.id).where(Payment.state == "paid")).all())
        actions = set(session.scalars(select(AuditEntry.action)))
        families = dict(session.execute(select(Family.name, Family.id)).all())
    assert paid == {"TAVERNIER": "card_sandbox", "MARTIN": "cheque"}  # no money moved
    assert {"attendance", "card_paid", "record_desk_payment", "demo_history"} <= actions
    # TAVERNIER still owes the days booked ahead (the browser payment journey pays them).
    assert desk.open_charges(SYSTEM, families["TAVERNIER"])["Reste dû"].sum() > 0
    assert desk.open_charges(SYSTEM, families["MARTIN"])["Reste dû"].sum() == 0


def _demo_rows():  # type: ignore[no-untyped-def]
    from db.models import (Activity, AgeGroup, CapacitySlot, Organisation, Period, Site, Unit)

    with read() as session:
        return {
            "organisation": session.scalars(select(Organisation.name)).all(),
            "sites": dict(session.execute(select(Site.name, Site.address)).all()),
            "activities": dict(session.execute(select(Activity.name, Site.name).join(
                Site, Site.id == Activity.site_id)).all()),
            "groups": set(session.scalars(select(AgeGroup.label))),
            "periods": session.execute(select(Activity.name, AgeGroup.label).join(
                Period, Period.activity_id == Activity.id).join(
                AgeGroup, AgeGroup.id == Period.age_group_id)).all(),
            "units": session.execute(select(Unit.name, Unit.start_time, Unit.end_time,
                                            Unit.price_cents, Unit.has_meal)
                                     .order_by(Unit.activity_id, Unit.position)).all(),
            "slots": session.execute(select(CapacitySlot.unit_id, CapacitySlot.age_group_id,
                                            CapacitySlot.places)).all(),
        }


def test_demo_centre_is_the_tutorials(database):
    from datetime import time

    TODAY = datetime.now(LOCAL).date()
    demo.load(TODAY)
    rows = _demo_rows()
    assert rows["organisation"] == ["Centre Social Albert Jacquard"]
    assert rows["sites"] == {"Saint Gabriel": "113-115 rue Saint Gabriel, Lille",
                             "Les Chats Perchés": "140 rue du Buisson, Lille"}
    assert rows["activities"] == {
        "CHATS PERCHES PERISCOLAIRE": "Les Chats Perchés",
        "CHATS PERCHES MERCREDI PERI": "Les Chats Perchés",
        "ST GABRIEL MERCREDI PERI": "Saint Gabriel",
        "CHATS PERCHES ETE": "Les Chats Perchés", "SAINT GABRIEL ETE": "Saint Gabriel"}
    assert rows["groups"] == {"2/3 ans", "4/5 ans", "6/12 ans"}
    assert sorted(rows["periods"]) == sorted((a, g) for a in rows["activities"]
                                             for g in rows["groups"])
    names = ["ACCUEIL RELAI MATIN", "MATIN AVEC REPAS", "APRES-MIDI", "ACCUEIL RELAI SOIR"]
    assert [u.name for u in rows["units"]] == names * 5
    for unit in rows["units"]:
        assert time(7) <= unit.start_time < unit.end_time <= time(19) and unit.price_cents > 0
        assert unit.has_meal == (unit.name == "MATIN AVEC REPAS")
    # Places per unit, day and age group, for every unit and every age group.
    assert {(u, g) for u, g, _ in rows["slots"]} and all(p > 0 for _, _, p in rows["slots"])
    assert len({g for _, g, _ in rows["slots"]}) == 3 and len({u for u, _, _ in rows["slots"]}) == 20


def test_demo_families_and_accounts(database):
    from db.models import Child, Mail, Registration, Reservation
    from services.auth import login
    from services.booking.reserve import reserve
    from services.registrations import age_on

    TODAY = datetime.now(LOCAL).date()
    demo.load(TODAY)
    roles = {email: login.sign_in(email, password).actor
             for email, password in demo.DEMO_PASSWORDS.items()}
    assert {e: a.role.value for e, a in roles.items()} == {
        "direction@csjacquard.example": "manager", "accueil@csjacquard.example": "staff",
        "accueil.stgabriel@csjacquard.example": "staff",
        "famille.tavernier@example.org": "family", "famille.martin@example.org": "family",
        "famille.benali@example.org": "family"}
    assert len(roles["accueil.stgabriel@csjacquard.example"].site_ids or ()) == 1
    with read() as session:
        families = dict(session.execute(select(Family.name, Family.id)).all())
        ages = {age_on(born, TODAY) for born in session.scalars(select(Child.birth_date))}
        states = session.execute(select(Family.name, Registration.state).join(
            Child, Child.family_id == Family.id).join(
            Registration, Registration.child_id == Child.id)).all()
        ahead = session.execute(select(Family.name, Reservation.state).join(
            Child, Child.family_id == Family.id).join(
            Reservation, Reservation.child_id == Child.id).where(Reservation.day > TODAY)).all()
        bodies = list(session.scalars(select(Mail.body)))
        benali_reg = session.scalar(select(Registration.id).join(
            Child, Child.id == Registration.child_id).where(
            Child.family_id == families["BENALI"], Registration.state == "validated"))
    assert ages & {2, 3} and ages & {4, 5} and ages & set(range(6, 13))
    assert ("MARTIN", "requested") in states
    assert {s for f, s in ahead if f == "TAVERNIER"} == {"validated"}
    assert desk.open_charges(SYSTEM, families["TAVERNIER"])["Reste dû"].sum() > 0
    assert bodies and not any(pw in body for body in bodies for pw in set(demo.DEMO_PASSWORDS.values()))
    # Booking is open today: BENALI, who has nothing ahead, can book a day.
    benali = roles["famille.benali@example.org"]
    booked = reserve(benali, benali_reg, demo._next_open_cells(benali_reg, TODAY, count=1))
    assert [c.outcome for c in booked.cells] == ["validated", "validated"]


def test_readme_lists_every_demo_account_with_its_password():
    from db.settings import ROOT

    rows = [line for line in (ROOT / "README.md").read_text().splitlines()
            if line.startswith("| `")]
    for email, password in demo.DEMO_PASSWORDS.items():
        assert any(f"`{email}`" in row and f"`{password}`" in row for row in rows), email


def test_an_interrupted_first_load_is_told_not_taken_for_a_demo(sqlite_db, monkeypatch):
    """make run stopped while the demo loads: the next run must not say "Démo déjà
    chargée" over half a centre, and must not load a second one on top."""
    import pytest

    from db import bootstrap
    from db.models import Organisation

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(demo, "_people", interrupted)
    assert demo.status() == demo.EMPTY
    with pytest.raises(KeyboardInterrupt):
        demo.load()
    assert demo.status() == demo.PARTIAL
    monkeypatch.undo()
    demo.load()  # changes nothing
    with read() as session:
        assert len(list(session.scalars(select(Organisation)))) == 1
    monkeypatch.setattr(bootstrap, "migrate", lambda: None)
    with pytest.raises(SystemExit) as stopped:
        bootstrap.main()
    assert "interrompu" in str(stopped.value.code)


def test_a_centres_own_database_never_gets_the_demo(sqlite_db):
    from sqlalchemy import update

    from db.engine import transaction
    from db.models import Organisation
    from tests.world import build

    build()
    with transaction() as session:
        session.execute(update(Organisation).values(name="Centre social de l'Épeule"))
    assert demo.status() == demo.OTHER
    demo.load()
    with read() as session:
        assert session.scalar(select(AuditEntry.id).where(AuditEntry.action == demo.MARK)) is None


def test_a_whole_load_is_marked_loaded(sqlite_db):
    demo.load()
    assert demo.status() == demo.LOADED


def test_the_demo_after_school_is_closed_on_christmas_holidays(database):
    """Loaded in late November, the after-school grid has no slot on the holidays' Mondays
    (nor any other day of them); the summer centre is not touched."""
    from datetime import date

    from db.models import Activity, CapacitySlot, Closure, Unit

    assert demo.christmas_holidays(2026) == (date(2026, 12, 19), date(2027, 1, 3))
    assert demo.christmas_holidays(2027) == (date(2027, 12, 18), date(2028, 1, 2))
    demo.load(date(2026, 11, 30))
    mondays = [date(2026, 12, 21), date(2026, 12, 28)]
    with read() as session:
        slots = session.execute(select(Activity.name, CapacitySlot.day)
                                .join(Unit, Unit.id == CapacitySlot.unit_id)
                                .join(Activity, Activity.id == Unit.activity_id)).all()
        closed = set(session.execute(select(Closure.activity_id, Closure.day)).all())
    after_school = {d for name, d in slots if name == "CHATS PERCHES PERISCOLAIRE"}
    assert date(2026, 12, 14) in after_school and date(2027, 1, 4) in after_school
    assert not after_school & set(mondays + [date(2026, 12, 22), date(2027, 1, 1)])
    assert len({a for a, _ in closed}) == 3 and {d for _, d in closed} >= set(mondays)
