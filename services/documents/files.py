"""A family's documents: uploaded for a type, listed, downloaded only by the family itself or
staff of its sites, and the checklist of what is missing or expires soon."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import BinaryIO

from sqlalchemy import select

from db.engine import read, transaction
from db.models import Document, DocumentType, Family
from services import audit
from services.actor import Actor
from services.booking.capacity import db_now
from services.documents import storage
from services.errors import NotFound
from services.staff.scope import families_filter, family_of, require_document

EXPIRES_SOON_DAYS = 30
PENDING, ACCEPTED, REFUSED = "pending", "accepted", "refused"


@dataclass(frozen=True)
class DocumentRow:
    id: int
    family_id: int
    family: str
    kind: str
    file_name: str
    status: str
    uploaded_at: datetime | None
    valid_until: date | None
    refusal_reason: str
    has_file: bool


@dataclass(frozen=True)
class DocumentFile:
    file_name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Requirement:
    type_id: int
    kind: str
    state: str  # missing, refused, pending, expiring, expired, valid
    valid_until: date | None


def safe_name(file_name: str, content_type: str) -> str:
    """A file name fit for a download header: plain characters, the extension of its content."""
    stem = re.sub(r"[^A-Za-z0-9_.\- ]", "_", (file_name or "document").rsplit(".", 1)[0])[:80]
    return f"{stem.strip() or 'document'}.{storage.EXTENSIONS[content_type]}"


def upload(actor: Actor, type_id: int, stream: BinaryIO, file_name: str,
           family_id: int | None = None) -> int:
    """Store a family's file for a document type, waiting for reception's review."""
    with storage.incoming(stream) as stored, transaction() as session:
        family = family_of(session, actor, family_id)
        kind = session.get(DocumentType, type_id)
        if kind is None or not kind.active:
            raise NotFound("Ce type de pièce n'existe pas.")
        doc = Document(family_id=family, kind=kind.name, type_id=kind.id, status=PENDING,
                       stored_name=stored.name, content_type=stored.content_type,
                       file_name=safe_name(file_name, stored.content_type),
                       size_bytes=stored.size, uploaded_at=db_now(session))
        session.add(doc)
        session.flush()
        audit.record(session, actor, "upload_document", "document", doc.id, family_id=family,
                     kind=kind.name, size=stored.size, content_type=stored.content_type)
        return doc.id


def _rows(query) -> list[DocumentRow]:  # type: ignore[no-untyped-def]
    with read() as session:
        return [DocumentRow(d.id, d.family_id, name, d.kind, d.file_name, d.status,
                            d.uploaded_at, d.valid_until, d.refusal_reason,
                            d.stored_name is not None)
                for d, name in session.execute(query)]


def list_documents(actor: Actor, family_id: int | None = None) -> list[DocumentRow]:
    """A family's documents, newest first."""
    with read() as session:
        family = family_of(session, actor, family_id)
    return _rows(select(Document, Family.name).join(Family, Family.id == Document.family_id)
                 .where(Document.family_id == family).order_by(Document.id.desc()))


def list_to_review(actor: Actor) -> list[DocumentRow]:
    """Uploaded documents waiting for reception, oldest first, of the families staff see."""
    actor.require_staff()
    return _rows(select(Document, Family.name).join(Family, Family.id == Document.family_id)
                 .where(Document.status == PENDING,
                        families_filter(actor, Document.family_id)).order_by(Document.id))


def get_file(actor: Actor, document_id: int) -> DocumentFile:
    """The file's bytes, for the family itself or staff of its sites only."""
    with read() as session:
        doc = require_document(session, actor, document_id)
        if doc.stored_name is None:
            raise NotFound("Cette pièce a été notée à l'accueil : aucun fichier à télécharger.")
        name, content_type, stored = doc.file_name, doc.content_type, doc.stored_name
    return DocumentFile(name, content_type, storage.read_bytes(stored))


def get_checklist(actor: Actor, today: date, family_id: int | None = None) -> list[Requirement]:
    """Each required type: missing, refused, waiting for review, expiring soon or valid."""
    with read() as session:
        family = family_of(session, actor, family_id)
        kinds = list(session.scalars(select(DocumentType).where(
            DocumentType.active.is_(True), DocumentType.required.is_(True))
            .order_by(DocumentType.name)))
        docs = list(session.scalars(select(Document).where(
            Document.family_id == family, Document.type_id.is_not(None))
            .order_by(Document.id)))
    return [_requirement(k, [d for d in docs if d.type_id == k.id], today) for k in kinds]


def _requirement(kind: DocumentType, docs: list[Document], today: date) -> Requirement:
    accepted = [d.valid_until for d in docs if d.status == ACCEPTED and d.valid_until]
    best = max(accepted, default=None)
    if best is not None and best >= today + timedelta(days=EXPIRES_SOON_DAYS):
        state = "valid"
    elif any(d.status == PENDING for d in docs):
        state = "pending"
    elif best is not None and best >= today:
        state = "expiring"
    elif best is not None:
        state = "expired"
    else:
        state = "refused" if docs and docs[-1].status == REFUSED else "missing"
    return Requirement(kind.id, kind.name, state, best)
