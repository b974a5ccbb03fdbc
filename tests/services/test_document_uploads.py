"""Documents uploaded by families: checked by content and size, stored atomically with their
row, downloaded only in scope, reviewed by reception; the dashboard's checklist."""
from __future__ import annotations

import io
import zlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.engine import read, transaction
from db.base import utcnow
from db.models import Document, FileToDiscard, Mail
from services.documents import files, review, storage, types
from services.errors import Forbidden, InvalidInput, InvalidValue, NotFound

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
VACCINES = "Pages de vaccination du carnet de santé"


@pytest.fixture
def kinds(world):
    types.ensure_defaults(world.manager)
    return {t.name: t.id for t in types.list_types(world.family_a)}


def stored_files() -> list[str]:
    return sorted(p.name for p in storage.folder().iterdir())


def document_count() -> int:
    with read() as session:
        return int(session.scalar(select(func.count(Document.id))))


def test_a_family_uploads_a_png_and_reads_it_back(world, kinds):
    doc = files.upload(world.family_a, kinds[VACCINES], io.BytesIO(PNG), "carnet page 1.PNG")
    [row] = files.list_documents(world.family_a)
    assert (row.id, row.status, row.file_name, row.kind) == (doc, "pending", "carnet page 1.png",
                                                             VACCINES)
    assert files.get_file(world.family_a, doc).data == PNG
    assert files.get_file(world.staff, doc).content_type == "image/png"
    with read() as session:
        assert stored_files() == [session.get(Document, doc).stored_name]
    assert (next(storage.folder().iterdir()).stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("content, why", [
    (b"<?php system($_GET['c']); ?>\n%PDF-1.4", "n'est pas accepté"),  # PHP renamed .pdf
    (b"MZ\x90\x00" + bytes(100), "n'est pas accepté"),                   # an .exe
    (PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript "
                 b"/JS (app.alert(1)) >>"), "JavaScript"),
    (PDF.replace(b"/Type /Catalog", b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "JavaScript"),
    (PDF.replace(b"/Type /Catalog", b"/AA << /O << /S /J#61vaScript >> >>"), "JavaScript"),
    (PDF + b"2 0 obj << /Filter /FlateDecode >>\nstream\n"
     + zlib.compress(b"<< /S /JavaScript /JS (x) >>") + b"\nendstream\nendobj\n", "JavaScript"),
])
def test_malicious_files_are_refused_and_leave_nothing(world, kinds, content, why):
    with pytest.raises(storage.FileRefused, match=why):
        files.upload(world.family_a, kinds[VACCINES], io.BytesIO(content), "vaccins.pdf")
    assert stored_files() == [] and document_count() == 0


def test_a_50_mb_file_is_refused_without_being_read_through(world, kinds, tmp_path):
    big = tmp_path / "big.pdf"
    with open(big, "wb") as out:  # sparse: 50 MB on paper, nothing on disk
        out.write(PDF)
        out.truncate(50 * 1024 * 1024)
    with open(big, "rb") as stream:
        with pytest.raises(storage.FileRefused, match="dépasse 5 Mo"):
            files.upload(world.family_a, kinds[VACCINES], stream, "big.pdf")
        assert stream.tell() <= storage.max_bytes() + storage.CHUNK
    assert stored_files() == [] and document_count() == 0


def test_a_pdf_inflating_beyond_the_budget_is_refused(world, kinds):
    bomb = zlib.compress(bytes(storage.INFLATE_BUDGET + 1), 9)  # 64 MB of zeros in ~65 kB
    content = PDF + b"2 0 obj << /Filter /FlateDecode >>\nstream\n" + bomb + b"\nendstream\n"
    with pytest.raises(storage.FileRefused, match="trop lourd une fois décompressé"):
        files.upload(world.family_a, kinds[VACCINES], io.BytesIO(content), "bombe.pdf")
    assert stored_files() == []


def test_the_size_limit_is_a_setting(world, kinds, monkeypatch):
    monkeypatch.setenv("DOCUMENT_MAX_MB", "1")
    with pytest.raises(storage.FileRefused, match="dépasse 1 Mo"):
        files.upload(world.family_a, kinds[VACCINES], io.BytesIO(PNG + bytes(1024 * 1024)), "a")


def test_downloads_are_refused_out_of_scope(world, kinds):
    doc = files.upload(world.family_b, kinds[VACCINES], io.BytesIO(PNG), "zoe.png")
    from tests.security.scope_calls import build_target
    build_target(world)  # family B comes to Les Chats Perchés only
    for outsider in (world.family_a, world.staff_gabriel):
        with pytest.raises(Forbidden):
            files.get_file(outsider, doc)
        with pytest.raises(Forbidden):
            files.list_documents(outsider, world.family_b_id)
    assert files.get_file(world.manager, doc).data == PNG
    assert doc in [d.id for d in files.list_to_review(world.staff)]
    assert files.list_to_review(world.staff_gabriel) == []


def test_a_failed_transaction_leaves_no_file(world, kinds):
    with pytest.raises(NotFound):  # the type is checked inside the transaction
        files.upload(world.family_a, 10**6, io.BytesIO(PNG), "x.png")
    with pytest.raises(InvalidValue):  # the INSERT itself fails (no such family)
        with storage.incoming(io.BytesIO(PNG)) as stored, transaction() as session:
            assert stored.path.exists()
            session.add(Document(family_id=10**6, kind="x", stored_name=stored.name))
            session.flush()
    assert stored_files() == [] and document_count() == 0


def test_a_committed_row_always_has_its_complete_file(world, kinds):
    with storage.incoming(io.BytesIO(PDF)) as stored, transaction() as session:
        session.add(Document(family_id=world.family_a_id, kind="x", stored_name=stored.name,
                             content_type=stored.content_type, file_name="x.pdf",
                             size_bytes=stored.size))
    with read() as session:
        row = session.scalar(select(Document))
    assert (storage.folder() / row.stored_name).read_bytes() == PDF and row.size_bytes == len(PDF)


def test_a_file_whose_upload_stopped_before_its_row_goes_with_the_worker(world, kinds):
    """The process stops between writing a file and committing its row (nothing removes it
    then): once GRACE has passed, the worker removes it; a file a row names stays."""
    kept = files.upload(world.family_a, kinds[VACCINES], io.BytesIO(PNG), "carnet.png")
    lost = storage._write(io.BytesIO(PDF))  # written; the row never came
    assert len(stored_files()) == 2
    assert storage.discard_pending() == 0  # within GRACE: an upload may still be committing
    assert len(stored_files()) == 2
    later = utcnow() + storage.GRACE + timedelta(seconds=1)
    assert storage.discard_pending(now=later) == 1
    with read() as session:
        assert stored_files() == [session.get(Document, kept).stored_name]
        assert session.scalar(select(func.count()).select_from(FileToDiscard)) == 0
    assert not lost.path.exists()
    assert files.get_file(world.family_a, kept).data == PNG
    assert storage.discard_pending(now=later) == 0


def test_every_table_naming_stored_files_is_known_to_the_worker():
    """A table holding stored names that the worker did not know of would lose its files."""
    from db.base import Base

    naming = {m.class_ for m in Base.registry.mappers
              if "stored_name" in m.columns} - {FileToDiscard}
    assert naming == {model for model, _ in storage.NAMED_BY}


def test_accepting_sets_validity_and_the_checklist_follows(world, kinds):
    before = {r.kind: r.state for r in files.get_checklist(world.family_a, world.today)}
    assert before[VACCINES] == "missing" and "Certificat médical" not in before
    doc = files.upload(world.family_a, kinds[VACCINES], io.BytesIO(PNG), "p.png")
    assert {r.kind: r.state for r in files.get_checklist(world.family_a, world.today)}[
        VACCINES] == "pending"
    until = review.accept_document(world.staff, doc)
    assert until == review.add_months(world.today, 12)

    def state(on):
        return {r.kind: r.state for r in files.get_checklist(world.family_a, on)}[VACCINES]
    assert [state(world.today), state(until - timedelta(days=10)),
            state(until + timedelta(days=1))] == ["valid", "expiring", "expired"]


def test_refusing_mails_the_reason(world, kinds):
    doc = files.upload(world.family_a, kinds[VACCINES], io.BytesIO(PNG), "p.png")
    with pytest.raises(InvalidInput):
        review.refuse_document(world.staff, doc, " ")
    review.refuse_document(world.staff, doc, "Page illisible, reprenez la photo")
    with read() as session:
        mail = session.scalar(select(Mail).where(Mail.family_id == world.family_a_id)
                              .order_by(Mail.id.desc()))
    assert "Page illisible, reprenez la photo" in mail.body and VACCINES in mail.subject
    assert {r.kind: r.state for r in files.get_checklist(world.family_a, world.today)}[
        VACCINES] == "refused"
    with pytest.raises(Exception, match="déjà été examinée"):
        review.accept_document(world.staff, doc)


def test_families_do_not_review(world, kinds):
    doc = files.upload(world.family_a, kinds[VACCINES], io.BytesIO(PNG), "p.png")
    with pytest.raises(Forbidden):
        review.accept_document(world.family_a, doc)


def test_managers_set_the_types(world):
    kind = types.save_type(world.manager, None, "Jugement de garde", 24, required=False)
    with pytest.raises(Forbidden):
        types.save_type(world.staff, kind, "Jugement", 24, required=False)
    with pytest.raises(InvalidInput):
        types.save_type(world.manager, None, "Jugement de garde", 12, required=True)
    types.save_type(world.manager, kind, "Jugement de garde", 36, required=True)
    assert [(t.name, t.validity_months, t.required) for t in types.list_types(world.staff)] == \
        [("Jugement de garde", 36, True)]


def test_a_new_centre_starts_with_the_usual_types(database):
    from services import first_run
    from tests.services.test_first_run import tilleuls

    first_run.set_up(tilleuls())
    names = [t.name for t in types.list_types(first_run.SYSTEM)]
    assert VACCINES in names and types.MEDICAL_CERTIFICATE in names
