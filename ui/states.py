"""States in words: the one place a stored state (`paid`, `sent`…) becomes French on screen."""
from __future__ import annotations

from enum import StrEnum

from db.states import (ChangeRequestState, MailState, PaymentState, RegistrationState,
                       ReservationState, Role, Source)

__all__ = ["ChangeRequestState", "MailState", "PaymentState", "RegistrationState",
           "ReservationState", "Role", "Source", "WORDS", "word"]

WORDS: dict[type[StrEnum], dict[str, str]] = {
    PaymentState: {"pending": "en attente de la banque", "paid": "payé",
                   "refused": "refusé ou abandonné"},
    MailState: {"queued": "en attente d'envoi", "sending": "en cours d'envoi",
                "sent": "envoyé", "local": "gardé sur le portail (pas de serveur de mail)",
                "failed": "non envoyé"},
    RegistrationState: {"requested": "demandée", "validated": "validée",
                        "refused": "refusée", "cancelled": "annulée"},
    ReservationState: {"requested": "demandée", "waitlisted": "en liste d'attente",
                       "validated": "validée", "refused": "refusée",
                       "cancel_requested": "annulation demandée", "cancelled": "annulée",
                       "present": "présent", "absent": "absent non justifié",
                       "absent_justified": "absent justifié"},
    ChangeRequestState: {"requested": "demandée", "validated": "acceptée",
                         "refused": "refusée"},
    Role: {"family": "famille", "staff": "accueil", "manager": "direction"},
    Source: {"portal": "portail", "back_office": "accueil", "system": "système"},
}


def word(kind: type[StrEnum], value: object) -> str:
    """The French word of a stored state of `kind`; a value unknown to it is shown as is."""
    if value is None:
        return ""
    return WORDS[kind].get(str(value), str(value))
