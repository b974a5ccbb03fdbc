"""Changes to sensitive data of a family file (QF, a child's birth date or health notes,
guardians): the family asks, reception checks the paper proof and decides."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from db.base import utcnow
from db.engine import read, transaction
from db.models import ChangeRequest, Child, Family, Guardian, UserAccount
from db.states import ChangeRequestState as S
from services import audit, organisation, validate
from services import clock
from services.actor import Actor
from services.errors import (Forbidden, InvalidInput, InvalidTransition, NotFound,
                             TooManyRequests)
from services.families import guardians
from services.families.accounts import GuardianForm, clean_guardian
from services.health import requests as health
from services.mail import recipients
from services.mail.pages import go_line
from services.staff.scope import families_filter
from services.families.households import household_ids

FIELD_LABELS = {
    "qf": "Quotient familial",
    "birth_date": "Date de naissance",
    "health_notes": "Informations de santé",
    "guardian_add": "Nouveau responsable légal",
    "guardian_update": "Responsable légal",
} | health.LABELS
CHILD_FIELDS = ("birth_date", "health_notes", *health.CHILD_FIELDS)
GUARDIAN_KEYS = ("first_name", "last_name", "email", "phone", "relationship")


@dataclass(frozen=True)
class ChangeView:
    id: int
    family_id: int
    family: str
    child: str
    field: str
    label: str
    current: str
    new_value: str
    state: str
    requested_at: datetime


def _clean(field: str, value: str, child_id: int | None) -> str:
    """The value as stored, or InvalidInput with a French message."""
    value = validate.text(value, FIELD_LABELS.get(field, "Valeur"), max_len=5000,
                          multiline=True)
    if field not in FIELD_LABELS:
        raise InvalidInput("Cette information ne peut pas être modifiée ici.")
    if (field in CHILD_FIELDS) != (child_id is not None):
        raise InvalidInput("Choisissez l'enfant concerné.")
    if field in health.LABELS:
        return health.clean(field, value)
    if field == "qf":
        return str(validate.integer(value, "Quotient familial", minimum=0, maximum=100_000))
    if field == "birth_date":
        try:
            born = date.fromisoformat(value)
        except ValueError as exc:
            raise InvalidInput("Date de naissance invalide.") from exc
        if born > clock.today() or born.year < 1990:
            raise InvalidInput("Date de naissance invalide.")
        return born.isoformat()
    if field == "health_notes":
        return validate.text(value, "Informations de santé", max_len=2000, multiline=True)
    try:
        data = json.loads(value)
        assert isinstance(data, dict)
    except (ValueError, AssertionError) as exc:
        raise InvalidInput("Informations du responsable légal illisibles.") from exc
    if not str(data.get("first_name", "")).strip() or not str(data.get("last_name", "")).strip():
        raise InvalidInput("Indiquez le prénom et le nom du responsable légal.")
    # The same checks as a guardian typed at the desk: lengths, characters, a real e-mail.
    guardian = clean_guardian(GuardianForm(*(str(data.get(k, "")) for k in GUARDIAN_KEYS)))
    cleaned = {k: getattr(guardian, k) for k in GUARDIAN_KEYS}
    if field == "guardian_update":
        cleaned["guardian_id"] = str(validate.integer(data.get("guardian_id"), "Responsable",
                                                      minimum=1, maximum=2**31 - 1))
    return json.dumps(cleaned, ensure_ascii=False, sort_keys=True)


def mail_kind(field: str) -> str:
    """A change to a child's health, care or pick-up persons is a safety mail: the payer
    always hears of it."""
    return "safety" if field == "health_notes" or field in health.LABELS else "info"


# A family waits for reception's answer before asking again (one pending request per field,
# child and guardian), and never has more than this many waiting: each one mails the family
# and lands in reception's queue.
MAX_PENDING = 10


def _kind(field: str, value: str) -> str:
    """What a request is about: the field, and for a guardian's update, which guardian."""
    if field == "guardian_update":
        return f"{field}:{json.loads(value).get('guardian_id')}"
    return health.kind(field, value)


def _refuse_a_second_pending(session, family_id: int, field: str,  # type: ignore[no-untyped-def]
                             child_id: int | None, value: str) -> None:
    pending = session.execute(select(ChangeRequest.field, ChangeRequest.child_id,
                                     ChangeRequest.new_value).where(
        ChangeRequest.family_id == family_id, ChangeRequest.state == S.REQUESTED.value)).all()
    if any(f == field and c == child_id and _kind(f, v) == _kind(field, value)
           for f, c, v in pending):
        raise TooManyRequests(f"Une demande de modification ({FIELD_LABELS[field].lower()}) attend déjà "
                              "la vérification de l'accueil : attendez sa réponse avant d'en "
                              "faire une autre.")
    if len(pending) >= MAX_PENDING:
        raise TooManyRequests(f"Vous avez déjà {len(pending)} demandes de modification en "
                              "attente : attendez la réponse de l'accueil avant d'en faire "
                              "d'autres.")


def request_change(actor: Actor, field: str, new_value: str, child_id: int | None = None) -> int:
    """A family asks reception to change a sensitive field of its file; returns the request id."""
    actor.require_family()
    with transaction() as session:
        return queue_request(session, actor, field, new_value, child_id)


def queue_request(session, actor: Actor, field: str, new_value: str,  # type: ignore[no-untyped-def]
                  child_id: int | None = None) -> int:
    """request_change inside the caller's transaction (a form that also saves other fields)."""
    family_id = actor.require_family()
    value = _clean(field, new_value, child_id)
    if child_id is not None:
        child = session.get(Child, child_id)
        if child is None or family_id not in household_ids(session, child_id):
            raise Forbidden()
    if field == "guardian_update":
        guardian = session.get(Guardian, int(json.loads(value)["guardian_id"] or 0))
        if guardian is None or guardian.family_id != family_id:
            raise Forbidden()
    health.check(session, family_id, field, value)
    pending = session.scalar(select(ChangeRequest.id).where(
        ChangeRequest.family_id == family_id, ChangeRequest.field == field,
        ChangeRequest.child_id.is_(child_id) if child_id is None
        else ChangeRequest.child_id == child_id,
        ChangeRequest.new_value == value, ChangeRequest.state == S.REQUESTED.value))
    if pending is not None:
        return int(pending)  # a double click asks once
    _refuse_a_second_pending(session, family_id, field, child_id, value)
    change = ChangeRequest(family_id=family_id, child_id=child_id, field=field,
                           new_value=value, state=S.REQUESTED.value, requested_at=utcnow())
    session.add(change)
    session.flush()
    audit.record(session, actor, "request_change", "change_request", change.id,
                 field=field, child_id=child_id, family_id=family_id)
    recipients.queue_family(
        session, family_id, mail_kind(field), "Demande de modification reçue",
        f"Bonjour,\n\nNous avons bien reçu votre demande de modification "
        f"({FIELD_LABELS[field]}). L'accueil la vérifie et vous répond par mail.\n\n"
        + f"{go_line('family')}\n\n" + organisation.signature(), caused_by=actor.user_id,
        child_id=child_id)
    return change.id


def _visible(actor: Actor, query):  # type: ignore[no-untyped-def]
    """Staff of some sites see families registered there, and families not registered yet."""
    return query.where(families_filter(actor, Family.id))


def _current(session, change: ChangeRequest) -> str:  # type: ignore[no-untyped-def]
    if change.field in health.LABELS:
        return health.current(session, change)
    if change.field == "qf":
        family = session.get(Family, change.family_id)
        return "" if family.qf is None else str(family.qf)
    if change.field in CHILD_FIELDS:
        value = getattr(session.get(Child, change.child_id), change.field)
        return value.isoformat() if isinstance(value, date) else str(value)
    if change.field == "guardian_update":
        g = session.get(Guardian, int(json.loads(change.new_value)["guardian_id"]))
        return json.dumps({k: getattr(g, k) for k in GUARDIAN_KEYS}, ensure_ascii=False,
                          sort_keys=True) if g else ""
    return ""


def _shown(field: str, value: str) -> str:
    return health.shown(field, value) if field in health.LABELS else value


def list_changes(actor: Actor, state: str = S.REQUESTED.value) -> list[ChangeView]:
    """Change requests, oldest first: a family's own, or those of a staff member's families."""
    query = (select(ChangeRequest, Family).join(Family, Family.id == ChangeRequest.family_id)
             .where(ChangeRequest.state == state)
             .order_by(ChangeRequest.requested_at, ChangeRequest.id))
    if actor.is_staff:
        query = _visible(actor, query)
    else:
        query = query.where(ChangeRequest.family_id == actor.require_family())
    with read() as session:
        out = []
        for change, family in session.execute(query).all():
            child = session.get(Child, change.child_id) if change.child_id else None
            out.append(ChangeView(change.id, family.id, family.name,
                                  child.first_name if child else "", change.field,
                                  FIELD_LABELS[change.field],
                                  _shown(change.field, _current(session, change)),
                                  _shown(change.field, change.new_value), change.state,
                                  change.requested_at))
        return out


def decide_change(actor: Actor, change_id: int, approve: bool, reason: str = "") -> str:
    """Staff apply or refuse a change request; the family is emailed either way."""
    actor.require_staff()
    reason = validate.text(reason, "Motif", max_len=1000, multiline=True)
    with transaction() as session:
        change = session.get(ChangeRequest, change_id, with_for_update=True)
        if change is None:
            raise NotFound("Cette demande de modification n'existe pas.")
        if not session.scalar(_visible(actor, select(Family.id).where(
                Family.id == change.family_id))):
            raise Forbidden()
        if change.state != S.REQUESTED.value:
            raise InvalidTransition("Cette demande a déjà été traitée.")
        before = _current(session, change)
        if approve:
            _apply(session, change, actor.label)
        change.state = (S.VALIDATED if approve else S.REFUSED).value
        change.decided_at = utcnow()
        change.decided_by = actor.user_id
        audit.record(session, actor, "decide_change", "change_request", change.id,
                     field=change.field, state=change.state, before=before,
                     after=change.new_value, reason=reason.strip()[:1000])
        verdict = "a été prise en compte" if approve else "n'a pas pu être acceptée"
        body = (f"Bonjour,\n\nVotre demande de modification ({FIELD_LABELS[change.field]}) "
                f"{verdict}.\n")
        if reason.strip():
            body += f"\nMotif : {reason.strip()[:1000]}\n"
        recipients.queue_family(
            session, change.family_id, mail_kind(change.field),
            "Demande de modification " + ("acceptée" if approve else "refusée"),
            body + "\n" + go_line("family") + "\n\n" + organisation.signature(),
            caused_by=recipients.asked_by(session, "change_request", change.id,
                                          "request_change"),
            child_id=change.child_id)
        return change.state


def _apply(session, change: ChangeRequest, label: str) -> None:  # type: ignore[no-untyped-def]
    if change.field in health.LABELS:
        health.apply(session, change, label)
    elif change.field == "qf":
        session.get(Family, change.family_id).qf = int(change.new_value)
    elif change.field == "birth_date":
        session.get(Child, change.child_id).birth_date = date.fromisoformat(change.new_value)
    elif change.field == "health_notes":
        session.get(Child, change.child_id).health_notes = change.new_value
    else:
        data = json.loads(change.new_value)
        if change.field == "guardian_add":
            session.add(Guardian(family_id=change.family_id,
                                 is_payer=guardians.first_payer(session, change.family_id),
                                 **{k: data.get(k, "") for k in GUARDIAN_KEYS}))
        else:
            guardian = session.get(Guardian, int(data["guardian_id"]))
            _move_login(session, guardian.id, data.get("email", ""))
            for key in GUARDIAN_KEYS:
                setattr(guardian, key, data.get(key, ""))


def _move_login(session, guardian_id: int, email: str) -> None:  # type: ignore[no-untyped-def]
    """A guardian's new e-mail is their sign-in address too; refused (nothing changed) when
    another account signs in with it."""
    email = email.strip().lower()
    for user in session.scalars(select(UserAccount).where(UserAccount.guardian_id == guardian_id)):
        if user.email == email:
            continue
        if not email:
            raise InvalidInput("Ce responsable a un accès au portail : son adresse e-mail ne "
                               "peut pas être effacée. Refusez la demande ou gardez l'adresse.")
        if session.scalar(select(UserAccount.id).where(UserAccount.email == email,
                                                       UserAccount.id != user.id)):
            raise InvalidInput(f"L'adresse {email} est déjà celle d'un autre compte du portail : "
                               "la modification ne peut pas être acceptée. Refusez la demande "
                               "en indiquant le motif, ou voyez avec la famille.")
        user.email = email
