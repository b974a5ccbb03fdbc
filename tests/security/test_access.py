"""Who may touch what, at the service layer: every family-side service with another
family's ids, staff of one site on another site's data, links used twice at once.
(Lockout, expired links and reused links one after the other: tests/services/test_auth.py.)
Forged seals on the bank's notification route need the money branch (issue 5)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select, update

from db.engine import read, transaction
from db.models import Mail, Reservation
from services import audit, registrations
from services.auth import links, login
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from services.catalogue import setup
from services.errors import Forbidden, LinkInvalid, NotFound, PortalError
from services.families import accounts, children, overview
from services.families import file as family_file
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.mail import outbox
from services.staff import audit_log, corrections
from services.staff import mails as staff_mails
from services.staff import overview as staff_overview
from tests.invariants import at_once, fingerprint
from tests.world import PASSWORD


NOW = datetime.now(timezone.utc)


@pytest.fixture
def b(world):  # type: ignore[no-untyped-def]
    """Family B's registration (Chats Perchés) with one booked cell; A's own registration."""
    reg = registrations.request_registration(world.family_b, world.zoe, world.period_peri)
    registrations.decide(world.staff, reg, validate=True)
    reserve(world.family_b, reg, [(world.first_day, world.units_peri[0])])
    own = registrations.request_registration(world.family_a, world.lea, world.period_peri)
    registrations.decide(world.staff, own, validate=True)
    with read() as session:
        rid = session.scalar(select(Reservation.id).where(Reservation.registration_id == reg))
    return {"reg": reg, "res": rid, "own": own}


FAMILY_A_ON_B = {
    "reserve on B's registration": lambda w, b: reserve(w.family_a, b["reg"],
                                                        [(w.first_day, w.units_peri[1])]),
    "cancel B's registration": lambda w, b: cancel(w.family_a, b["reg"], [b["res"]]),
    "cancel B's cell through A's own registration": lambda w, b: cancel(w.family_a, b["own"],
                                                                        [b["res"]]),
    "register B's child": lambda w, b: registrations.request_registration(w.family_a, w.zoe,
                                                                          w.period_wed),
    "book as staff": lambda w, b: reserve(w.family_a, b["reg"], [(w.first_day, 1)], by_staff=True),
    "decide B's registration": lambda w, b: registrations.decide(w.family_a, b["reg"], False),
    "add a child to B": lambda w, b: children.add_child(w.family_a, w.family_b_id,
                                                        ChildForm("X", "Y", date(2016, 1, 1))),
    "create a family": lambda w, b: accounts.create_family(w.family_a, w.organisation, FamilyForm(
        "X", [GuardianForm("a", "b", "x@y.example")])),
    "invite B's account": lambda w, b: links.send_invitation(w.family_a,
                                                             accounts.account_ids(w.family_b_id)[0]),
    "resend a mail": lambda w, b: outbox.resend(w.family_a, 1),
    "read the audit log": lambda w, b: audit.list_entries(w.family_a),
    "read the journal": lambda w, b: audit_log.list_entries(w.family_a, w.today, w.today),
    "cancel as the desk": lambda w, b: corrections.cancel_for_family(
        w.family_a, w.family_b_id, b["reg"], [b["res"]], "motif"),
    "reverse a payment": lambda w, b: corrections.reverse_desk_payment(
        w.family_a, w.family_b_id, "DXXXXXXXXXXX", "motif"),
    "staff dashboard": lambda w, b: staff_overview.get_overview(w.family_a),
    "create a site": lambda w, b: setup.create_site(w.family_a, w.organisation, "X"),
    "create a period": lambda w, b: setup.create_period(w.family_a, w.activity_peri, 1, "X",
                                                        w.today, w.today, NOW),
}


@pytest.mark.parametrize("attempt", sorted(FAMILY_A_ON_B))
def test_a_family_cannot_touch_another_familys_data(world, b, attempt):
    before = fingerprint(world.family_b_id)
    with pytest.raises((Forbidden, NotFound)):
        FAMILY_A_ON_B[attempt](world, b)
    assert fingerprint(world.family_b_id) == before


def test_a_family_reads_only_its_own_file_and_mails_and_is_refused_anothers(world, b):
    with pytest.raises(Forbidden):
        overview.get_overview(world.family_a, world.today, family_id=world.family_b_id)
    with pytest.raises(Forbidden):
        outbox.list_mails(world.family_a, family_id=world.family_b_id)
    seen = overview.get_overview(world.family_a, world.today)
    assert seen.family_id == world.family_a_id
    assert "Zoé" not in {c.first_name for c in seen.children}
    mails = outbox.list_mails(world.family_a)
    assert mails and {m.family_id for m in mails} == {world.family_a_id}


STAFF_GABRIEL_ON_CHATS = {
    "decide": lambda w, b: registrations.decide(w.staff_gabriel, b["reg"], True),
    "book for the family": lambda w, b: reserve(w.staff_gabriel, b["reg"],
                                                [(w.first_day, w.units_peri[2])], by_staff=True),
    "cancel for the family": lambda w, b: cancel(w.staff_gabriel, b["reg"], [b["res"]]),
    "register a child there": lambda w, b: registrations.request_registration(
        w.staff_gabriel, w.tom, w.period_peri_small),
    "create a site (manager only)": lambda w, b: setup.create_site(w.staff_gabriel,
                                                                   w.organisation, "X"),
    # Signing a Chats family up at Saint Gabriel would open its whole file to that desk.
    "register a Chats family's child at Saint Gabriel": lambda w, b:
        registrations.request_registration(w.staff_gabriel, w.zoe, w.period_wed),
    "add a child to a Chats family": lambda w, b: children.add_child(
        w.staff_gabriel, w.family_b_id, ChildForm("X", "Y", date(2016, 1, 1))),
    "invite a Chats family's account": lambda w, b: links.send_invitation(
        w.staff_gabriel, accounts.account_ids(w.family_b_id)[0]),
    "read a Chats family's file": lambda w, b: family_file.get_file(w.staff_gabriel,
                                                                    w.family_b_id),
    "cancel days from a Chats family's file": lambda w, b: corrections.cancel_for_family(
        w.staff_gabriel, w.family_b_id, b["reg"], [b["res"]], "motif"),
    "reverse a Chats family's payment": lambda w, b: corrections.reverse_desk_payment(
        w.staff_gabriel, w.family_b_id, "DXXXXXXXXXXX", "motif"),
    "read a Chats family's history": lambda w, b: audit_log.family_history(w.staff_gabriel,
                                                                           w.family_b_id),
}


@pytest.mark.parametrize("attempt", sorted(STAFF_GABRIEL_ON_CHATS))
def test_staff_of_one_site_cannot_act_on_another_sites_data(world, b, attempt):
    before = fingerprint(world.family_b_id)
    with pytest.raises(Forbidden):
        STAFF_GABRIEL_ON_CHATS[attempt](world, b)
    assert fingerprint(world.family_b_id) == before


def test_staff_dashboard_counts_only_the_staff_members_sites(world):
    registrations.request_registration(world.family_b, world.zoe, world.period_peri)  # Chats
    with transaction() as session:
        session.execute(update(Mail).values(state="failed", attempts=5))
    assert staff_overview.get_overview(world.staff).registration_requests == 1
    assert staff_overview.get_overview(world.staff_gabriel).registration_requests == 0
    assert staff_overview.get_overview(world.staff).mails_failed == 1
    assert staff_overview.get_overview(world.staff_gabriel).mails_failed == 0


def _staff_links() -> list[Mail]:
    with read() as session:
        return list(session.scalars(select(Mail).where(Mail.family_id.is_(None))))


def test_staff_cannot_read_or_obtain_a_link_to_a_staff_or_manager_account(world):
    """A set-password link opens the account it was sent for: staff never see those of
    staff and manager accounts, and cannot have one sent."""
    manager = login.sign_in("direction@test.example", PASSWORD).actor.user_id
    with pytest.raises(Forbidden):
        links.send_invitation(world.staff, manager)
    assert _staff_links() == []
    links.request_reset("direction@test.example")  # anyone can ask, from the sign-in page
    (mail,) = _staff_links()
    for staff in (world.staff, world.staff_gabriel):
        assert mail.id not in {m.id for m in staff_mails.list_outbox(staff)}
        assert staff_mails.count_outbox(staff).by_state == {}
        with pytest.raises(Forbidden):
            staff_mails.resend(staff, mail.id)
    assert mail.id in {m.id for m in staff_mails.list_outbox(world.manager)}
    links.send_invitation(world.manager, manager)
    assert len(_staff_links()) == 2


def test_a_reset_link_used_twice_at_once_works_once(world, capsys):
    from tests.links import last_token

    links.request_reset("durand@test.example")
    token = last_token(capsys, "durand@test.example")
    results = at_once([lambda p=p: links.redeem(token, p)
                       for p in ("NouveauMotDePasse1", "AutreMotDePasse2", "Troisieme3Mdp")])
    assert sum(1 for r in results if r == "durand@test.example") == 1
    assert sum(1 for r in results if isinstance(r, LinkInvalid)) == 2
    winners = [p for p, r in zip(("NouveauMotDePasse1", "AutreMotDePasse2", "Troisieme3Mdp"),
                                 results) if not isinstance(r, PortalError)]
    assert login.sign_in("durand@test.example", winners[0]).actor.family_id == world.family_b_id


def test_throttling_per_account_is_not_fooled_by_case_or_spaces(world, monkeypatch):
    from services.errors import InvalidCredentials, TooManyAttempts

    monkeypatch.setenv("ACCOUNT_FREE_FAILURES", "4")
    for n, variant in enumerate(["dupont@test.example", "DUPONT@test.example",
                                 " Dupont@Test.Example ", "dupont@TEST.example"]):
        with pytest.raises(InvalidCredentials):
            login.sign_in(variant, "mauvais-mot-de-passe-1", f"198.51.100.{n}")
    with pytest.raises(TooManyAttempts):  # a client that failed waits for this account
        login.sign_in("DUPONT@test.example", PASSWORD, "198.51.100.0")
