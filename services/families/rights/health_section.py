"""The health sheets, consents, pick-up persons and messages in a family's data download
(RGPD)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (Child, ConsentAnswer, ConsentKind, HealthSheet, Message,
                       MessageAttachment, MessageThread, PickupPerson)
from services.messages import attachments
from services.families.rights.sections import Part, Scope
from services.families.households import children_of

SHEET = {"food_allergies": "Allergies alimentaires",
         "food_action": "Conduite à tenir (alimentaires)",
         "medicine_allergies": "Allergies médicamenteuses",
         "medicine_action": "Conduite à tenir (médicaments)", "other_allergies": "Autres allergies",
         "other_action": "Conduite à tenir (autres)", "pai": "PAI", "treatment": "Traitement",
         "diet": "Régime", "diet_other": "Régime (précision)", "doctor_name": "Médecin",
         "doctor_phone": "Téléphone du médecin", "dtp_dates": "DTP (dates)",
         "dtp_last_booster": "Dernier rappel", "other_info": "Autres informations",
         "updated_at": "Mise à jour le", "updated_by": "Mise à jour par"}


def health(session: Session, scope: Scope) -> Part:
    """Each child's health sheet and consents, and the people allowed to pick them up."""
    children = select(Child.id).where(children_of(scope.family_id))
    sheets = pd.DataFrame(
        [{"Enfant": first, **{label: getattr(sheet, key) for key, label in SHEET.items()}}
         for sheet, first in session.execute(
             select(HealthSheet, Child.first_name).join(Child, Child.id == HealthSheet.child_id)
             .where(HealthSheet.child_id.in_(children)).order_by(Child.id))],
        columns=["Enfant", *SHEET.values()])
    consents = pd.DataFrame(
        [{"Enfant": first, "Autorisation": label, "Réponse": "oui" if answer.answer else "non",
          "Répondu le": answer.answered_at, "Par": answer.answered_by}
         for answer, first, label in session.execute(
             select(ConsentAnswer, Child.first_name, ConsentKind.label)
             .join(Child, Child.id == ConsentAnswer.child_id)
             .join(ConsentKind, ConsentKind.id == ConsentAnswer.consent_id)
             .where(ConsentAnswer.child_id.in_(children))
             .order_by(Child.id, ConsentKind.position))],
        columns=["Enfant", "Autorisation", "Réponse", "Répondu le", "Par"])
    pickups = pd.DataFrame(
        [{"Nom": p.name, "Lien": p.relationship, "Téléphone": p.phone,
          "Peut venir chercher": "oui" if p.may_pick_up else "non",
          "À prévenir en cas d'urgence": "oui" if p.emergency else "non"}
         for p in session.scalars(select(PickupPerson).where(
             PickupPerson.family_id == scope.family_id).order_by(PickupPerson.id))],
        columns=["Nom", "Lien", "Téléphone", "Peut venir chercher",
                 "À prévenir en cas d'urgence"])
    return Part({"fiches_sanitaires": sheets, "autorisations": consents,
                 "personnes_autorisees": pickups})


def _attached(file_id: int | None, name: str | None) -> str:
    return f"documents/messages/{file_id}-{name}" if file_id else ""


def messages(session: Session, scope: Scope) -> Part:
    """The family's conversations with the centre, every message in order, and the files
    attached to them (documents/messages/, read through the scoped reader)."""
    rows = session.execute(
        select(MessageThread.subject, Message.created_at, Message.author, Message.from_family,
               Message.body, MessageAttachment.id, MessageAttachment.file_name)
        .join(Message, Message.thread_id == MessageThread.id)
        .outerjoin(MessageAttachment, MessageAttachment.message_id == Message.id)
        .where(MessageThread.family_id == scope.family_id)
        .order_by(MessageThread.id, Message.id))
    table = pd.DataFrame(
        [{"Conversation": subject, "Date": at, "Auteur": author,
          "De": "la famille" if from_family else "l'accueil", "Message": body,
          "Pièce jointe": _attached(file_id, name)}
         for subject, at, author, from_family, body, file_id, name in rows],
        columns=["Conversation", "Date", "Auteur", "De", "Message", "Pièce jointe"])
    files = {_attached(file_id, name): attachments.get_file(scope.actor, file_id).data
             for file_id, name, _ in attachments.of_family(session, scope.family_id)}
    return Part({"messages": table}, files)
