"""The consents a centre asks for each child (droit à l'image, partir seul à une heure dite,
baignade, transport...): the direction keeps the list, families answer yes or no."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.base import utcnow
from db.engine import read, transaction
from db.models import ConsentAnswer, ConsentKind, Organisation
from services import audit, validate
from services.actor import Actor
from services.errors import InvalidInput, NotFound
from services.staff.scope import require_child


@dataclass(frozen=True)
class ConsentKindView:
    id: int
    label: str
    active: bool


@dataclass(frozen=True)
class ConsentView:
    consent_id: int
    label: str
    answer: bool | None       # None: not answered yet
    answered_at: datetime | None
    answered_by: str


def _organisation(session: Session) -> int:
    found = session.scalar(select(Organisation.id).order_by(Organisation.id).limit(1))
    if found is None:
        raise NotFound("Aucun centre n'est configuré.")
    return int(found)


def list_consent_kinds(actor: Actor, every: bool = False) -> list[ConsentKindView]:
    """The consents asked, in the centre's order; `every` adds the withdrawn ones (managers)."""
    if every:
        actor.require_manager()
    with read() as session:
        query = select(ConsentKind).order_by(ConsentKind.position, ConsentKind.id)
        if not every:
            query = query.where(ConsentKind.active.is_(True))
        return [ConsentKindView(k.id, k.label, k.active) for k in session.scalars(query)]


def create_consent_kind(actor: Actor, label: str) -> int:
    """The direction adds a consent families are asked for."""
    actor.require_manager()
    label = validate.text(label, "Autorisation", max_len=300, required=True)
    with transaction() as session:
        position = session.scalar(select(func.coalesce(func.max(ConsentKind.position), 0)))
        kind = ConsentKind(organisation_id=_organisation(session), label=label,
                           position=int(position or 0) + 1, active=True)
        session.add(kind)
        session.flush()
        audit.record(session, actor, "create_consent_kind", "consent_kind", kind.id, label=label)
        return kind.id


def update_consent_kind(actor: Actor, consent_id: int, label: str, active: bool) -> None:
    """Rename or withdraw a consent (answers already given are kept)."""
    actor.require_manager()
    label = validate.text(label, "Autorisation", max_len=300, required=True)
    with transaction() as session:
        kind = session.get(ConsentKind, consent_id)
        if kind is None:
            raise NotFound("Cette autorisation n'existe pas.")
        before = (kind.label, kind.active)
        kind.label, kind.active = label, bool(active)
        audit.record(session, actor, "update_consent_kind", "consent_kind", kind.id,
                     before=before, after=(label, bool(active)))


def get_consents(actor: Actor, child_id: int) -> list[ConsentView]:
    """The child's answers to each active consent, with when and by whom."""
    with read() as session:
        require_child(session, actor, child_id)
        rows = session.execute(
            select(ConsentKind, ConsentAnswer).outerjoin(ConsentAnswer, (
                ConsentAnswer.consent_id == ConsentKind.id) & (ConsentAnswer.child_id == child_id))
            .where(ConsentKind.active.is_(True))
            .order_by(ConsentKind.position, ConsentKind.id)).all()
        return [ConsentView(k.id, k.label, a.answer if a else None,
                            a.answered_at if a else None, a.answered_by if a else "")
                for k, a in rows]


def answer_consents(actor: Actor, child_id: int, answers: dict[int, bool]) -> int:
    """The family answers yes or no; a changed answer is dated and signed anew (count)."""
    family_id = actor.require_family()
    with transaction() as session:
        require_child(session, actor, child_id)
        active = set(session.scalars(select(ConsentKind.id).where(ConsentKind.active.is_(True))))
        if not set(answers) <= active:
            raise InvalidInput("Cette autorisation n'est plus demandée.")
        now, changed = utcnow(), 0
        for consent_id, answer in answers.items():
            row = session.get(ConsentAnswer, (child_id, consent_id))
            if row is not None and row.answer == bool(answer):
                continue
            if row is None:
                row = ConsentAnswer(child_id=child_id, consent_id=consent_id)
                session.add(row)
            row.answer, row.answered_at, row.answered_by = bool(answer), now, actor.label
            changed += 1
            audit.record(session, actor, "answer_consent", "child", child_id,
                         consent_id=consent_id, answer=bool(answer), family_id=family_id)
        return changed
