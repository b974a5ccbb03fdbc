"""Uploaded files on disk: checked by their content, written under a fresh uuid name before
their row, and removed if that row is not committed.

A file is never lost once its row is committed (it is complete and fsynced before the
INSERT), and never left behind by a failed transaction (the `incoming` block removes it).
Its name is written to file_discard before the file itself: if the process stops before the
row is committed, the background worker removes the file later (`discard_pending`), as it
removes any named file no row names once GRACE has passed. A file whose row goes is named
there by the same transaction (`to_discard`) and removed from disk after its commit
(`discard`), or by the worker if the process stops in between.
"""
from __future__ import annotations

import os
import re
import uuid
import zlib
from datetime import datetime, timedelta
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db import settings
from db.base import utcnow
from db.engine import read, transaction
from db.models import Document, FileToDiscard, MessageAttachment
from services import audit
from services.actor import SYSTEM
from services.errors import InvalidInput, NotFound

CHUNK = 64 * 1024
# The first bytes of each accepted format: the extension and the browser's type are the
# sender's words, the content is not.
MAGIC = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg",
         b"\x89PNG\r\n\x1a\n": "image/png"}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# PDF names that run something when the file is opened: such a file is refused, not stored.
_ACTIVE = {b"JavaScript", b"JS", b"Launch"}
_NAME = re.compile(rb"/([A-Za-z0-9#_.+\-]+)")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# What all the compressed streams of one PDF may inflate to: enough for a scanned page, not
# for a "zip bomb" (a few kilobytes inflating to gigabytes) to hold the server.
INFLATE_BUDGET = 64 * 1024 * 1024


# The rows that name stored files: the worker keeps a file one of them names. A new table
# holding stored names goes here (tests/services/test_document_uploads.py checks it).
NAMED_BY = ((Document, Document.stored_name), (MessageAttachment, MessageAttachment.stored_name))
# An upload commits its row within seconds of writing its file: the worker leaves the
# names written since then alone.
GRACE = timedelta(minutes=10)


class FileRefused(InvalidInput):
    default_message = "Ce fichier n'est pas accepté : envoyez un PDF, une photo JPEG ou PNG."


@dataclass(frozen=True)
class Stored:
    name: str
    content_type: str
    size: int
    path: Path


def folder() -> Path:
    """The DOCUMENTS_DIR folder (relative to the project unless absolute), created if need be."""
    path = Path(settings.DOCUMENTS_DIR.get())
    path = path if path.is_absolute() else settings.ROOT / path
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    return settings.as_int(settings.DOCUMENT_MAX_MB) * 1024 * 1024


@contextmanager
def incoming(stream: BinaryIO) -> Iterator[Stored]:
    """Store an upload, checked, under a new uuid name; the caller commits its row inside the
    block. If the block fails (the INSERT, the commit, anything), the file is removed."""
    stored = _write(stream)
    try:
        yield stored
    except BaseException:
        stored.path.unlink(missing_ok=True)
        raise


def read_bytes(name: str) -> bytes:
    """The content of a stored file (the caller has checked who asks)."""
    if not re.fullmatch(r"[0-9a-f]{32}", name or ""):
        raise NotFound("Ce fichier est introuvable.")
    path = folder() / name
    if not path.is_file():
        raise NotFound("Ce fichier est introuvable : prévenez l'accueil.")
    return path.read_bytes()


def to_discard(session: Session, names: list[str]) -> None:
    """Name stored files whose rows this transaction removes: they go from disk after its
    commit (`discard`), or with the worker's next pass if the process stops in between; a
    rollback keeps them, rows and files."""
    for name in sorted(set(names)):
        session.merge(FileToDiscard(stored_name=name, requested_at=utcnow()))


def discard(names: list[str]) -> None:
    """Remove from disk stored files named by a committed `to_discard`, then their names."""
    for name in names:
        _remove(name)
    if names:
        with transaction() as session:
            session.execute(delete(FileToDiscard).where(FileToDiscard.stored_name.in_(names)))


def discard_pending(limit: int = 500, now: datetime | None = None) -> int:
    """The worker's pass over the names written more than GRACE ago: a file no row names
    (an upload stopped before its row, an anonymisation stopped before removing it) is
    removed, a named one kept; every such name is cleared. How many files were removed;
    a pass that removes some leaves an audit entry."""
    before = (now or utcnow()) - GRACE
    with read() as session:
        names = list(session.scalars(select(FileToDiscard.stored_name)
                                     .where(FileToDiscard.requested_at <= before)
                                     .order_by(FileToDiscard.requested_at).limit(limit)))
        if not names:  # the usual pass, every 15 s: one query
            return 0
        named = {n for _, column in NAMED_BY
                 for n in session.scalars(select(column).where(column.in_(names)))}
    removed = sum(_remove(name) for name in names if name not in named)
    with transaction() as session:
        session.execute(delete(FileToDiscard).where(FileToDiscard.stored_name.in_(names)))
        if removed:
            audit.record(session, SYSTEM, "discard_files", "file", None, files=removed)
    return removed


def _remove(name: str) -> bool:
    """Remove a stored file by its uuid name (anything else is no name of ours); whether
    there was one."""
    path = folder() / name
    if not re.fullmatch(r"[0-9a-f]{32}", name or "") or not path.is_file():
        return False
    path.unlink(missing_ok=True)
    return True


def _announce(name: str) -> None:
    """Name a file about to be written: if no row names it once GRACE has passed, the
    worker removes it."""
    with transaction() as session:
        session.add(FileToDiscard(stored_name=name, requested_at=utcnow()))


def _write(stream: BinaryIO) -> Stored:
    limit = max_bytes()
    path = folder() / uuid.uuid4().hex
    _announce(path.name)
    try:
        # Readable by the portal's user only: these are children's health pages.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            first = stream.read(CHUNK)
            kind = next((t for magic, t in MAGIC.items() if first.startswith(magic)), None)
            if kind is None:
                raise FileRefused()
            size, chunk = 0, first
            while chunk:
                size += len(chunk)
                if size > limit:  # stop reading at once: never more than limit + one chunk
                    raise FileRefused(f"Ce fichier dépasse {limit // (1024 * 1024)} Mo : "
                                      "envoyez une version plus légère (une photo suffit).")
                out.write(chunk)
                chunk = stream.read(CHUNK)
            out.flush()
            os.fsync(out.fileno())
        if kind == "application/pdf":
            refuse_active_content(path.read_bytes())
        _sync_folder(path.parent)
        return Stored(path.name, kind, size, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def refuse_active_content(data: bytes) -> None:
    """Refuse a PDF carrying actions that run when it is opened (JavaScript, launching a
    program), looked for in its text and in its compressed streams."""
    for part in [data, *_inflated(data)]:
        for match in _NAME.finditer(part):
            if _decoded(match.group(1)) in _ACTIVE:
                raise FileRefused("Ce PDF contient des actions automatiques (JavaScript ou "
                                  "lancement de programme) : il est refusé. Envoyez une photo "
                                  "ou un PDF simple.")


def _decoded(name: bytes) -> bytes:
    """A PDF name with its #xx escapes decoded (/J#53 is /JS)."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)


def _inflated(data: bytes) -> Iterator[bytes]:
    budget = INFLATE_BUDGET
    for match in _STREAM.finditer(data):
        try:
            out = zlib.decompressobj().decompress(match.group(1), budget + 1)
        except zlib.error:
            continue  # not a Flate stream (a JPEG image): nothing to read in it
        budget -= len(out)
        if budget < 0:
            raise FileRefused("Ce PDF est trop lourd une fois décompressé : envoyez une photo "
                              "ou un PDF simple.")
        yield out


def _sync_folder(path: Path) -> None:
    """fsync the folder, so the new file's name survives a power cut too."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
