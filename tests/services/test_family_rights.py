"""Data rights: a family's data download, closing its account, and anonymisation once the
accounting records' retention has passed."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import (AuditEntry, Charge, Child, Family, Guardian, Invoice, InvoiceLine, Mail,
                       Message, MessageThread, Payment, PickupPerson, Reservation,
                       UserAccount)
from services.auth import links, login
from services.billing import invoices
from services.documents import files as doc_files
from services.documents import types as doc_types
from services.billing.documents import invoice_pdf
from services.booking.reserve import reserve
from services.errors import Forbidden, InvalidCredentials, InvalidInput, SessionExpired
from services.families import accounts, changes
from services.families.rights import anonymise, closure
from services.families.rights.export import export_family_data
from services.mail import outbox
from services.messages.writing import start_thread
from services.payments import desk
from tests.invariants import check_all, no_charge_without_its_reservation, no_payment_lost
from tests.money import invoicing_on, registered
from tests.world import PASSWORD, add_child


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _states(reg: int) -> list[str]:
    with read() as session:
        return list(session.scalars(select(Reservation.state).where(
            Reservation.registration_id == reg).order_by(Reservation.id)))


def test_a_family_downloads_all_its_data_and_nothing_of_another(world, monkeypatch):
    reg_b = registered(world, world.family_b, world.zoe, world.period_peri)
    reserve(world.family_b, reg_b, [(world.first_day, world.units_peri[0])])
    reg_a = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg_a, [(world.first_day, world.units_peri[0])])
    ref = desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 100,
                                   note="Chèque 1234")
    changes.request_change(world.family_a, "qf", "850")
    start_thread(world.family_a, "Sortie piscine", "Faut-il un bonnet ?")
    start_thread(world.family_b, "Question de Zoé", "Texte de B")
    doc_types.ensure_defaults(world.manager)
    kind = doc_types.list_types(world.manager)[0].id
    png = b"\x89PNG\r\n\x1a\n" + bytes(40)
    sent = doc_files.upload(world.family_a, kind, io.BytesIO(png), "vaccins.png")
    doc_files.upload(world.family_b, kind, io.BytesIO(png), "zoe.png")
    invoicing_on(monkeypatch, world.first_day)
    invoice_pdf(world.family_a, world.first_day)
    (issued,) = invoices.list_invoices(world.family_a)
    monkeypatch.setenv("SMTP_HOST", "smtp.test.example")  # the link is kept for delivery...
    links.send_invitation(world.staff, accounts.account_ids(world.family_a_id)[0])
    archive = _zip(export_family_data(world.family_a))
    names = set(archive.namelist())
    # Its own uploaded file and its issued invoice, as stored; nothing of B's upload.
    assert archive.read(f"documents/envoyes/{sent}-vaccins.png") == png
    assert archive.read(f"documents/facture-{issued.number}.pdf") == \
        invoices.issued_pdf(world.family_a, issued.invoice_id)
    assert not [n for n in names if "zoe" in n]
    assert {"famille.csv", "responsables.csv", "enfants.csv", "inscriptions.csv",
            "reservations.csv", "prestations.csv", "paiements.csv", "avoirs.csv", "mails.csv",
            "demandes_de_modification.csv", "journal.csv", "donnees.json",
            f"documents/attestation-inscription-{reg_a}.pdf",
            f"documents/recu-{ref}.pdf"} <= names
    assert [r["Nom"] for r in _rows(archive, "personnes_autorisees.csv")] == ["Mamie DUPONT"]
    assert "fiches_sanitaires.csv" in names and "autorisations.csv" in names
    assert [(r["Conversation"], r["Message"]) for r in _rows(archive, "messages.csv")] == [
        ("Sortie piscine", "Faut-il un bonnet ?")]
    children = _rows(archive, "enfants.csv")
    assert {"Léa", "Tom"} == {r["Prénom"] for r in children}
    assert [r["Montant (€)"] for r in _rows(archive, "paiements.csv")] == ["1,00"]
    assert _rows(archive, "reservations.csv")[0]["Jour"] == f"{world.first_day:%d/%m/%Y}"
    mails = _rows(archive, "mails.csv")  # ...and never handed over
    assert any(outbox.LINK_MASK in m["Message"] for m in mails)
    assert not any("jeton=" in m["Message"] for m in mails)
    with read() as session:
        assert "jeton=" in session.scalars(select(Mail.link).where(Mail.link.is_not(None))).one()
    everything = json.loads(archive.read("donnees.json"))
    assert everything["famille"][0]["Nom"] == "DUPONT"
    assert everything["demandes_de_modification"][0]["Nouvelle valeur"] == "850"
    whole = b"".join(archive.read(n) for n in names if not n.endswith(".pdf")).decode(
        "utf-8", "replace")
    assert "Zoé" not in whole and "DURAND" not in whole and "durand@" not in whole
    assert archive.read(f"documents/recu-{ref}.pdf").startswith(b"%PDF")
    with read() as session:
        assert session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "export_family_data")) == 1


def test_staff_export_a_family_of_their_sites_only(world):
    registered(world, world.family_b, world.zoe, world.period_peri)  # B: Les Chats Perchés
    with pytest.raises(Forbidden):
        export_family_data(world.staff_gabriel, world.family_b_id)
    with pytest.raises(Forbidden):
        export_family_data(world.family_a, world.family_b_id)
    archive = _zip(export_family_data(world.staff, world.family_b_id))
    assert [r["Prénom"] for r in _rows(archive, "enfants.csv")] == ["Zoé"]


def test_closing_cancels_future_days_promotes_the_queue_and_ends_sign_in(world):
    cell = (world.first_day, world.units_peri[0])  # two places
    reg_lea = registered(world, world.family_a, world.lea, world.period_peri)
    reg_zoe = registered(world, world.family_b, world.zoe, world.period_peri)
    paul = add_child(world, world.family_b_id, "Paul", 10)
    reg_paul = registered(world, world.family_b, paul, world.period_peri)
    reserve(world.family_a, reg_lea, [cell, (world.first_day + timedelta(days=1),
                                             world.units_peri[0])])
    reserve(world.family_b, reg_zoe, [cell])
    assert reserve(world.family_b, reg_paul, [cell]).cells[0].outcome == "waitlisted"
    token = login.sign_in("dupont@test.example", PASSWORD).token
    done = closure.request_closure(world.family_a, today=world.today)
    assert (done.cancelled, done.kept) == (2, 0)
    assert _states(reg_lea) == ["cancelled", "cancelled"]
    assert _states(reg_paul) == ["validated"]  # the freed place went to the queue
    with pytest.raises(SessionExpired):
        login.resolve_session(token)
    with pytest.raises(InvalidCredentials):
        login.sign_in("dupont@test.example", PASSWORD)
    with pytest.raises(InvalidInput, match="déjà demandée"):
        closure.request_closure(world.family_a, today=world.today)
    with read() as session:
        assert session.get(Family, world.family_a_id).closure_requested_at is not None
        assert "Clôture de votre compte" in session.scalars(select(Mail.subject).where(
            Mail.family_id == world.family_a_id)).all()
    assert closure.closure_requested_at(world.staff, world.family_a_id) is not None
    listed = closure.list_closure_requests(world.staff)
    assert list(listed["Famille"]) == ["DUPONT"]
    assert closure.list_closure_requests(world.staff_gabriel).empty  # A: Chats Perchés only
    check_all()


def _money() -> tuple[object, ...]:
    with read() as session:
        return (session.execute(select(func.sum(Charge.amount_cents), func.sum(Charge.paid_cents),
                                       func.count(Charge.id))).one(),
                session.execute(select(func.sum(Payment.amount_cents),
                                       func.count(Payment.id))).one(),
                sorted(session.scalars(select(Invoice.number))))


def test_anonymisation_waits_for_the_retention_then_keeps_only_the_accounts(world, monkeypatch):
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    reserve(world.family_a, reg, [(world.first_day, world.units_peri[0])])
    desk.record_desk_payment(world.staff, world.family_a_id, "cheque", 100, note="Chèque 99")
    invoicing_on(monkeypatch, world.first_day)  # the month has begun: its invoice is issued
    invoice_pdf(world.family_a, world.first_day)
    changes.request_change(world.family_a, "health_notes", "Allergie aux Lilas", world.lea)
    start_thread(world.family_a, "Allergie de Léa", "Léa ne supporte pas les Lilas")
    with pytest.raises(InvalidInput, match="clôture"):
        anonymise.anonymise_family(world.manager, world.family_a_id, "DUPONT")
    closure.request_closure(world.family_a, today=world.first_day)  # days already past
    with pytest.raises(Forbidden):
        anonymise.anonymise_family(world.staff, world.family_a_id, "DUPONT")
    kept = anonymise.get_retention(world.manager, world.family_a_id)
    assert kept.last_record is not None
    assert kept.anonymisable_from == kept.last_record.replace(year=kept.last_record.year + 10)
    with pytest.raises(InvalidInput, match="conservées 10 ans"):
        anonymise.anonymise_family(world.manager, world.family_a_id, "DUPONT",
                                   today=kept.anonymisable_from - timedelta(days=1))
    later = kept.anonymisable_from
    with pytest.raises(InvalidInput, match="ne correspond pas"):
        anonymise.anonymise_family(world.manager, world.family_a_id, "DURAND", today=later)
    before = _money()
    name = anonymise.anonymise_family(world.manager, world.family_a_id, "dupont", today=later)
    assert name == f"Famille anonymisée n°{world.family_a_id}"
    assert _money() == before
    with read() as session:
        family = session.get(Family, world.family_a_id)
        assert (family.email, family.address, family.phone) == ("", "", "")
        children = list(session.scalars(select(Child).where(Child.family_id == family.id)))
        assert {c.first_name for c in children} == {"Enfant 1", "Enfant 2"}
        assert all(c.birth_date.month == c.birth_date.day == 1 and not c.health_notes
                   for c in children)
        assert {g.last_name for g in session.scalars(select(Guardian).where(
            Guardian.family_id == family.id))} == {"ANONYME"}
        assert session.scalar(select(func.count(Mail.id)).where(
            Mail.family_id == family.id)) == 0
        users = session.scalars(select(UserAccount.email).where(
            UserAccount.family_id == family.id)).all()
        assert users and all(u.endswith("@invalid") for u in users)
        assert session.scalars(select(MessageThread.family_id)).all() == []
        assert session.scalars(select(Message.body)).all() == []
        # Health data and pick-up persons go; B's contact stays.
        assert session.scalars(select(PickupPerson.name)).all() == ["Papi DURAND"]
        issued = session.scalars(select(Invoice).where(Invoice.family_id == family.id)).all()
        # The invoice keeps its number and total; its stored PDF (names in it) is gone.
        assert issued and all(i.number and i.total_cents and i.pdf is None for i in issued)
        texts = " ".join([*session.scalars(select(Charge.label)),
                          *session.scalars(select(InvoiceLine.child)),
                          *session.scalars(select(InvoiceLine.label)),
                          *session.scalars(select(Payment.bank_details)),
                          *session.scalars(select(AuditEntry.details)),
                          *session.scalars(select(AuditEntry.actor))])
        assert not {"Léa", "DUPONT", "dupont@", "Lilas", "Chèque 99", "Claire"} & {
            w for w in ("Léa", "DUPONT", "dupont@", "Lilas", "Chèque 99", "Claire")
            if w in texts}
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "anonymise_family")).one()
        assert "DUPONT" not in entry.details and entry.family_id == family.id
    with pytest.raises(InvalidInput, match="déjà anonymisée"):
        anonymise.anonymise_family(world.manager, world.family_a_id, name, today=later)
    # Mails are gone (free text): every other invariant of the books holds.
    no_payment_lost()
    no_charge_without_its_reservation()
