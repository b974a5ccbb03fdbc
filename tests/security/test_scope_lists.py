"""Every list a desk reads (families, payments, mails, queues, sheets, change requests, the
audit log): the Saint Gabriel desk never finds family B (Les Chats Perchés only) in it,
while the desk of both sites does. Lists are found by introspection: a new one without a
line here fails until it is given one."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import services
from services import audit
from services.errors import Forbidden
from services.documents import absence_review, files
from services.families import changes
from services.messages import mailing, threads
from services.payments import desk
from services.staff import attendance, family_files, health_day, mails, queue, waitlist
from tests.security.scope_calls import (ID_PARAMS, build_target, pending_at_chats,
                                        services_taking_ids)
from tests.world import World

B_MARKS = ("DURAND", "durand@", "Zoé")

# module.function -> call(actor, world, site_id, unit_id); the desk of both sites is called
# with Les Chats Perchés, the Saint Gabriel desk with its own site.
Read = Callable[[Any, World, int, int], Any]
READS: dict[str, Read] = {
    "payments.desk.list_families_due": lambda a, w, s, u: desk.list_families_due(a, ""),
    "payments.desk.list_received": lambda a, w, s, u: desk.list_received(a),
    "staff.family_files.search_families": lambda a, w, s, u: family_files.search_families(
        a, "dur"),
    "staff.mails.list_outbox": lambda a, w, s, u: mails.list_outbox(a),
    "staff.mails.count_outbox": lambda a, w, s, u: mails.count_outbox(a),
    "staff.mails.count_failed": lambda a, w, s, u: mails.count_failed(a),
    "families.changes.list_changes": lambda a, w, s, u: changes.list_changes(a),
    "staff.queue.list_queue": lambda a, w, s, u: queue.list_queue(a),
    "staff.attendance.get_sheet": lambda a, w, s, u: attendance.get_sheet(a, s, w.first_day),
    "staff.attendance.late_candidates": lambda a, w, s, u: attendance.late_candidates(
        a, u, w.first_day),
    "staff.waitlist.list_board": lambda a, w, s, u: waitlist.list_board(a, s, w.first_day),
    "audit.list_entries": lambda a, w, s, u: audit.list_entries(a),
    "documents.files.list_to_review": lambda a, w, s, u: files.list_to_review(a),
    "documents.absence_review.list_absences": lambda a, w, s, u: absence_review.list_absences(a),
    "staff.health_day.list_day_health": lambda a, w, s, u: health_day.list_day_health(
        a, s, w.first_day),
    "messages.threads.list_threads": lambda a, w, s, u: threads.list_threads(a),
    "messages.threads.count_unread": lambda a, w, s, u: threads.count_unread(a),
    "messages.mailing.list_recipients": lambda a, w, s, u: mailing.list_recipients(
        a, mailing.Audience(s, w.activity_peri if s == w.site_chats else w.activity_wed)),
}
# Reads whose result names no family (counts are compared below, not searched for names).
COUNTS = {"staff.mails.count_outbox", "staff.mails.count_failed", "staff.waitlist.list_board",
          "messages.threads.count_unread"}
# Found by the introspection but about no other family's data, and why.
OTHER = {
    "booking.context.checked": "the scope check itself, on rows its callers read by "
                               "registration id (booking.reserve.reserve, in the id sweep)",
    "booking.queue.actor_json": "writes down the signed-in actor for the applier; reads nothing",
    "audit.entry_values": "writes down the signed-in actor for an audit entry; reads nothing",
    "booking.server_step.prepare": "turns a checked registration's preread into the step's "
                                   "arguments; reads nothing (tests/services/test_submit_"
                                   "arguments.py)",
    "booking.queue.submit": "queues what reserve/cancel checked (the applier checks a queued "
                            "cancellation again; tests/services/test_booking_queue.py)",
    "families.accounts.create_family": "creates a new file",
    "families.accounts.create_staff_user": "manager only, no family",
    "families.file.update_contact": "the signed-in family's own contact",
    "families.guardians.set_mail_preference": "the signed-in guardian's own choice: "
                                              "tests/services/test_mail_recipients.py",
    "staff.family_edit.register_family": "creates a new file",
    "staff.overview.get_overview": "counts: tests/security/test_access.py, dashboard test",
    "staff.waitlist.list_waiting_days": "site named and checked; days and counts only",
    "staff.waitlist.promote": "slot's site checked; waitlist tests",
    # The centre's own words, the same for every family: tests/services/test_content.py and
    # test_first_run.py check the writes are the manager's alone.
    "content.create_news": "the centre's news, manager only",
    "content.delete_news": "the centre's news, manager only",
    "content.update_news": "the centre's news, manager only",
    "content.list_news": "the centre's news, public to signed-in accounts",
    "content.get_welcome": "the centre's welcome and contact",
    "content.get_family_texts": "the centre's texts, manager's form",
    "content.update_family_texts": "the centre's texts, manager only",
    "organisation.update_profile": "the centre's profile, manager only",
    "centre_logo.set_logo": "the centre's logo, manager only",
    "centre_logo.remove_logo": "the centre's logo, manager only",
    "staff.audit_log.list_people": "names of staff and managers, for the journal's filter",
    "documents.types.list_types": "the centre's document types, no family data",
    "documents.types.save_type": "the centre's document types, manager only",
    "documents.types.ensure_defaults": "the centre's document types, manager only",
    # Closing B's account cancels its days, which the other lists need: its own test below.
    "families.rights.closure.list_closure_requests": "test_closure_requests_stay_on_their_sites",
    "families.rights.closure.request_closure": "the signed-in family's own account",
    "staff.health_day.day_list_pdf": "site checked: test_scope_exports.py, day list PDF test",
    "health.pickup.booking_blocker": "the signed-in family's own contacts",
    "health.consents.list_consent_kinds": "the centre's consents, the same for every family",
    "health.consents.create_consent_kind": "the centre's consents, manager only",
    "health.consents.update_consent_kind": "the centre's consents, manager only",
    "demo_health.seed": "the demo's own families, loaded once by services/demo.py",
    "messages.writing.start_thread": "the signed-in family's own new thread",
    "messages.mailing.send_mailing": "the families of list_recipients (in READS), whose site "
                                     "is checked: tests/services/test_messages_mailing.py",
}
LEFT_OUT = ("services.reports.",  # dashboards and exports: test_scope_exports.py
            "services.config.", "services.catalogue.",  # configuration, no family data
            "services.staff.choices", "services.staff.scope")  # pickers; the mechanism itself


def _reads() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(services.__path__, "services."):
        if info.name.startswith(LEFT_OUT):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            params = set(inspect.signature(fn).parameters)
            if (fn.__module__ == info.name and not name.startswith("_") and "actor" in params
                    and "session" not in params and not params & ID_PARAMS):
                found.add(f"{info.name.removeprefix('services.')}.{name}")
    return found


def test_every_list_is_in_the_sweep():
    found = _reads()
    assert sorted(found - set(READS) - set(OTHER)) == [], "add these to READS or OTHER"
    gone = (set(READS) | set(OTHER)) - found - services_taking_ids()  # lists may take an id too
    assert sorted(gone) == [], "these are gone: remove them"


def test_no_list_shows_another_sites_family(world):
    build_target(world)
    pending_at_chats(world)
    w = world
    leaks, missing = [], []
    for name, call in READS.items():
        try:
            mine = repr(call(w.staff_gabriel, w, w.site_gabriel, w.units_wed[3]))
        except Forbidden:
            mine = ""
        both_actor = w.manager if name == "audit.list_entries" else w.staff
        both = repr(call(both_actor, w, w.site_chats, w.units_peri[3]))
        if name in COUNTS:
            continue
        leaks += [f"{name}: {mark}" for mark in B_MARKS if mark in mine]
        if not any(mark in both for mark in B_MARKS):
            missing.append(name)  # the data is there: the desk of both sites sees it
    assert leaks == []
    assert missing == []
    # Counts: the Saint Gabriel desk counts only family A's mails.
    assert mails.count_outbox(w.staff_gabriel).by_state == {"failed": _mails_of(w.family_a_id)}
    assert mails.count_failed(w.staff_gabriel) == _mails_of(w.family_a_id)
    assert mails.count_failed(w.staff) > mails.count_failed(w.staff_gabriel)
    # B's thread waits unread for the desk of Les Chats Perchés, not for Saint Gabriel's.
    assert (threads.count_unread(w.staff), threads.count_unread(w.staff_gabriel)) == (1, 0)


def _mails_of(family_id: int) -> int:
    from sqlalchemy import func, select

    from db.engine import read
    from db.models import Mail

    with read() as session:
        return int(session.scalar(select(func.count(Mail.id))
                                  .where(Mail.family_id == family_id)) or 0)


def test_closure_requests_stay_on_their_sites(world):
    from services.families.rights import closure

    build_target(world)  # B comes to Les Chats Perchés only
    closure.request_closure(world.family_b)
    assert closure.list_closure_requests(world.staff_gabriel).empty
    assert list(closure.list_closure_requests(world.staff)["Famille"]) == ["DURAND"]
    assert list(closure.list_closure_requests(world.manager)["Famille"]) == ["DURAND"]
