"""Errors of the booking use cases."""
from __future__ import annotations

from services.errors import PortalError


class RegistrationNotValidated(PortalError):
    default_message = ("Cette inscription n'est pas encore validée par l'accueil : "
                       "les réservations seront possibles après validation.")


class BookingClosed(PortalError):
    default_message = "Les réservations ne sont pas ouvertes pour cette date."


class CellOutsidePeriod(PortalError):
    default_message = "Cette date ou cette unité ne fait pas partie de la période."


class NothingToSubmit(PortalError):
    default_message = "Aucune case sélectionnée : cochez au moins une case avant de valider."


class QueueGaveUp(PortalError):
    """The booking queue did not answer in time; the request was withdrawn, never applied."""

    default_message = ("Les demandes sont très nombreuses en ce moment et la vôtre n'a pas pu "
                       "être traitée à temps : rien n'a été enregistré. Réessayez dans un "
                       "instant.")
