"""Scope at the service layer, for every service that takes an id (found by introspection):
the Saint Gabriel desk and family A are refused family B's ids (Les Chats Perchés only) and
change nothing; the desk of both sites, family B or the manager are not refused. A service
added later without a line in scope_calls.CALLS fails here until it is given one."""
from __future__ import annotations

import pytest

from services.errors import Forbidden, NotFound, PortalError
from tests.security.scope_calls import (CALLS, FAMILY, MANAGER, STAFF, build_target,
                                        everything_of, services_taking_ids)


def test_every_service_taking_an_id_is_in_the_sweep():
    found = services_taking_ids()
    assert sorted(found - set(CALLS)) == [], "add these services to scope_calls.CALLS"
    assert sorted(set(CALLS) - found) == [], "these services are gone: remove them"
    assert {"payments.desk.open_charges", "payments.receipts.receipt_pdf",
            "billing.documents.invoice_pdf", "billing.accounts.get_account"} <= found


def test_out_of_scope_ids_are_refused_and_change_nothing(world):
    target = build_target(world)
    before = everything_of(target.family)
    leaks = []
    for name, (call, _) in CALLS.items():
        for who, actor in (("Saint Gabriel desk", world.staff_gabriel),
                           ("family A", world.family_a)):
            try:
                call(actor, world, target)
            except (Forbidden, NotFound):
                continue
            except PortalError as error:
                leaks.append(f"{name} as {who}: {type(error).__name__} {error.message}")
            else:
                leaks.append(f"{name} as {who}: answered")
    assert leaks == []
    assert everything_of(target.family) == before


def test_those_allowed_are_not_refused(world):
    target = build_target(world)
    allowed = {STAFF: world.staff, FAMILY: world.family_b, MANAGER: world.manager}
    refused = []
    for name, (call, roles) in CALLS.items():
        for role in roles:
            try:
                call(allowed[role], world, target)
            except (Forbidden, NotFound) as error:
                refused.append(f"{name} as {role}: {error.message}")
            except PortalError:
                pass  # a business rule (already decided, nothing due...): not a scope refusal
    assert refused == []


def test_a_file_without_any_registration_is_open_to_every_desk(world):
    from services.staff import family_files

    assert family_files.get_family_file(world.staff_gabriel, world.family_b_id).name == "DURAND"
    build_target(world)  # B now comes to Les Chats Perchés
    with pytest.raises(Forbidden):
        family_files.get_family_file(world.staff_gabriel, world.family_b_id)


def test_each_check_of_the_scope_module_refuses_out_of_scope_and_lets_the_right_one_in(world):
    from db.engine import read
    from services.staff import scope

    t = build_target(world)
    checks = {"require_family": t.family, "require_child": t.child,
              "require_registration": t.registration, "require_reservation": t.reservations[0],
              "require_charge": t.charge, "require_payment": t.payment,
              "require_document": t.document, "require_mail": t.mail}
    with read() as session:
        for name, key in checks.items():
            check = getattr(scope, name)
            for outsider in (world.staff_gabriel, world.family_a):
                with pytest.raises((Forbidden, NotFound)):
                    check(session, outsider, key)
            assert check(session, world.staff, key) is not None
            assert check(session, world.manager, key) is not None
            if name not in ("require_family", "require_mail"):  # staff-only checks
                assert check(session, world.family_b, key) is not None
        with pytest.raises(NotFound):
            scope.require_child(session, world.staff, 10**6)
        assert scope.family_of(session, world.family_b, None) == t.family
        with pytest.raises(Forbidden):
            scope.family_of(session, world.family_a, t.family)
