"""A child of two households: each has its own registration, books and pays its own days
at its own QF price, sees the other's days only as « l'autre foyer », and gets certificates
and an RGPD export holding nothing of the other's money or address."""
from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import AuditEntry, Charge, Child, ChildHousehold, Registration, Reservation
from services import registrations
from services.billing import attendance_certificate as certificate
from services.billing import documents
from services.booking.grid import CellState, get_month
from services.booking.reserve import reserve
from services.catalogue import setup
from services.errors import Forbidden, InvalidInput, NotFound
from services.families import accounts, households
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.families.overview import get_overview
from services.families.rights import anonymise, closure
from services.families.rights.export import export_family_data
from services.payments import desk
from services.staff import family_files
from services.staff.family_edit import FamilyDetails, update_family
from tests.pdf import pdf_text
from tests.world import PASSWORD, _born, sign_in


def registered(world, actor, child, period) -> int:  # type: ignore[no-untyped-def]
    reg = registrations.request_registration(actor, child, period)
    registrations.decide(world.staff, reg, validate=True)
    return reg


def shared(world):  # type: ignore[no-untyped-def]
    """Léa (DUPONT, QF 650) also lives with DURAND (QF 1500); each registered at Péri."""
    households.link_child(world.staff, world.lea, world.family_b_id)
    return (registered(world, world.family_a, world.lea, world.period_peri),
            registered(world, world.family_b, world.lea, world.period_peri))


def family_c(world):  # type: ignore[no-untyped-def]
    """An unrelated family, signed in."""
    fid = accounts.create_family(world.manager, world.organisation, FamilyForm(
        "MARTIN", [GuardianForm("Paul", "MARTIN", "martin@test.example")],
        [ChildForm("Jules", "MARTIN", _born(world.today, 7))], qf=300))
    for user in accounts.account_ids(fid):
        accounts.set_password_directly(world.manager, user, PASSWORD)
    return fid, sign_in("martin@test.example")


def test_staff_link_a_child_to_a_second_household_and_unlink_it(world):
    households.link_child(world.staff, world.lea, world.family_b_id)
    with read() as session:
        assert households.household_ids(session, world.lea) == {world.family_a_id,
                                                                 world.family_b_id}
        assert households.child_ids_of(session, world.family_b_id) == [world.zoe, world.lea]
        assert session.scalar(select(AuditEntry.action).where(
            AuditEntry.action == "link_household")) == "link_household"
    # The desk finds DURAND by Léa's name too, and lists her among its children.
    found = {r.name: r.children for r in family_files.search_families(world.staff, "léa")}
    assert found == {"DUPONT": "Léa, Tom", "DURAND": "Zoé, Léa"}  # eldest first
    assert [(h.name, h.first) for h in households.list_households(world.staff, world.lea)] == [
        ("DUPONT", True), ("DURAND", False)]
    with pytest.raises(households.AlreadyLinked):
        households.link_child(world.staff, world.lea, world.family_b_id)
    with pytest.raises(households.AlreadyLinked):  # its first household already
        households.link_child(world.staff, world.lea, world.family_a_id)
    with pytest.raises(Forbidden):  # a family never links
        households.link_child(world.family_b, world.tom, world.family_b_id)
    with pytest.raises(InvalidInput):  # the first household stays
        households.unlink_child(world.staff, world.lea, world.family_a_id)
    reg_b = registered(world, world.family_b, world.lea, world.period_peri)
    with pytest.raises(households.StillRegistered):
        households.unlink_child(world.staff, world.lea, world.family_b_id)
    assert reg_b
    households.link_child(world.staff, world.tom, world.family_b_id)
    households.unlink_child(world.staff, world.tom, world.family_b_id)
    with read() as session:
        assert households.household_ids(session, world.tom) == {world.family_a_id}
        assert session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "unlink_household")) == 1
    with pytest.raises(NotFound):
        households.unlink_child(world.staff, world.tom, world.family_b_id)


def test_staff_of_another_site_cannot_link(world):
    # DUPONT and DURAND both come to Les Chats Perchés: Saint Gabriel's desk sees neither.
    registered(world, world.family_a, world.lea, world.period_peri)
    registered(world, world.family_b, world.zoe, world.period_peri)
    with pytest.raises(Forbidden):
        households.link_child(world.staff_gabriel, world.lea, world.family_b_id)
    households.link_child(world.staff, world.lea, world.family_b_id)
    with pytest.raises(Forbidden):
        households.unlink_child(world.staff_gabriel, world.lea, world.family_b_id)
    with pytest.raises(NotFound):
        households.link_child(world.staff, 10**6, world.family_b_id)
    with read() as session:
        assert session.scalar(select(func.count()).select_from(ChildHousehold)) == 1


def test_each_household_has_its_own_registration_and_an_unrelated_family_none(world):
    reg_a, reg_b = shared(world)
    with read() as session:
        assert session.get(Registration, reg_a).family_id == world.family_a_id
        assert session.get(Registration, reg_b).family_id == world.family_b_id
    with pytest.raises(registrations.DuplicateRegistration):
        registrations.request_registration(world.family_b, world.lea, world.period_peri)
    _, c = family_c(world)
    with pytest.raises(Forbidden):
        registrations.request_registration(c, world.lea, world.period_peri)
    with pytest.raises(Forbidden):
        get_month(c, reg_b)
    # B's overview shows Léa with B's registration only; A's shows A's.
    (lea_in_b,) = [ch for ch in get_overview(world.family_b, world.today).children
                   if ch.id == world.lea]
    assert [r.id for r in lea_in_b.registrations] == [reg_b]
    (lea_in_a,) = [ch for ch in get_overview(world.family_a, world.today).children
                   if ch.id == world.lea]
    assert [r.id for r in lea_in_a.registrations] == [reg_a]
    with pytest.raises(Forbidden):  # B cannot open A's registration
        get_month(world.family_b, reg_a)


def test_each_household_is_charged_its_own_days_at_its_own_qf_price(world):
    peri = world.units_peri[0]
    setup.create_bracket(world.manager, world.organisation, "bas", 0, 700, {peri: 50})
    setup.create_bracket(world.manager, world.organisation, "haut", 701, 2000, {peri: 150})
    reg_a, reg_b = shared(world)
    monday = world.first_day
    week_a = [(monday + timedelta(days=n), peri) for n in (0, 1)]
    week_b = [(monday + timedelta(days=7 + n), peri) for n in (0, 1)]
    assert {c.outcome for c in reserve(world.family_a, reg_a, week_a).cells} == {"validated"}
    assert {c.outcome for c in reserve(world.family_b, reg_b, week_b).cells} == {"validated"}
    with read() as session:
        charges = sorted((c.family_id, c.day, c.amount_cents)
                         for c in session.scalars(select(Charge)))
    assert charges == sorted([(world.family_a_id, d, 50) for d, _ in week_a]
                             + [(world.family_b_id, d, 150) for d, _ in week_b])
    # B asking for A's Monday: the child already holds it, nothing is booked twice.
    (cell,) = reserve(world.family_b, reg_b, [week_a[0]]).cells
    assert (cell.outcome, cell.reason) == ("rejected",
                                           "journée réservée par l'autre foyer de l'enfant")
    with read() as session:
        assert session.scalar(select(func.count(Reservation.id)).where(
            Reservation.day == monday, Reservation.unit_id == peri)) == 1
    grid_b = get_month(world.family_b, reg_b, monday.year, monday.month)
    grid_a = get_month(world.family_a, reg_a, monday.year, monday.month)
    for grid, theirs, mine in ((grid_b, week_a, week_b), (grid_a, week_b, week_a)):
        for day, unit in theirs:
            if (day, unit) in grid.cells:
                cell = grid.cell(day, unit)
                assert cell.state == CellState.OTHER_HOUSEHOLD and not cell.can_add
                assert cell.reservation_id is None and "autre foyer" in cell.why_not
        for day, unit in mine:
            if (day, unit) in grid.cells:
                assert grid.cell(day, unit).state == CellState.VALIDATED
    # A's QF changing later does not move B's price, and the other way round.
    update_family(world.staff, world.family_b_id, FamilyDetails("DURAND", qf=100))
    reserve(world.family_b, reg_b, [(monday + timedelta(days=14), peri)])
    with read() as session:
        assert session.scalar(select(Charge.amount_cents).where(
            Charge.day == monday + timedelta(days=14))) == 50


def test_certificates_and_export_are_per_household(world):
    peri = world.units_peri[0]
    reg_a, reg_b = shared(world)
    monday = world.first_day
    reserve(world.family_a, reg_a, [(monday, peri)])
    reserve(world.family_b, reg_b, [(monday + timedelta(days=1), peri)])
    with read() as session:
        charge = {c.family_id: c.id for c in session.scalars(select(Charge))}
    desk.record_desk_payment(world.staff, world.family_a_id, "cash", 100,
                             charge_ids=[charge[world.family_a_id]])
    desk.record_desk_payment(world.staff, world.family_b_id, "cheque", 100,
                             charge_ids=[charge[world.family_b_id]], note="Chèque DURAND 77")
    end = monday + timedelta(days=6)
    for actor, fid, other in ((world.family_a, world.family_a_id, world.family_b_id),
                              (world.family_b, world.family_b_id, world.family_a_id)):
        statement = certificate.get_attendance_statement(actor, world.lea, monday, end)
        assert (statement.charged_cents, statement.paid_cents) == (100, 100)
        text = pdf_text(certificate.attendance_certificate_pdf(actor, world.lea, monday, end))
        mine, theirs = ("DUPONT", "DURAND") if fid == world.family_a_id else ("DURAND", "DUPONT")
        assert f"famille {mine}" in text and f"famille {theirs}" not in text
        with pytest.raises(Forbidden):  # a family never asks for the other's paper
            certificate.get_attendance_statement(actor, world.lea, monday, end, other)
    # Staff name the household in its file.
    staff_b = certificate.get_attendance_statement(world.staff, world.lea, monday, end,
                                                   world.family_b_id)
    assert staff_b.charged_cents == 100
    with read() as session:
        assert documents.paid_in_year(session, world.lea, monday.year,
                                      world.family_b_id).total_cents == 100
        assert documents.paid_in_year(session, world.lea, monday.year).total_cents == 200
    update_family(world.staff, world.family_b_id, FamilyDetails(
        "DURAND", address="9 rue Secrète", city="Roubaix", qf=1500))
    archive = zipfile.ZipFile(io.BytesIO(export_family_data(world.family_a)))
    whole = b"".join(archive.read(n) for n in archive.namelist()
                     if not n.endswith(".pdf")).decode("utf-8", "replace")
    assert "Léa" in whole  # the shared child is A's too
    assert "Chèque DURAND 77" not in whole and "Rue Secrète".lower() not in whole.lower()
    assert "Roubaix" not in whole and "1500" not in whole and "durand@" not in whole
    assert f"{monday + timedelta(days=1):%d/%m/%Y}" not in whole  # B's day


def test_anonymising_the_first_household_hands_the_child_to_the_other(world):
    _, reg_b = shared(world)
    households.link_child(world.staff, world.tom, world.family_b_id)  # both children shared
    closure.request_closure(world.family_a, today=world.first_day)
    later = anonymise.get_retention(world.manager, world.family_a_id).anonymisable_from
    anonymise.anonymise_family(world.manager, world.family_a_id, "DUPONT", today=later)
    with read() as session:
        lea = session.get(Child, world.lea)
        # The child lives on with DURAND: the record is theirs now, whole.
        assert (lea.first_name, lea.family_id) == ("Léa", world.family_b_id)
        assert session.scalar(select(func.count()).select_from(ChildHousehold)) == 0
        assert households.household_ids(session, world.lea) == {world.family_b_id}
    grid = get_month(world.family_b, reg_b)
    assert grid.child_name.startswith("Léa")
