"""The one validation layer for what people type: text, e-mails, phones, numbers and dates.

Services call these before writing anything; each refuses with `InvalidInput` carrying a French
message that names the field, so the page shows it and nothing changes.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from services.errors import InvalidInput

# A plain address: one @, a dotted domain, ASCII only (mail servers and banks reject the rest).
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_PHONE = re.compile(r"^[0-9 +().-]{6,25}$")


# Bidirectional overrides, embeddings and isolates reorder what a reader sees (a name shown
# backwards, a spoofed file name); the marks U+200E/U+200F that RTL writers use stay allowed.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _printable(value: str, label: str) -> str:
    for char in value:
        if char in "\n\t":
            continue
        if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") or char in _BIDI_CONTROLS:
            raise InvalidInput(f"« {label} » contient un caractère non autorisé.")
    return value


def text(value: str | None, label: str, *, max_len: int = 200, required: bool = False,
         multiline: bool = False) -> str:
    """Trimmed text of at most `max_len` characters, without control characters."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(f"« {label} » est obligatoire.")
    if len(cleaned) > max_len:
        raise InvalidInput(f"« {label} » ne doit pas dépasser {max_len} caractères.")
    if not multiline and ("\n" in cleaned or "\t" in cleaned):
        raise InvalidInput(f"« {label} » doit tenir sur une ligne.")
    return _printable(cleaned, label)


def email(value: str | None, label: str = "Adresse e-mail", *, required: bool = True) -> str:
    """A lower-cased e-mail address (empty allowed only when not required)."""
    cleaned = (value or "").strip().lower()
    if not cleaned and not required:
        return ""
    if len(cleaned) > 200 or not _EMAIL.match(cleaned):
        raise InvalidInput(f"« {label} » n'est pas une adresse e-mail valide (exemple : "
                           "prenom.nom@exemple.fr).")
    return cleaned


def phone(value: str | None, label: str = "Téléphone", *, required: bool = False) -> str:
    """A phone number written with digits, spaces, +, dots, dashes or brackets."""
    cleaned = (value or "").strip()
    if not cleaned and not required:
        return ""
    if not _PHONE.match(cleaned):
        raise InvalidInput(f"« {label} » n'est pas un numéro de téléphone valide.")
    return cleaned


def integer(value: int | str | None, label: str, *, minimum: int, maximum: int) -> int:
    """A whole number between `minimum` and `maximum`, from a widget or typed text."""
    try:
        number = int(str(value).strip().replace(" ", "").replace("\u202f", ""))
    except (TypeError, ValueError):
        raise InvalidInput(f"« {label} » doit être un nombre entier.") from None
    if not minimum <= number <= maximum:
        raise InvalidInput(f"« {label} » doit être compris entre {minimum} et {maximum}.")
    return number


def day(value: date | None, label: str, *, earliest: date | None = None,
        latest: date | None = None) -> date:
    """A date inside [earliest, latest] when those bounds are given."""
    if not isinstance(value, date):
        raise InvalidInput(f"« {label} » doit être une date.")
    if earliest and value < earliest:
        raise InvalidInput(f"« {label} » ne peut pas être avant le {earliest:%d/%m/%Y}.")
    if latest and value > latest:
        raise InvalidInput(f"« {label} » ne peut pas être après le {latest:%d/%m/%Y}.")
    return value


_AMOUNT = re.compile(r"^\d{1,7}([.,]\d{1,2})?$")


def amount(value: str | None, label: str, *, required: bool = True) -> int:
    """Euros typed as the French write them ("42,50", "1 234", "42.5 €") -> integer cents."""
    cleaned = re.sub(r"[\s\u202f€]", "", value or "")
    if not cleaned and not required:
        return 0
    if not _AMOUNT.match(cleaned):
        raise InvalidInput(f"« {label} » doit être un montant en euros (exemple : 42,50).")
    try:
        return int(Decimal(cleaned.replace(",", ".")) * 100)
    except InvalidOperation:  # pragma: no cover  (the pattern already refuses it)
        raise InvalidInput(f"« {label} » doit être un montant en euros.") from None
