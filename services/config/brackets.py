"""QF brackets (tranches de quotient familial), edited by managers as one table.

The brackets must tile the QF line from 0 without gap or overlap, so every family falls in
exactly one. The table is saved at once: a bracket kept keeps its id, so the tariffs that
point to it stay. A new bracket takes the prices of its neighbour (the bracket just below,
or just above for a new first one), so a new row never makes days free by accident; with
no bracket yet, it takes each unit's price without QF. A family whose QF is above the last
bracket, or unknown, pays the unit's price without QF, as before.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from db.engine import read, transaction
from db.models import QfBracket, Tariff, Unit
from services import audit, validate
from services.actor import Actor
from services.errors import InvalidInput, NotFound

MAX_QF = 100_000  # as for a family's QF (services/families/accounts.py)


@dataclass(frozen=True)
class BracketRow:
    id: int | None
    label: str
    qf_min: int | str | None
    qf_max: int | str | None


@dataclass(frozen=True)
class Bracket:
    id: int | None
    label: str
    qf_min: int
    qf_max: int

    @property
    def span(self) -> str:
        return f"{self.qf_min}–{self.qf_max}"


def list_brackets(actor: Actor) -> list[Bracket]:
    """The QF brackets, lowest first."""
    actor.require_manager()
    with read() as session:
        return [Bracket(b.id, b.label, b.qf_min, b.qf_max) for b in session.scalars(
            select(QfBracket).order_by(QfBracket.qf_min, QfBracket.id))]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def check_table(rows: list[BracketRow]) -> list[Bracket]:
    """The rows as brackets sorted by QF, or InvalidInput naming the first problem."""
    brackets: list[Bracket] = []
    for row in rows:
        label = validate.text(row.label, "Nom de la tranche", max_len=100, required=True)
        if _blank(row.qf_min):
            raise InvalidInput(f"Tranche « {label} » : indiquez le QF minimum.")
        low = validate.integer(row.qf_min, f"QF minimum de « {label} »", minimum=0,
                               maximum=MAX_QF)
        high = MAX_QF if _blank(row.qf_max) else validate.integer(
            row.qf_max, f"QF maximum de « {label} »", minimum=0, maximum=MAX_QF)
        if low > high:
            raise InvalidInput(f"Tranche « {label} » : le QF minimum ({low}) dépasse le QF "
                               f"maximum ({high}).")
        brackets.append(Bracket(row.id, label, low, high))
    labels = [b.label.lower() for b in brackets]
    if len(set(labels)) != len(labels):
        raise InvalidInput("Deux tranches portent le même nom : donnez-leur des noms distincts.")
    brackets.sort(key=lambda b: (b.qf_min, b.qf_max))
    if brackets and brackets[0].qf_min != 0:
        raise InvalidInput(f"La première tranche doit commencer à 0 (« {brackets[0].label} » "
                           f"commence à {brackets[0].qf_min}).")
    for lower, upper in zip(brackets, brackets[1:]):
        if upper.qf_min <= lower.qf_max:
            raise InvalidInput(f"La tranche {lower.span} chevauche {upper.span}.")
        if upper.qf_min > lower.qf_max + 1:
            raise InvalidInput(f"Il manque les QF de {lower.qf_max + 1} à {upper.qf_min - 1} "
                               f"entre les tranches {lower.span} et {upper.span}.")
    return brackets


def _neighbour(table: list[Bracket], index: int, kept: set[int]) -> int | None:
    """The id of the kept bracket just below `index`, else just above, else None."""
    below = [b.id for b in table[:index] if b.id in kept]
    above = [b.id for b in table[index + 1:] if b.id in kept]
    return below[-1] if below else (above[0] if above else None)


def save_brackets(actor: Actor, organisation_id: int, rows: list[BracketRow]) -> list[int]:
    """Replace the bracket table at once (create, change, delete); returns the ids in QF
    order. A deleted bracket's tariffs go with it; charges already made keep their amounts."""
    actor.require_manager()
    table = check_table(rows)
    with transaction() as session:
        existing = {b.id: b for b in session.scalars(select(QfBracket).with_for_update())}
        unknown = {b.id for b in table if b.id is not None} - set(existing)
        if unknown:
            raise NotFound("Une des tranches a été supprimée entre-temps : rechargez la page.")
        kept = {b.id for b in table if b.id is not None}
        dropped = sorted(set(existing) - kept)
        before = [(b.label, b.qf_min, b.qf_max) for b in sorted(existing.values(),
                                                                 key=lambda b: b.qf_min)]
        prices: dict[int, dict[int, int]] = {}
        for unit_id, bracket_id, cents in session.execute(
                select(Tariff.unit_id, Tariff.bracket_id, Tariff.price_cents)):
            prices.setdefault(bracket_id, {})[unit_id] = cents
        base = dict(session.execute(select(Unit.id, Unit.price_cents)).all())
        if dropped:
            session.execute(delete(Tariff).where(Tariff.bracket_id.in_(dropped)))
            session.execute(delete(QfBracket).where(QfBracket.id.in_(dropped)))
        ids: list[int] = []
        for index, b in enumerate(table):
            if b.id is not None:
                row = existing[b.id]
                row.label, row.qf_min, row.qf_max = b.label, b.qf_min, b.qf_max
                ids.append(b.id)
                continue
            new = QfBracket(organisation_id=organisation_id, label=b.label, qf_min=b.qf_min,
                            qf_max=b.qf_max)
            session.add(new)
            session.flush()
            source = _neighbour(table, index, kept)
            copied = prices.get(source, {}) if source is not None else {}
            session.add_all(Tariff(unit_id=u, bracket_id=new.id,
                                   price_cents=copied.get(u, cents)) for u, cents in base.items())
            ids.append(new.id)
        audit.record(session, actor, "save_qf_brackets", "qf_bracket", None, before=before,
                     after=[(b.label, b.qf_min, b.qf_max) for b in table], deleted=dropped)
        return ids
