"""The audit log read on screen ("Journal des actions"): who did what, when, on which
family or child, from the portal or the back office. Managers read every entry; staff of
some sites the entries about the families their sites work with, and their own."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, or_, select

from db.engine import read
from db.models import (Activity, AuditEntry, Child, Family, Period, Registration, Reservation,
                       UserAccount)
from db.states import Role
from services.actor import Actor
from services.booking.rules import LOCAL
from services.errors import InvalidInput
from services.families.names import full_name
from services.staff.scope import require_family

PAGE_SIZE = 200
COLUMNS = ["Quand", "Qui", "Origine", "Action", "Famille", "Enfant", "Détail"]
SOURCES_FR = {"portal": "Portail", "back_office": "Accueil", "system": "Système"}
ACTIONS_FR = {
    "add_child": "Enfant ajouté", "add_closure": "Fermeture ajoutée",
    "add_guardian": "Contact ajouté", "add_unit": "Unité ajoutée",
    "anonymise_family": "Famille anonymisée", "export_family_data": "Données téléchargées",
    "request_closure": "Clôture du compte demandée",
    "withdraw_registration": "Demande d'inscription retirée (clôture du compte)",
    "withdraw_waitlist": "Jours en liste d'attente retirés (clôture du compte)",
    "withdraw_change": "Demande de modification retirée (clôture du compte)",
    "attendance": "Pointage", "cancel": "Annulation de réservations",
    "card_paid": "Paiement par carte accepté", "card_refused": "Paiement par carte refusé",
    "create_activity": "Activité créée", "create_activity_type": "Type d'activité créé",
    "create_age_group": "Tranche d'âge créée", "create_bracket": "Tranche de QF créée",
    "create_family": "Dossier famille créé", "create_organisation": "Structure créée",
    "create_period": "Période créée", "create_site": "Lieu d'accueil créé",
    "create_user": "Compte créé", "decide_change": "Demande de modification traitée",
    "decide_registration": "Inscription validée ou refusée",
    "invitation_sent": "Invitation envoyée", "issue_invoice": "Facture émise",
    "invite_guardian": "Accès au portail ouvert à un responsable",
    "set_mail_preference": "Choix des mails d'un responsable",
    "set_payer": "Payeur désigné",
    "link_household": "Enfant rattaché à un second foyer",
    "unlink_household": "Enfant retiré d'un second foyer",
    "issue_credit_note": "Avoir émis sur une facture",
    "mail_resend": "Mail renvoyé", "notification_ignored": "Notification bancaire ignorée",
    "password_reset_requested": "Mot de passe oublié", "password_set": "Mot de passe choisi",
    "payment_reminder": "Relance de paiement", "promote_waitlist": "Place donnée à la liste "
    "d'attente", "record_desk_payment": "Règlement à l'accueil",
    "record_document": "Pièce reçue", "remove_closure": "Fermeture retirée",
    "reorder_waitlist": "Liste d'attente réordonnée", "request_change": "Demande de "
    "modification", "request_registration": "Demande d'inscription",
    "reserve": "Réservation", "reserve_by_staff": "Réservation facilitée par l'accueil",
    "reverse_desk_payment": "Règlement annulé (contre-passation)",
    "send_to_bank": "Paiement en ligne commencé", "set_password": "Mot de passe choisi",
    "set_places": "Places modifiées", "set_tariff": "Tarif modifié",
    "sign_in": "Connexion", "sign_in_failed": "Connexion refusée",
    "start_card_payment": "Paiement par carte commencé", "update_child": "Enfant modifié",
    "update_contact": "Coordonnées modifiées", "update_family": "Dossier famille modifié",
    "update_guardian": "Contact modifié", "update_period": "Période modifiée",
    "update_site": "Lieu d'accueil modifié", "update_unit": "Unité modifiée",
    "use_credit": "Avoir utilisé",
    "update_health_sheet": "Fiche sanitaire modifiée",
    "answer_consent": "Autorisation parentale répondue",
    "add_pickup_person": "Personne autorisée ajoutée",
    "create_consent_kind": "Autorisation parentale créée",
    "update_consent_kind": "Autorisation parentale modifiée",
    "create_news": "Actualité publiée", "update_news": "Actualité modifiée",
    "delete_news": "Actualité retirée", "deactivate_staff": "Compte du personnel désactivé",
    "reactivate_staff": "Compte du personnel réactivé", "invite_staff": "Personnel invité",
    "update_staff_access": "Accès du personnel modifiés", "link_resent": "Lien renvoyé",
    "delete_age_group": "Tranche d'âge supprimée", "update_age_group": "Tranche d'âge modifiée",
    "save_qf_brackets": "Tranches de QF enregistrées", "sign_out": "Déconnexion",
    "setup_organisation": "Mise en service", "update_organisation": "Centre modifié",
    "update_logo": "Logo du centre changé", "remove_logo": "Logo du centre retiré",
    "update_activity": "Activité modifiée", "update_activity_type": "Type d'activité modifié",
    "update_family_texts": "Accueil des familles modifié", "demo_loaded": "Démo chargée",
    "demo_history": "Historique de la démo",
    "upload_document": "Pièce envoyée", "accept_document": "Pièce acceptée",
    "refuse_document": "Pièce refusée", "save_document_type": "Pièce à fournir enregistrée",
    "declare_absence": "Absence signalée", "decide_absence": "Absence justifiée ou non",
    "message_thread_start": "Conversation commencée", "message_reply": "Message envoyé",
    "message_read": "Message lu", "message_thread_close": "Conversation close",
    "activity_mailing": "Message aux familles d'une activité",
    "update_reminders": "Rappels par e-mail modifiés",
    "reminder_opening": "Rappel : ouverture des réservations",
    "reminder_add_deadline": "Rappel : date limite de réservation",
    "reminder_document": "Rappel : pièce qui expire",
    "booking_queued": "Demande mise en file d'attente (ouverture des réservations)",
    "booking_abandoned": "Demande retirée de la file d'attente (délai dépassé)",
    "discard_files": "Fichiers supprimés du disque (après une interruption)",
}


@dataclass(frozen=True)
class AuditPage:
    frame: pd.DataFrame
    total: int
    page: int
    pages: int


def what(action: str) -> str:
    """The action in French words (an unknown kind says so rather than showing a code)."""
    return ACTIONS_FR.get(action, f"Autre action ({action.replace('_', ' ')})")


def _detail(details: dict[str, Any]) -> str:
    parts = []
    if "cents" in details and isinstance(details["cents"], int):
        cents = details["cents"]
        parts.append(f"{cents // 100},{cents % 100:02d} €")
    for key, label in (("reference", "règlement"), ("counter_entry", "contre-passation")):
        if details.get(key):
            parts.append(f"{label} {details[key]}")
    if isinstance(details.get("files"), int):
        parts.append(f"{details['files']} fichier(s)")
    if details.get("cells"):
        parts.append(f"{len(details['cells'])} case(s)")
    if details.get("reason"):
        parts.append(f"motif : {details['reason']}")
    return " · ".join(parts)


def _visible(actor: Actor, query: Any) -> Any:
    """Staff of some sites: entries about their sites' families, and their own."""
    actor.require_staff()
    if actor.site_ids is None:
        return query
    families = (select(Registration.family_id)
                .join(Period, Period.id == Registration.period_id)
                .join(Activity, Activity.id == Period.activity_id)
                .where(Activity.site_id.in_(sorted(actor.site_ids))))
    return query.where(or_(AuditEntry.family_id.in_(families),
                           AuditEntry.user_id == actor.user_id))


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise InvalidInput("La date de fin précède la date de début.")
    return (datetime.combine(start, time(0), tzinfo=LOCAL),
            datetime.combine(end + timedelta(days=1), time(0), tzinfo=LOCAL))


def list_entries(actor: Actor, start: date, end: date, user_id: int | None = None,
                 family_name: str = "", actions: tuple[str, ...] = (), page: int = 0,
                 family_id: int | None = None, page_size: int = PAGE_SIZE) -> AuditPage:
    """One page of the journal between two days (Europe/Paris), newest first, filtered by
    person, family (name or id) and kinds of action."""
    low, high = _utc_bounds(start, end)
    query = select(AuditEntry).where(AuditEntry.at >= low, AuditEntry.at < high)
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    if family_id is not None:
        with read() as session:
            require_family(session, actor, family_id)  # a file out of scope says so
        query = query.where(AuditEntry.family_id == family_id)
    if family_name.strip():
        query = query.where(AuditEntry.family_id.in_(select(Family.id).where(
            Family.name.ilike(f"%{family_name.strip()[:100]}%"))))
    if actions:
        query = query.where(AuditEntry.action.in_(sorted(set(actions))))
    query = _visible(actor, query)
    with read() as session:
        total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        pages = max(1, -(-total // page_size))
        page = min(max(page, 0), pages - 1)
        entries = list(session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                       .offset(page * page_size).limit(page_size)))
        frame = _frame(session, entries)
    return AuditPage(frame, total, page, pages)


def family_history(actor: Actor, family_id: int, limit: int = PAGE_SIZE) -> pd.DataFrame:
    """A family file's own history, newest first (everything recorded about the family)."""
    with read() as session:
        require_family(session, actor, family_id)
        entries = list(session.scalars(
            select(AuditEntry).where(AuditEntry.family_id == family_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))
        return _frame(session, entries)


def list_people(actor: Actor) -> dict[int, str]:
    """Staff and managers, for the "person" filter (families are found by their name)."""
    actor.require_staff()
    with read() as session:
        rows = session.execute(select(UserAccount.id, UserAccount.display_name)
                               .where(UserAccount.role.in_([Role.STAFF.value,
                                                            Role.MANAGER.value]))
                               .order_by(UserAccount.display_name)).all()
    return {i: n for i, n in rows}


def _frame(session: Any, entries: list[AuditEntry]) -> pd.DataFrame:
    families = dict(session.execute(select(Family.id, Family.name).where(
        Family.id.in_({e.family_id for e in entries if e.family_id}))).all())
    children = _children(session, entries)
    rows = [{"Quand": f"{e.at.astimezone(LOCAL):%d/%m/%Y %H:%M}", "Qui": e.actor,
             "Origine": SOURCES_FR.get(e.source, e.source), "Action": what(e.action),
             "Famille": families.get(e.family_id, ""),
             "Enfant": children.get((e.entity, e.entity_id), ""),
             "Détail": _detail(json.loads(e.details or "{}"))} for e in entries]
    return pd.DataFrame(rows, columns=COLUMNS)


def _children(session: Any, entries: list[AuditEntry]) -> dict[tuple[str, int], str]:
    """The child an entry is about: the child itself, or a registration's or reservation's."""
    ids: dict[str, set[int]] = {"child": set(), "registration": set(), "reservation": set()}
    for e in entries:
        if e.entity in ids and e.entity_id is not None:
            ids[e.entity].add(e.entity_id)
    out: dict[tuple[str, int], str] = {}
    for entity, key, join in (("child", Child.id, None),
                              ("registration", Registration.id, Registration),
                              ("reservation", Reservation.id, Reservation)):
        if not ids[entity]:
            continue
        query = select(key, Child.first_name, Child.last_name)
        if join is not None:
            query = query.select_from(join).join(Child, Child.id == join.child_id)
        for i, first, last in session.execute(query.where(key.in_(sorted(ids[entity])))).all():
            out[(entity, i)] = full_name(first, last)
    return out
