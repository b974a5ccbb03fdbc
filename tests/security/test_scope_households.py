"""A child of two households through the scope: household B books under its own
registration and sees the child's grid; an unrelated family C reaches nothing of the child;
B reads nothing of A's charges, payments, address or income."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import Charge
from services import registrations
from services.billing import accounts as billing_accounts
from services.billing import attendance_certificate, documents
from services.booking import grid, reserve
from services.errors import Forbidden, NotFound
from services.families import accounts, households
from services.families import file as family_file
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.families.overview import get_overview
from services.payments import desk, receipts
from services.staff import family_files, scope
from services.staff.family_edit import FamilyDetails, update_family
from tests.world import PASSWORD, _born, sign_in


def test_a_second_household_reaches_its_own_part_and_nothing_of_the_first(world):
    w = world
    update_family(w.staff, w.family_a_id, FamilyDetails(
        "DUPONT", address="12 rue Discrète", city="Lambersart", phone="03 20 11 22 33", qf=650))
    households.link_child(w.staff, w.lea, w.family_b_id)
    reg_a = registrations.request_registration(w.family_a, w.lea, w.period_peri)
    reg_b = registrations.request_registration(w.family_b, w.lea, w.period_peri)
    for reg in (reg_a, reg_b):
        registrations.decide(w.staff, reg, validate=True)
    unit = w.units_peri[0]
    reserve.reserve(w.family_a, reg_a, [(w.first_day, unit)])
    ref_a = desk.record_desk_payment(w.staff, w.family_a_id, "cheque", 100, note="Banque A")
    (mine,) = reserve.reserve(w.family_b, reg_b, [(w.first_day + timedelta(days=1), unit)]).cells
    assert mine.outcome == "validated"
    seen = grid.get_month(w.family_b, reg_b, w.first_day.year, w.first_day.month)
    assert seen.cell(w.first_day, unit).state == grid.CellState.OTHER_HOUSEHOLD
    with read() as session:
        charge_a = session.scalar(select(Charge.id).where(Charge.family_id == w.family_a_id))
        assert scope.require_child(session, w.family_b, w.lea).id == w.lea
        for check, key in ((scope.require_registration, reg_a), (scope.require_charge, charge_a),
                           (scope.require_payment, ref_a)):
            with pytest.raises((Forbidden, NotFound)):
                check(session, w.family_b, key)
    for call in (lambda: billing_accounts.get_account(w.family_b, w.today, w.family_a_id),
                 lambda: family_file.get_file(w.family_b, w.family_a_id),
                 lambda: receipts.receipt_pdf(w.family_b, ref_a),
                 lambda: documents.registration_certificate_pdf(w.family_b, reg_a),
                 lambda: reserve.reserve(w.family_b, reg_a, [(w.first_day, w.units_peri[1])])):
        with pytest.raises((Forbidden, NotFound)):
            call()
    own = family_file.get_file(w.family_b)
    assert w.lea in [c.id for c in own.children]
    assert "Discrète" not in repr(own) and "Lambersart" not in repr(own) and "650" not in repr(own)
    account = billing_accounts.get_account(w.family_b, w.today)
    assert [r.registration_id for r in account.registrations] == [reg_b]
    assert "Banque A" not in repr(account)
    overview = get_overview(w.family_b, w.today)
    assert [r.id for c in overview.children for r in c.registrations] == [reg_b]
    # The desk sees, in B's file, B's registration and days only.
    assert list(family_files.list_family_registrations(w.staff, w.family_b_id)["id"]) == [reg_b]


def test_an_unrelated_family_reaches_nothing_of_the_shared_child(world):
    w = world
    households.link_child(w.staff, w.lea, w.family_b_id)
    reg_b = registrations.request_registration(w.family_b, w.lea, w.period_peri)
    registrations.decide(w.staff, reg_b, validate=True)
    fid = accounts.create_family(w.manager, w.organisation, FamilyForm(
        "MARTIN", [GuardianForm("Paul", "MARTIN", "martin@test.example")],
        [ChildForm("Jules", "MARTIN", _born(w.today, 7))]))
    for user in accounts.account_ids(fid):
        accounts.set_password_directly(w.manager, user, PASSWORD)
    c = sign_in("martin@test.example")
    with read() as session:
        with pytest.raises(Forbidden):
            scope.require_child(session, c, w.lea)
        with pytest.raises(Forbidden):
            scope.require_registration(session, c, reg_b)
    for call in (lambda: grid.get_month(c, reg_b),
                 lambda: reserve.reserve(c, reg_b, [(w.first_day, w.units_peri[0])]),
                 lambda: registrations.request_registration(c, w.lea, w.period_peri),
                 lambda: attendance_certificate.get_attendance_statement(
                     c, w.lea, w.first_day, w.first_day),
                 lambda: documents.tax_certificate_pdf(c, w.lea, w.today.year)):
        with pytest.raises(Forbidden):
            call()
