"""How to call each service that takes an id, and who may (the data aimed at: scope_target.py).

Family B (DURAND) comes only to Les Chats Perchés: a validated registration, two booked
days, a desk payment, a document, a change request, mails. Family A (DUPONT) comes to
Saint Gabriel. Every call below is made with B's ids by the Saint Gabriel desk and by
family A (both must be refused), then by someone allowed (who must not be)."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

import services
from db.engine import read
from db.models import PickupPerson
from services import demo_history, registrations
from services.auth import links
from services.billing import accounts as billing_accounts
from services.billing import attendance_certificate, credits, documents, invoices
from services.booking import cancel, grid, memo, prepared, reserve, together, typical_week
from services.catalogue import offer
from services.documents import absence_review, absences
from services.documents import files as doc_files
from services.documents import review as doc_review
from services.documents import types as doc_types
from services.config import accounts as staff_accounts
from services.families import accounts, changes, children, guardians, households, overview
from services.families import file as family_file
from services.families.rights import anonymise, closure
from services.families.rights import export as rights_export
from services.families.accounts import ChildForm, GuardianForm
from services.health import consents, pickup, sheet
from services.health.forms import HealthForm, PickupForm
from services.mail import outbox
from services.messages import attachments as message_attachments
from services.messages import threads as message_threads
from services.messages import writing as message_writing
from services.payments import card, desk, receipts
from services.reminders import preferences as reminder_prefs
from services.staff import (attendance, audit_log, corrections, decisions, family_edit,
                            family_files, waitlist)
from services.staff import mails as staff_mails
# build_target, everything_of and pending_at_chats are imported from here by the sweep's tests.
from tests.security.scope_target import (Target, _png, build_target, everything_of,  # noqa: F401
                                         pending_at_chats)
from tests.world import World

# A service takes one of these (or a list, or a mapping keyed by one): it must be scoped.
ID_PARAMS = {"family_id", "family_ids", "child_id", "registration_id", "registration_ids",
             "reservation_id", "reservation_ids", "charge_id", "charge_ids", "payment_id",
             "reference", "document_id", "mail_id", "guardian_id", "change_id", "invoice_id",
             "user_id", "marks", "selection", "pickup_id", "thread_id", "attachment_id"}


def services_taking_ids() -> set[str]:
    """Every public service (module.function) with an `actor` and an id of the list above.
    Helpers taking a `session` run inside those services and are left out."""
    found = set()
    for info in pkgutil.walk_packages(services.__path__, "services."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != info.name or name.startswith("_"):
                continue
            params = set(inspect.signature(fn).parameters)
            if "actor" in params and "session" not in params and params & ID_PARAMS:
                found.add(f"{info.name.removeprefix('services.')}.{name}")
    return found


Call = Callable[[Any, World, Target], Any]
STAFF, FAMILY, MANAGER = "staff", "family", "manager"
ZOE = ChildForm("Zoé", "DURAND", date(2016, 1, 15))


def _staff(actor: Any) -> bool:
    return bool(actor.is_staff)


def _pickup_of(family_id: int) -> int:
    with read() as session:
        found = session.scalars(select(PickupPerson.id)
                                .where(PickupPerson.family_id == family_id)).first()
    assert found is not None
    return int(found)


# module.function -> (how to call it with B's ids, who may: staff of both sites / family B /
# the manager). Calls that change something come last, so that the allowed calls before
# them see the data as built.
CALLS: dict[str, tuple[Call, tuple[str, ...]]] = {
    "auth.links.send_invitation": (lambda a, w, t: links.send_invitation(a, t.user), (STAFF,)),
    "billing.accounts.family_scope": (
        lambda a, w, t: billing_accounts.family_scope(a, t.family), (STAFF, FAMILY)),
    "billing.accounts.get_account": (
        lambda a, w, t: billing_accounts.get_account(a, w.today, t.family), (STAFF, FAMILY)),
    "billing.accounts.get_payment": (
        lambda a, w, t: billing_accounts.get_payment(a, t.payment), (STAFF, FAMILY)),
    "billing.accounts.list_payments": (
        lambda a, w, t: billing_accounts.list_payments(a, t.family), (STAFF, FAMILY)),
    "billing.attendance_certificate.attendance_certificate_pdf": (
        lambda a, w, t: attendance_certificate.attendance_certificate_pdf(
            a, t.child, t.month, t.month + timedelta(days=60)), (STAFF, FAMILY)),
    "billing.attendance_certificate.get_attendance_statement": (
        lambda a, w, t: attendance_certificate.get_attendance_statement(
            a, t.child, t.month, t.month + timedelta(days=60)), (STAFF, FAMILY)),
    "billing.documents.invoice_months": (
        lambda a, w, t: documents.invoice_months(a, t.family), (STAFF, FAMILY)),
    "billing.documents.invoice_pdf": (
        lambda a, w, t: documents.invoice_pdf(a, t.month, t.family), (STAFF, FAMILY)),
    "billing.invoices.list_invoices": (
        lambda a, w, t: invoices.list_invoices(a, t.family), (STAFF, FAMILY)),
    "billing.invoices.issued_pdf": (
        lambda a, w, t: invoices.issued_pdf(a, t.invoice), (STAFF, FAMILY)),
    "billing.documents.registration_certificate_pdf": (
        lambda a, w, t: documents.registration_certificate_pdf(a, t.registration),
        (STAFF, FAMILY)),
    "billing.documents.tax_certificate_pdf": (
        lambda a, w, t: documents.tax_certificate_pdf(a, t.child, w.today.year),
        (STAFF, FAMILY)),
    "billing.documents.tax_children": (
        lambda a, w, t: documents.tax_children(a, w.today.year, t.family), (STAFF, FAMILY)),
    "staff.audit_log.family_history": (
        lambda a, w, t: audit_log.family_history(a, t.family), (STAFF,)),
    "staff.audit_log.list_entries": (
        lambda a, w, t: audit_log.list_entries(a, w.today - timedelta(days=31), w.today,
                                               family_id=t.family), (STAFF,)),
    "staff.corrections.list_cancellable_days": (
        lambda a, w, t: corrections.list_cancellable_days(a, t.family, t.registration,
                                                          w.first_day), (STAFF,)),
    "staff.corrections.list_desk_payments": (
        lambda a, w, t: corrections.list_desk_payments(a, t.family), (STAFF,)),
    "booking.memo.get_booking_memo": (
        lambda a, w, t: memo.get_booking_memo(a, t.registration), (STAFF, FAMILY)),
    "booking.grid.get_month": (
        lambda a, w, t: grid.get_month(a, t.registration, t.month.year, t.month.month),
        (STAFF, FAMILY)),
    "booking.typical_week.plan_typical_week": (
        lambda a, w, t: typical_week.plan_typical_week(a, t.registration,
                                                       {(1, w.units_peri[2])}), (STAFF, FAMILY)),
    "catalogue.offer.list_offer": (lambda a, w, t: offer.list_offer(a, t.child, w.today),
                                   (STAFF, FAMILY)),
    "families.guardians.list_guardians": (
        lambda a, w, t: guardians.list_guardians(a, t.family), (STAFF, FAMILY)),
    "families.file.get_file": (lambda a, w, t: family_file.get_file(a, t.family),
                               (STAFF, FAMILY)),
    "reminders.preferences.get_reminder_preferences": (
        lambda a, w, t: reminder_prefs.get_reminder_preferences(a, t.family), (STAFF, FAMILY)),
    "reminders.preferences.update_reminder_preferences": (
        lambda a, w, t: reminder_prefs.update_reminder_preferences(a, {"payment": False},
                                                                   t.family), (STAFF, FAMILY)),
    "families.overview.get_overview": (
        lambda a, w, t: overview.get_overview(a, w.today, t.family), (STAFF, FAMILY)),
    "mail.outbox.list_mails": (lambda a, w, t: outbox.list_mails(a, t.family), (STAFF, FAMILY)),
    "payments.desk.open_charges": (lambda a, w, t: desk.open_charges(a, t.family), (STAFF,)),
    "payments.receipts.receipt_pdf": (lambda a, w, t: receipts.receipt_pdf(a, t.payment),
                                      (STAFF, FAMILY)),
    "staff.family_files.get_balance": (lambda a, w, t: family_files.get_balance(a, t.family),
                                       (STAFF,)),
    "staff.family_files.get_family_file": (
        lambda a, w, t: family_files.get_family_file(a, t.family), (STAFF,)),
    "staff.family_files.list_family_registrations": (
        lambda a, w, t: family_files.list_family_registrations(a, t.family), (STAFF,)),
    "staff.family_files.list_family_reservations": (
        lambda a, w, t: family_files.list_family_reservations(a, t.family), (STAFF,)),
    "staff.family_files.validated_registrations": (
        lambda a, w, t: family_files.validated_registrations(a, t.family), (STAFF,)),
    "staff.mails.list_outbox": (lambda a, w, t: staff_mails.list_outbox(a, family_id=t.family),
                                (STAFF,)),
    "families.rights.closure.closure_requested_at": (
        lambda a, w, t: closure.closure_requested_at(a, t.family), (STAFF,)),
    "families.rights.anonymise.get_retention": (
        lambda a, w, t: anonymise.get_retention(a, t.family), (STAFF,)),
    # A read that leaves an audit entry (who downloaded the family's data).
    "families.rights.export.export_family_data": (
        lambda a, w, t: rights_export.export_family_data(a, t.family), (STAFF, FAMILY)),
    "messages.threads.get_thread": (
        lambda a, w, t: message_threads.get_thread(a, t.thread), (STAFF, FAMILY)),
    "messages.attachments.get_file": (
        lambda a, w, t: message_attachments.get_file(a, t.attachment), (STAFF, FAMILY, MANAGER)),
    # From here on, calls that write (when allowed).
    "auth.links.resend_link": (lambda a, w, t: links.resend_link(a, t.link_mail), (STAFF,)),
    # Staff accounts are the manager's alone: a family's account is none of them.
    "config.accounts.update_access": (
        lambda a, w, t: staff_accounts.update_access(a, t.user, "staff", []), ()),
    "config.accounts.deactivate": (lambda a, w, t: staff_accounts.deactivate(a, t.user), ()),
    "config.accounts.reactivate": (lambda a, w, t: staff_accounts.reactivate(a, t.user), ()),
    "mail.outbox.resend": (lambda a, w, t: outbox.resend(a, t.mail), (STAFF,)),
    "messages.threads.mark_read": (
        lambda a, w, t: message_threads.mark_read(a, t.thread), (STAFF, FAMILY)),
    "messages.writing.reply": (
        lambda a, w, t: message_writing.reply(a, t.thread, "Réponse"), (STAFF, FAMILY)),
    "messages.writing.close_thread": (
        lambda a, w, t: message_writing.close_thread(a, t.thread), (STAFF,)),
    "staff.mails.resend": (lambda a, w, t: staff_mails.resend(a, t.mail), (STAFF,)),
    "registrations.request_registration": (
        lambda a, w, t: registrations.request_registration(a, t.child, w.period_peri),
        (STAFF, FAMILY)),
    "registrations.decide": (lambda a, w, t: registrations.decide(a, t.registration, True),
                             (STAFF,)),
    "staff.decisions.decide_registrations": (
        lambda a, w, t: decisions.decide_registrations(a, [t.registration], True), (STAFF,)),
    "staff.decisions.decide_bookings": (
        lambda a, w, t: decisions.decide_bookings(a, t.reservations[:1], True), (STAFF,)),
    "staff.decisions.decide_cancellations": (
        lambda a, w, t: decisions.decide_cancellations(a, t.reservations[:1], False), (STAFF,)),
    "staff.waitlist.move": (lambda a, w, t: waitlist.move(a, t.reservations[0], True, "raison"),
                            (STAFF,)),
    "staff.attendance.mark": (
        lambda a, w, t: attendance.mark(a, {t.reservations[0]: "present"}), (STAFF,)),
    "staff.attendance.add_late_arrival": (
        lambda a, w, t: attendance.add_late_arrival(a, t.child, w.units_peri[3], w.first_day),
        (STAFF,)),
    "families.changes.request_change": (
        lambda a, w, t: changes.request_change(a, "health_notes", "Allergie", t.child),
        (FAMILY,)),
    "health.sheet.get_health_sheet": (lambda a, w, t: sheet.get_health_sheet(a, t.child),
                                      (STAFF, FAMILY)),
    "health.consents.get_consents": (lambda a, w, t: consents.get_consents(a, t.child),
                                     (STAFF, FAMILY)),
    "health.pickup.list_pickup_persons": (
        lambda a, w, t: pickup.list_pickup_persons(a, t.family), (STAFF, FAMILY)),
    "health.sheet.save_health_sheet": (
        lambda a, w, t: sheet.save_health_sheet(a, t.child, HealthForm(diet="no_pork")),
        (FAMILY,)),
    "health.consents.answer_consents": (
        lambda a, w, t: consents.answer_consents(a, t.child, {}), (FAMILY,)),
    "health.pickup.add_pickup_person": (
        lambda a, w, t: pickup.add_pickup_person(a, t.family, PickupForm(
            "Tonton DURAND", "Oncle", "06 10 20 30 40", emergency=True)), (STAFF,)),
    "health.pickup.request_pickup": (
        lambda a, w, t: pickup.request_pickup(a, PickupForm(""), _pickup_of(t.family),
                                              remove=True), (FAMILY,)),
    "families.changes.decide_change": (lambda a, w, t: changes.decide_change(a, t.change, True),
                                       (STAFF,)),
    "staff.family_edit.update_family": (
        lambda a, w, t: family_edit.update_family(a, t.family, family_edit.FamilyDetails(
            "DURAND", qf=900)), (STAFF,)),
    "staff.family_edit.update_child": (
        lambda a, w, t: family_edit.update_child(a, t.child, ZOE), (STAFF,)),
    "staff.family_edit.update_guardian": (
        lambda a, w, t: family_edit.update_guardian(a, t.guardian, GuardianForm(
            "Marc", "DURAND", "durand@test.example")), (STAFF,)),
    "staff.family_edit.add_guardian": (
        lambda a, w, t: family_edit.add_guardian(a, t.family, GuardianForm(
            "Paul", "DURAND", "", "0600000000", family_edit.CONTACT)), (STAFF,)),
    "staff.family_edit.record_document": (
        lambda a, w, t: family_edit.record_document(a, t.family, "Jugement", w.today, t.child),
        (STAFF,)),
    "staff.family_edit.invite_family": (lambda a, w, t: family_edit.invite_family(a, t.family),
                                        (STAFF,)),
    "staff.family_edit.add_child": (
        lambda a, w, t: family_edit.add_child(a, t.family, ChildForm("Max", "DURAND",
                                                                     date(2017, 3, 1))),
        (STAFF,)),
    "families.guardians.invite_guardian": (
        lambda a, w, t: guardians.invite_guardian(a, t.guardian), (STAFF, FAMILY)),
    "families.guardians.set_payer": (
        lambda a, w, t: guardians.set_payer(a, t.guardian), (STAFF,)),
    "families.children.add_child": (
        lambda a, w, t: children.add_child(a, t.family, ChildForm("Ana", "DURAND",
                                                                  date(2018, 3, 1))), (STAFF,)),
    "families.accounts.set_password_directly": (
        lambda a, w, t: accounts.set_password_directly(a, t.user, "motdepasse2026"), (MANAGER,)),
    "booking.reserve.reserve": (
        lambda a, w, t: reserve.reserve(a, t.registration, [(w.first_day, w.units_peri[2])],
                                        by_staff=_staff(a)), (STAFF, FAMILY)),
    "booking.together.reserve_together": (
        lambda a, w, t: together.reserve_together(a, [t.registration],
                                                  [(w.first_day, w.units_peri[2])],
                                                  by_staff=_staff(a)), (STAFF, FAMILY)),
    "booking.prepared.reserve": (  # the queue's page side (None without a queue)
        lambda a, w, t: prepared.reserve(a, t.registration, [(w.first_day, w.units_peri[2])],
                                         _staff(a)), (STAFF, FAMILY)),
    "booking.typical_week.apply_typical_week": (
        lambda a, w, t: typical_week.apply_typical_week(a, t.registration,
                                                        {(1, w.units_peri[3])}), (STAFF, FAMILY)),
    "payments.card.start_card_payment": (
        lambda a, w, t: card.start_card_payment(a, {t.registration: None}), (FAMILY,)),
    "payments.desk.record_desk_payment": (
        lambda a, w, t: desk.record_desk_payment(a, t.family, "cash", 100), (STAFF,)),
    "demo_history.pay_at_desk": (lambda a, w, t: demo_history.pay_at_desk(a, t.family),
                                 (STAFF,)),
    "billing.credits.use_credit": (
        lambda a, w, t: credits.use_credit(a, [t.registration], t.family), (STAFF, FAMILY)),
    "demo_history.book_and_mark": (
        lambda a, w, t: demo_history.book_and_mark(a, [t.registration], w.today), (MANAGER,)),
    "demo_history.backdate_due_dates": (
        lambda a, w, t: demo_history.backdate_due_dates(a, [t.family], w.today), (MANAGER,)),
    "families.rights.anonymise.anonymise_family": (
        lambda a, w, t: anonymise.anonymise_family(a, t.family, "DURAND"), (MANAGER,)),
    "staff.corrections.reverse_desk_payment": (
        lambda a, w, t: corrections.reverse_desk_payment(a, t.family, t.payment, "erreur"),
        (STAFF,)),
    "staff.corrections.cancel_for_family": (
        lambda a, w, t: corrections.cancel_for_family(a, t.family, t.registration,
                                                      t.reservations[1:], "appel de la famille"),
        (STAFF,)),
    "documents.files.list_documents": (
        lambda a, w, t: doc_files.list_documents(a, t.family), (STAFF, FAMILY)),
    "documents.files.get_file": (lambda a, w, t: doc_files.get_file(a, t.upload),
                                 (STAFF, FAMILY, MANAGER)),
    "documents.files.get_checklist": (
        lambda a, w, t: doc_files.get_checklist(a, w.today, t.family), (STAFF, FAMILY)),
    "documents.absences.absence_days": (
        lambda a, w, t: absences.absence_days(a, t.registration, w.today), (STAFF, FAMILY)),
    "documents.files.upload": (
        lambda a, w, t: doc_files.upload(a, doc_types.list_types(a)[0].id, _png(), "b.png",
                                         t.family), (STAFF, FAMILY)),
    "documents.absence_review.decide_absence": (
        # No absence declared on it: a business refusal for those allowed, not a scope one.
        lambda a, w, t: absence_review.decide_absence(a, t.reservations[0], True), (STAFF,)),
    "documents.review.refuse_document": (
        lambda a, w, t: doc_review.refuse_document(a, t.upload, "illisible"), (STAFF,)),
    "documents.review.accept_document": (
        lambda a, w, t: doc_review.accept_document(a, t.upload), (STAFF,)),
    "documents.absences.declare_absence": (
        lambda a, w, t: absences.declare_absence(a, t.reservations[1], "illness"), (FAMILY,)),
    "booking.cancel.cancel": (
        lambda a, w, t: cancel.cancel(a, t.registration, t.reservations[1:]), (STAFF, FAMILY)),
    # A second household for B's child (family A's file, of Saint Gabriel), then taken off.
    "families.households.list_households": (
        lambda a, w, t: households.list_households(a, t.child), (STAFF,)),
    "families.households.link_child": (
        lambda a, w, t: households.link_child(a, t.child, w.family_a_id), (STAFF,)),
    "families.households.unlink_child": (
        lambda a, w, t: households.unlink_child(a, t.child, w.family_a_id), (STAFF,)),
}
