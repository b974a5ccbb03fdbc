"""A message's optional file: checked by the documents' own code (content, size, no active
PDF), written so that no row names a missing file and no refused file stays on disk,
downloaded only by those who may read the thread, announced by mail but never attached,
handed over in the family's data download and removed by anonymisation."""
from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.base import utcnow
from db.engine import read
from db.models import AuditEntry, Document, FileToDiscard, Mail, Message, MessageAttachment
from services.documents import files as doc_files
from services.documents import storage
from services.documents import types as doc_types
from services.errors import Forbidden, NotFound
from services.families.rights import anonymise, closure
from services.families.rights.export import export_family_data
from services.messages import attachments, threads, writing
from services.messages.attachments import Upload
from tests.services.test_document_uploads import PDF, PNG, stored_files
from tests.services.test_messages import b_at_chats, mails_to


def attachment_count() -> int:
    with read() as session:
        return int(session.scalar(select(func.count(MessageAttachment.id))))


def message_count() -> int:
    with read() as session:
        return int(session.scalar(select(func.count(Message.id))))


def test_a_family_sends_a_pdf_and_the_desk_answers_with_a_png(world):
    b_at_chats(world)
    thread = writing.start_thread(world.family_b, "Certificat", "Le voici.",
                                  Upload(io.BytesIO(PDF), "certificat médical.pdf"))
    writing.reply(world.staff, thread, "Voici le programme.",
                  Upload(io.BytesIO(PNG), "programme.PNG"))
    detail = threads.get_thread(world.family_b, thread)
    sent, answer = detail.messages
    assert (sent.file_name, sent.size_bytes) == ("certificat m_dical.pdf", len(PDF))
    assert answer.file_name == "programme.png"
    for reader in (world.family_b, world.staff, world.manager):
        assert attachments.get_file(reader, sent.attachment_id).data == PDF
        got = attachments.get_file(reader, answer.attachment_id)
        assert (got.data, got.content_type) == (PNG, "image/png")
    with read() as session:
        names = sorted(session.scalars(select(MessageAttachment.stored_name)))
        details = list(session.scalars(select(AuditEntry.details).where(
            AuditEntry.action.in_(["message_thread_start", "message_reply"]))))
    assert stored_files() == names  # the documents' folder, under uuid names
    assert all('"content_type"' in d and "certificat" not in d for d in details)
    # The mails say a file waits; they never carry it, nor its name.
    [(_, to_desk)] = mails_to("accueil@test.example")
    to_family = [body for subject, body in mails_to("durand@test.example") if "message" in subject]
    for body in (to_desk, *to_family):
        assert "pièce jointe vous attend" in body and "certificat" not in body
    with read() as session:
        assert session.scalar(select(func.count(Mail.id)).where(
            Mail.body.contains("%PDF"))) == 0


def test_a_message_without_a_file_writes_none(world):
    b_at_chats(world)
    thread = writing.start_thread(world.family_b, "Question", "Bonjour")
    assert threads.get_thread(world.family_b, thread).messages[0].attachment_id is None
    assert stored_files() == [] and attachment_count() == 0
    assert "pièce jointe" not in mails_to("accueil@test.example")[0][1]


@pytest.mark.parametrize("content, why", [
    (b"Bonjour, ceci est un texte.\n", "n'est pas accepté : envoyez un PDF"),  # text named .pdf
    (PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript "
                 b"/JS (app.alert(1)) >>"), "JavaScript"),
])
def test_a_refused_file_leaves_no_message_no_row_no_file(world, content, why):
    b_at_chats(world)
    with pytest.raises(storage.FileRefused, match=why):
        writing.start_thread(world.family_b, "Pièce", "Voici.",
                             Upload(io.BytesIO(content), "certificat.pdf"))
    thread = writing.start_thread(world.family_b, "Question", "Bonjour")
    with pytest.raises(storage.FileRefused, match=why):
        writing.reply(world.staff, thread, "Voici.", Upload(io.BytesIO(content), "note.pdf"))
    assert stored_files() == [] and attachment_count() == 0 and message_count() == 1


def test_a_file_over_the_limit_is_refused(world, monkeypatch):
    b_at_chats(world)
    monkeypatch.setenv("DOCUMENT_MAX_MB", "1")
    big = PDF + bytes(1024 * 1024)
    with pytest.raises(storage.FileRefused, match="dépasse 1 Mo"):
        writing.start_thread(world.family_b, "Scan", "Voici.", Upload(io.BytesIO(big), "s.pdf"))
    assert stored_files() == [] and attachment_count() == 0 and message_count() == 0


def test_a_failed_transaction_removes_the_file_it_wrote(world):
    """The file is written first; the message's transaction fails (the thread is another
    family's): the file goes with the rollback, no row names a missing file."""
    b_at_chats(world)
    thread = writing.start_thread(world.family_b, "Question", "Bonjour")
    with pytest.raises(NotFound):
        writing.reply(world.family_a, thread, "Voici.", Upload(io.BytesIO(PNG), "a.png"))
    with pytest.raises(Forbidden):
        writing.reply(world.staff_gabriel, thread, "Voici.", Upload(io.BytesIO(PNG), "a.png"))
    assert stored_files() == [] and attachment_count() == 0 and message_count() == 1


def test_only_those_who_may_read_the_thread_download_its_file(world):
    b_at_chats(world)
    thread = writing.start_thread(world.family_b, "Pièce", "Voici.",
                                  Upload(io.BytesIO(PNG), "zoe.png"))
    [message] = threads.get_thread(world.family_b, thread).messages
    with pytest.raises(NotFound):
        attachments.get_file(world.family_a, message.attachment_id)  # another family
    with pytest.raises(Forbidden):
        attachments.get_file(world.staff_gabriel, message.attachment_id)  # another site
    with pytest.raises(NotFound):
        attachments.get_file(world.manager, message.attachment_id + 1000)
    assert attachments.get_file(world.manager, message.attachment_id).data == PNG


def test_the_data_download_holds_the_attachments_and_anonymisation_removes_them(world):
    b_at_chats(world)
    thread = writing.start_thread(world.family_b, "Pièce", "Voici.",
                                  Upload(io.BytesIO(PDF), "vaccins.pdf"))
    writing.reply(world.staff, thread, "Merci.", Upload(io.BytesIO(PNG), "recu.png"))
    writing.start_thread(world.family_a, "Autre", "Rien de B", Upload(io.BytesIO(PNG), "a.png"))
    doc_types.ensure_defaults(world.manager)
    kind = doc_types.list_types(world.manager)[0].id
    doc_files.upload(world.family_b, kind, io.BytesIO(PNG), "carnet.png")
    archive = zipfile.ZipFile(io.BytesIO(export_family_data(world.family_b)))
    sent, answer = threads.get_thread(world.family_b, thread).messages
    assert archive.read(f"documents/messages/{sent.attachment_id}-vaccins.pdf") == PDF
    assert archive.read(f"documents/messages/{answer.attachment_id}-recu.png") == PNG
    assert not [n for n in archive.namelist() if n.endswith("-a.png")]
    table = archive.read("messages.csv").decode("utf-8-sig")
    assert f"documents/messages/{sent.attachment_id}-vaccins.pdf" in table
    a_files = [n for n in stored_files()]
    assert len(a_files) == 4  # B's two attachments and document, A's attachment
    closure.request_closure(world.family_b)
    assert len(stored_files()) == 4  # closing keeps the file (as documents)
    retention = anonymise.get_retention(world.manager, world.family_b_id)
    anonymise.anonymise_family(world.manager, world.family_b_id, "DURAND",
                               today=retention.anonymisable_from)
    with read() as session:
        left = list(session.scalars(select(MessageAttachment.stored_name)))
        assert session.scalar(select(func.count(Document.id)).where(
            Document.family_id == world.family_b_id, Document.stored_name.is_not(None))) == 0
    assert stored_files() == left and len(left) == 1  # A's attachment only
    with read() as session:  # removed at once: the names left are A's, still uploading
        names = list(session.scalars(select(FileToDiscard.stored_name)))
    assert names == left


def test_files_an_interrupted_anonymisation_left_on_disk_go_with_the_workers_pass(
        world, monkeypatch):
    """The anonymisation commits, then its process stops before removing the files: they
    stay named in file_discard, and the background worker's pass removes them, once."""
    b_at_chats(world)
    writing.start_thread(world.family_b, "Pièce", "Voici.", Upload(io.BytesIO(PDF), "vaccins.pdf"))
    writing.start_thread(world.family_a, "Autre", "Rien de B", Upload(io.BytesIO(PNG), "a.png"))
    closure.request_closure(world.family_b)
    retention = anonymise.get_retention(world.manager, world.family_b_id)
    with monkeypatch.context() as stopped:  # the process stops right after the commit
        stopped.setattr(storage, "discard", lambda names: None)
        anonymise.anonymise_family(world.manager, world.family_b_id, "DURAND",
                                   today=retention.anonymisable_from)
    with read() as session:
        kept = list(session.scalars(select(MessageAttachment.stored_name)))
    assert len(kept) == 1 and len(stored_files()) == 2  # A's file, and B's still there
    later = utcnow() + storage.GRACE + timedelta(seconds=1)
    assert storage.discard_pending(now=later) == 1
    assert stored_files() == kept
    assert storage.discard_pending(now=later) == 0  # nothing left: nothing done, nothing audited
    with read() as session:
        assert session.scalar(select(func.count()).select_from(FileToDiscard)) == 0
        entries = list(session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "discard_files")))
    assert entries == ['{"files": 1}']
