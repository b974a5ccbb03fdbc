"""A family's own file: contact details change at once; sensitive fields go to reception."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry, Mail
from services.errors import Forbidden, InvalidInput, InvalidTransition
from services.families.changes import decide_change, list_changes, request_change
from services.families.file import get_file, update_contact


def subjects(recipient: str) -> list[str]:
    with read() as session:
        return list(session.scalars(select(Mail.subject).where(Mail.recipient == recipient)))


def test_contact_details_apply_at_once_and_are_audited(world):
    changed = update_contact(world.family_a, "3 rue Neuve", "59000", "Lille", "06 01 02 03 04",
                             "Claire.Dupont@test.example")
    assert set(changed) == {"address", "postal_code", "city", "phone", "email"}
    file = get_file(world.family_a)
    assert (file.address, file.email) == ("3 rue Neuve", "claire.dupont@test.example")
    with read() as session:
        assert session.scalar(select(AuditEntry.action).where(
            AuditEntry.action == "update_contact")) == "update_contact"


@pytest.mark.parametrize("phone, email", [("abc", "a@b.fr"), ("0601020304", "pas-un-mail"),
                                          ("0601020304", "")])
def test_bad_contact_details_change_nothing(world, phone, email):
    before = get_file(world.family_a)
    with pytest.raises(InvalidInput):
        update_contact(world.family_a, "x", "59000", "Lille", phone, email)
    assert get_file(world.family_a) == before


@pytest.mark.parametrize("field, value, child, applied", [
    ("qf", "820", None, lambda f: f.qf == 820),
    ("birth_date", "2017-03-04", "lea", lambda f: f.children[0].birth_date == date(2017, 3, 4)),
    ("health_notes", "Allergie aux arachides", "tom",
     lambda f: f.children[1].health_notes == "Allergie aux arachides"),
    ("guardian_add", json.dumps({"first_name": "Paul", "last_name": "DUPONT",
                                 "relationship": "Père"}), None,
     lambda f: [g.first_name for g in f.guardians] == ["Claire", "Paul"]),
])
def test_sensitive_changes_wait_for_reception_then_apply(world, field, value, child, applied):
    child_id = getattr(world, child) if child else None
    change = request_change(world.family_a, field, value, child_id)
    assert request_change(world.family_a, field, value, child_id) == change  # double click
    assert not applied(get_file(world.family_a))
    pending = list_changes(world.staff)
    assert [c.id for c in pending] == [change]
    assert decide_change(world.staff, change, approve=True) == "validated"
    assert applied(get_file(world.family_a))
    assert subjects("dupont@test.example")[-2:] == ["Demande de modification reçue",
                                                    "Demande de modification acceptée"]
    with pytest.raises(InvalidTransition):
        decide_change(world.staff, change, approve=False)


def test_a_guardian_update_and_a_refusal(world):
    guardian = get_file(world.family_a).guardians[0]
    change = request_change(world.family_a, "guardian_update", json.dumps(
        {"guardian_id": guardian.id, "first_name": "Claire", "last_name": "MARTIN-DUPONT"}))
    decide_change(world.staff, change, approve=False, reason="Justificatif manquant")
    assert get_file(world.family_a).guardians[0].last_name == "DUPONT"
    assert "Demande de modification refusée" in subjects("dupont@test.example")


@pytest.mark.parametrize("field, value, child", [
    ("qf", "-3", None), ("qf", "beaucoup", None), ("birth_date", "2999-01-01", "lea"),
    ("birth_date", "hier", "lea"), ("health_notes", "x", None), ("name", "X", None),
    ("guardian_add", "{}", None), ("guardian_add", "pas du json", None),
])
def test_bad_requests_are_refused(world, field, value, child):
    with pytest.raises(InvalidInput):
        request_change(world.family_a, field, value, getattr(world, child) if child else None)
    assert list_changes(world.staff) == []


def test_scoping(world):
    with pytest.raises(Forbidden):
        request_change(world.family_b, "health_notes", "x", world.lea)
    change = request_change(world.family_a, "qf", "100")
    assert [c.id for c in list_changes(world.family_a)] == [change]  # its own, pending
    assert list_changes(world.family_b) == []
    # Family A has no registration yet, so every site's reception sees it.
    assert [c.id for c in list_changes(world.staff_gabriel)] == [change]


def test_staff_of_another_site_do_not_see_a_family_registered_elsewhere(world):
    from services import registrations

    registrations.request_registration(world.family_a, world.lea, world.period_peri)  # Chats
    change = request_change(world.family_a, "qf", "100")
    assert list_changes(world.staff_gabriel) == []
    with pytest.raises(Forbidden):
        decide_change(world.staff_gabriel, change, approve=True)
    assert [c.id for c in list_changes(world.staff)] == [change]
