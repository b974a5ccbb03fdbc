"""Types of document families are asked for (vaccinations, CAF certificate, insurance…),
each with how many months an accepted copy stays valid; set by managers."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from db.engine import read, transaction
from db.models import DocumentType
from services import audit, validate
from services.actor import Actor
from services.errors import InvalidInput, NotFound

# What a social centre usually asks for; the demo and a new centre start with these.
DEFAULTS = [("Pages de vaccination du carnet de santé", 12, True),
            ("Attestation CAF ou de quotient familial", 12, True),
            ("Attestation d'assurance responsabilité civile", 12, True),
            ("PAI (projet d'accueil individualisé)", 12, False),
            ("Certificat médical", 1, False)]
# The type a family attaches to a declared absence.
MEDICAL_CERTIFICATE = "Certificat médical"


@dataclass(frozen=True)
class TypeView:
    id: int
    name: str
    validity_months: int
    required: bool
    active: bool


def list_types(actor: Actor, active_only: bool = True) -> list[TypeView]:
    """The document types, by name (every signed-in user may read them)."""
    query = select(DocumentType).order_by(DocumentType.name)
    if active_only:
        query = query.where(DocumentType.active.is_(True))
    with read() as session:
        return [TypeView(t.id, t.name, t.validity_months, t.required, t.active)
                for t in session.scalars(query)]


def save_type(actor: Actor, type_id: int | None, name: str, validity_months: int,
              required: bool, active: bool = True) -> int:
    """Create (type_id None) or change a document type; managers only."""
    actor.require_manager()
    clean = validate.text(name, "Nom de la pièce", max_len=100, required=True)
    months = validate.integer(validity_months, "Validité (mois)", minimum=1, maximum=120)
    with transaction() as session:
        same = session.scalar(select(DocumentType.id).where(DocumentType.name == clean))
        if same is not None and same != type_id:
            raise InvalidInput("Une pièce porte déjà ce nom.")
        if type_id is None:
            kind = DocumentType(name=clean)
            session.add(kind)
        else:
            found = session.get(DocumentType, type_id)
            if found is None:
                raise NotFound("Cette pièce n'existe pas.")
            kind = found
        kind.validity_months, kind.required, kind.active = months, bool(required), bool(active)
        session.flush()
        audit.record(session, actor, "save_document_type", "document_type", kind.id,
                     name=clean, validity_months=months, required=bool(required),
                     active=bool(active))
        return kind.id


def ensure_defaults(actor: Actor) -> int:
    """Add the usual document types that are missing; returns how many were added."""
    present = {t.name for t in list_types(actor, active_only=False)}
    added = [save_type(actor, None, name, months, required)
             for name, months, required in DEFAULTS if name not in present]
    return len(added)
