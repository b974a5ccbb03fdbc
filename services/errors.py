"""Named errors, each carrying a French message fit for the screen."""
from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError

from db import engine


class PortalError(Exception):
    """Base of every error a page may show; `message` is French, for the user."""

    default_message = "L'opération n'a pas pu être effectuée."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class NotFound(PortalError):
    default_message = "Élément introuvable."


class Forbidden(PortalError):
    """Raised when the caller asks for data outside what its role and family allow."""

    default_message = "Vous n'avez pas accès à cet élément."


class InvalidInput(PortalError):
    default_message = "Les informations saisies ne sont pas valides."


class InvalidCredentials(PortalError):
    default_message = "Adresse e-mail ou mot de passe incorrect."


class TooManyAttempts(PortalError):
    """Sign-in attempts come too fast from this client (or for this e-mail): wait. Said the
    same way whether the account exists or not."""

    default_message = "Trop de tentatives de connexion. Patientez un instant puis réessayez."

    @classmethod
    def after(cls, seconds: int) -> TooManyAttempts:
        if seconds < 120:
            wait = f"{seconds} seconde{'s' if seconds > 1 else ''}"
        else:
            wait = f"{-(-seconds // 60)} minutes"
        return cls("Trop de tentatives de connexion depuis cet appareil ou pour ce compte. "
                   f"Réessayez dans {wait}, ou utilisez « Mot de passe oublié ? ».")


class TooManyRequests(PortalError):
    """A volume limit: too many requests from one client, family or address."""

    default_message = "Trop de demandes en peu de temps. Réessayez plus tard."


class SessionExpired(PortalError):
    default_message = "Votre session a expiré. Merci de vous reconnecter."


class LinkInvalid(PortalError):
    default_message = ("Ce lien n'est plus valable (déjà utilisé ou expiré). "
                       "Demandez un nouveau lien à l'accueil ou via « mot de passe oublié ».")


class WeakPassword(PortalError):
    default_message = ("Le mot de passe doit contenir au moins 10 caractères, "
                       "dont une lettre et un chiffre.")


class InvalidTransition(PortalError):
    default_message = "Cette action n'est pas possible dans l'état actuel."


class InvalidValue(InvalidInput):
    """A value the database refused: too long, out of range, a forbidden character, or an
    id that points nowhere. Raised by db.engine through the hook below."""

    default_message = ("Une des valeurs saisies n'est pas acceptée (trop longue, hors limites "
                       "ou avec des caractères interdits). Corrigez-la et réessayez.")


class Unavailable(PortalError):
    """The database could not be reached, even after the retries of db.engine.with_retry."""

    default_message = ("Le portail ne parvient pas à joindre sa base de données pour le moment. "
                       "Ce qui était déjà enregistré est intact : réessayez dans quelques "
                       "instants, ou contactez l'accueil si cela dure.")


class Unexpected(PortalError):
    default_message = ("Une erreur inattendue a interrompu l'affichage de cette page. Rien n'a "
                       "été modifié par cette erreur : réessayez, ou contactez l'accueil si "
                       "elle se reproduit.")


def explain(exc: Exception) -> PortalError:
    """The French words for any error that reached a page; what is not a PortalError is
    written to the server's log with its traceback, never shown."""
    if isinstance(exc, PortalError):
        return exc
    log = logging.getLogger("portail")
    if isinstance(exc, DBAPIError):
        log.error("database unavailable: %s", exc.__class__.__name__, exc_info=exc)
        return Unavailable()
    log.error("unexpected error on a page", exc_info=exc)
    return Unexpected()


def _refused(exc: Exception) -> PortalError:
    logging.getLogger("portail").warning("value refused by the database: %s", exc)
    return InvalidValue()


engine.bad_value = _refused
