"""Family files at the desk: create, edit, search, documents, invitation, bookings, balance."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import Family, Mail
from services import registrations
from services.booking.reserve import reserve
from services.errors import Forbidden, InvalidInput, NotFound
from services.families import accounts
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.mail.outbox import LINK_MASK, list_mails
from services.staff import family_edit, family_files
from services.staff.family_edit import FamilyDetails


def _new_family(world, actor=None) -> int:
    return accounts.create_family(actor or world.staff, world.organisation, FamilyForm(
        "LEROY", [GuardianForm("Anne", "LEROY", "anne.leroy@test.example")],
        [ChildForm("Jules", "LEROY", date(world.today.year - 7, 3, 2))], qf=820))


def _chats_family(world) -> int:
    """DUPONT, registered at the Chats Perchés only."""
    reg = registrations.request_registration(world.family_a, world.lea, world.period_peri)
    registrations.decide(world.staff, reg, True)
    return world.family_a_id


@pytest.mark.parametrize("text, found", [("leroy", True), ("JULES", True),
                                         ("anne.leroy@", True), ("personne", False)])
def test_search_by_family_child_or_email(world, text, found):
    family_id = _new_family(world)
    ids = [r.id for r in family_files.search_families(world.staff, text)]
    assert (family_id in ids) is found


def test_file_shows_guardians_children_documents_and_accounts(world):
    family_id = _new_family(world)
    jules = family_files.get_family_file(world.staff, family_id).children[0].id
    family_edit.add_guardian(world.staff, family_id,
                             GuardianForm("Mamie", "LEROY", "", "06 00 00 00 00", "Contact"))
    family_edit.record_document(world.staff, family_id, "Attestation d'assurance",
                                world.today, child_id=jules)
    file = family_files.get_family_file(world.staff, family_id)
    assert [g.relationship for g in file.guardians] == ["Parent", "Contact"]
    assert file.documents[0].kind == "Attestation d'assurance"
    assert [(a.email, a.has_password, a.invited) for a in file.accounts] == \
        [("anne.leroy@test.example", False, False)]


def test_invitation_is_mailed_and_can_be_resent(world):
    family_id = _new_family(world)
    assert family_edit.invite_family(world.staff, family_id) == 1
    assert family_edit.invite_family(world.staff, family_id) == 1
    assert family_files.get_family_file(world.staff, family_id).accounts[0].invited
    mails = list_mails(world.staff, family_id=family_id)
    assert [m.subject for m in mails] == ["Portail Famille : créez votre mot de passe"] * 2
    # Reception never reads the link: it would open the family's account.
    assert LINK_MASK in mails[0].body and "jeton=" not in mails[0].body


def test_update_family_and_child(world):
    family_id = _new_family(world)
    family_edit.update_family(world.staff, family_id, FamilyDetails(
        "LEROY-MARTIN", city="Lille", email="foyer@test.example", qf=400))
    child = family_files.get_family_file(world.staff, family_id).children[0]
    family_edit.update_child(world.staff, child.id, ChildForm("Jules", "LEROY-MARTIN",
                                                              child.birth_date, school="Jean Zay"))
    file = family_files.get_family_file(world.staff, family_id)
    assert (file.name, file.qf, file.children[0].school) == ("LEROY-MARTIN", 400, "Jean Zay")


@pytest.mark.parametrize("details", [FamilyDetails(""), FamilyDetails("X", qf=-3),
                                     FamilyDetails("X", email="pas-une-adresse")])
def test_bad_family_details_change_nothing(world, details):
    family_id = _new_family(world)
    with pytest.raises(InvalidInput):
        family_edit.update_family(world.staff, family_id, details)
    with read() as session:
        assert session.get(Family, family_id).name == "LEROY"


def test_guardian_corrected_and_sign_in_follows_the_new_email(world):
    family_id = _new_family(world)
    anne = family_files.get_family_file(world.staff, family_id).guardians[0]
    family_edit.update_guardian(world.staff, anne.id, GuardianForm(
        "Anne", "LEROY", "anne.l@test.example", "07 00 00 00 00", "Mère"))
    file = family_files.get_family_file(world.staff, family_id)
    assert (file.guardians[0].email, file.guardians[0].relationship) == \
        ("anne.l@test.example", "Mère")
    assert file.accounts[0].email == "anne.l@test.example"
    with pytest.raises(InvalidInput):  # an account holder keeps an e-mail
        family_edit.update_guardian(world.staff, anne.id, GuardianForm("Anne", "LEROY"))
    with pytest.raises(InvalidInput):  # another account's e-mail
        family_edit.update_guardian(world.staff, anne.id,
                                    GuardianForm("Anne", "LEROY", "dupont@test.example"))


def test_bad_document_and_guardian_are_refused(world):
    family_id = _new_family(world)
    with pytest.raises(InvalidInput):
        family_edit.record_document(world.staff, family_id, "  ", world.today)
    with pytest.raises(InvalidInput):
        family_edit.record_document(world.staff, family_id, "Mutuelle", world.today,
                                    valid_until=world.today - timedelta(days=1))
    with pytest.raises(InvalidInput):
        family_edit.record_document(world.staff, family_id, "Mutuelle", world.today,
                                    child_id=world.lea)
    with pytest.raises(InvalidInput):
        family_edit.add_guardian(world.staff, family_id, GuardianForm("", "X"))
    with pytest.raises(InvalidInput):  # the e-mail of another family's account
        family_edit.add_guardian(world.staff, family_id,
                                 GuardianForm("Claire", "X", "dupont@test.example"))
    assert family_files.get_family_file(world.staff, family_id).documents == []


def test_bookings_by_staff_show_as_facilitated_and_the_balance_counts_them(world):
    reg = registrations.request_registration(world.family_a, world.lea, world.period_peri)
    registrations.decide(world.staff, reg, True)
    reserve(world.staff, reg, [(world.first_day, world.units_peri[1])], by_staff=True)
    table = family_files.list_family_reservations(world.staff, world.family_a_id)
    assert table.to_dict("records")[0]["Origine"] == "Réservation facilitée"
    assert table.to_dict("records")[0]["État"] == "Validée"
    balance = family_files.get_balance(world.staff, world.family_a_id)
    assert (balance.due_cents, balance.paid_cents, balance.balance_cents) == (200, 0, 200)
    regs = family_files.list_family_registrations(world.staff, world.family_a_id)
    assert list(regs["id"]) == [reg]


def test_staff_of_saint_gabriel_cannot_open_a_chats_perches_family(world):
    family_id = _chats_family(world)
    assert family_id not in [r.id for r in family_files.search_families(world.staff_gabriel,
                                                                        "dupont")]
    calls = [lambda: family_files.get_family_file(world.staff_gabriel, family_id),
             lambda: family_files.list_family_reservations(world.staff_gabriel, family_id),
             lambda: family_files.list_family_registrations(world.staff_gabriel, family_id),
             lambda: family_files.get_balance(world.staff_gabriel, family_id),
             lambda: family_edit.update_family(world.staff_gabriel, family_id,
                                               FamilyDetails("X")),
             lambda: family_edit.add_guardian(world.staff_gabriel, family_id,
                                              GuardianForm("A", "B")),
             lambda: family_edit.update_child(world.staff_gabriel, world.lea,
                                              ChildForm("Léa", "X", date(2018, 1, 1))),
             lambda: family_edit.record_document(world.staff_gabriel, family_id, "Mutuelle",
                                                 world.today),
             lambda: family_edit.invite_family(world.staff_gabriel, family_id),
             lambda: family_edit.update_guardian(
                 world.staff_gabriel, family_files.get_family_file(
                     world.staff, family_id).guardians[0].id, GuardianForm("A", "B")),
             lambda: family_edit.add_child(world.staff_gabriel, family_id,
                                           ChildForm("Max", "X", date(2018, 1, 1)))]
    for call in calls:
        with pytest.raises(Forbidden):
            call()


def test_a_new_file_is_open_to_every_desk_and_closed_to_families(world):
    family_id = _new_family(world, world.staff_gabriel)
    assert family_files.get_family_file(world.staff_gabriel, family_id).name == "LEROY"
    with pytest.raises(Forbidden):
        family_files.get_family_file(world.family_a, family_id)
    with pytest.raises(NotFound):
        family_files.get_family_file(world.staff, 999_999)
    with read() as session:
        assert session.scalar(select(Mail.id).where(Mail.family_id == family_id)) is None


def _paper_form(world, email="sara.benoit@test.example") -> FamilyForm:
    return FamilyForm("BENOIT", [GuardianForm("Sara", "BENOIT", email, "06 10 20 30 40")],
                      [ChildForm("Noé", "BENOIT", date(world.today.year - 6, 5, 1))], qf=480)


def test_the_paper_form_makes_the_whole_file_and_sends_the_invitation(world):
    family_id = family_edit.register_family(
        world.staff_gabriel, world.organisation, _paper_form(world),
        [GuardianForm("Mamie", "BENOIT", phone="03 20 00 00 00")],
        ["Attestation d'assurance civile", "Attestation de QF (CAF)"], world.today, True)
    file = family_files.get_family_file(world.staff_gabriel, family_id)
    assert (file.name, file.qf, [c.first_name for c in file.children]) == ("BENOIT", 480, ["Noé"])
    assert [(g.first_name, g.relationship, g.phone) for g in file.guardians] == \
        [("Sara", "Parent", "06 10 20 30 40"), ("Mamie", "Contact", "03 20 00 00 00")]
    assert [(d.kind, d.received_on) for d in file.documents] == \
        [("Attestation d'assurance civile", world.today), ("Attestation de QF (CAF)", world.today)]
    assert [(a.email, a.invited) for a in file.accounts] == [("sara.benoit@test.example", True)]
    assert [m.subject for m in list_mails(world.staff, family_id=family_id)] == \
        ["Portail Famille : créez votre mot de passe"]


@pytest.mark.parametrize("email, contacts, documents", [
    ("", [], []),                                   # an invitation needs an e-mail
    ("sara@test.example", [GuardianForm(" ", "X")], []),  # a contact without a first name
    ("sara@test.example", [], ["  "]),              # an empty document
    ("dupont@test.example", [], []),                # another family's account
])
def test_a_bad_paper_form_says_why_and_creates_nothing(world, email, contacts, documents):
    with pytest.raises(InvalidInput):
        family_edit.register_family(world.staff, world.organisation, _paper_form(world, email),
                                    contacts, documents, world.today, True)
    with read() as session:
        assert session.scalar(select(Family.id).where(Family.name == "BENOIT")) is None
