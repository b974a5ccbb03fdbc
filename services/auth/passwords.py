"""Password hashing (bcrypt) and the strength rule: long enough, not common, not guessable."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import bcrypt

from db import settings

from services.errors import WeakPassword

# bcrypt reads at most 72 bytes; longer passwords are refused rather than cut silently.
MAX_BYTES = 72
MIN_LENGTH = 10
# A password counts this many characters once repeats and runs (aaaa, abcd, 4321) are left out.
MIN_EFFECTIVE = 8
MIN_DISTINCT = 5
BLOCKLIST = Path(__file__).with_name("common_passwords.txt")

COMMON = ("Ce mot de passe est trop courant (comme « azerty1234 » ou « famille2026 ») : "
          "choisissez-en un moins facile à deviner, par exemple trois mots sans rapport "
          "entre eux et un chiffre.")
GUESSABLE = ("Ce mot de passe est trop facile à deviner (caractères répétés ou suites comme "
             "« 1234 » ou « abcd ») : choisissez-en un plus varié.")
PERSONAL = ("Le mot de passe ne doit contenir ni votre adresse e-mail, ni votre nom, ni celui "
            "de votre famille ou du centre.")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i"})


def _plain(text: str) -> str:
    """Lower case, without accents: "Liberté" and "liberte" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def common_words() -> frozenset[str]:
    lines = BLOCKLIST.read_text(encoding="utf-8").splitlines()
    return frozenset(_plain(line.strip()) for line in lines
                     if line.strip() and not line.startswith("#"))


def _core(password: str) -> str:
    """The password without the digits and symbols around it, leetspeak read as letters:
    "Famille2026!" and "2024-f4mille" give "famille"."""
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", _plain(password))
    return core.translate(_LEET)


def is_common(password: str) -> bool:
    words = common_words()
    plain, core = _plain(password), _core(password)
    if plain in words or core in words or not core:
        return True
    # The same common word said twice ("soleilsoleil").
    return any(len(core) % n == 0 and core[:n] * (len(core) // n) == core and core[:n] in words
               for n in range(2, len(core) // 2 + 1))


def effective_length(password: str) -> int:
    """Characters that neither repeat the previous one nor continue a run (abc, 321)."""
    chars = _plain(password)
    return 1 + sum(1 for prev, cur in zip(chars, chars[1:]) if abs(ord(cur) - ord(prev)) > 1) \
        if chars else 0


def _personal_parts(words: Iterable[str]) -> set[str]:
    parts = set()
    for word in words:
        plain = _plain(word or "")
        local = plain.split("@")[0]
        parts |= {p for p in re.split(r"[^a-z0-9]+", plain) + [local] if len(p) >= 4}
    return parts


def check_strength(password: str, personal: Iterable[str] = ()) -> None:
    """Refuses a password shorter than 10 characters or without a letter and a digit, a
    common one (services/auth/common_passwords.txt, with digits or symbols around), one made
    of repeats and runs, and one containing the e-mail or a name given in `personal`."""
    if (len(password) < MIN_LENGTH or len(password.encode()) > MAX_BYTES
            or not re.search(r"[^\W\d_]", password) or not re.search(r"\d", password)):
        raise WeakPassword()
    if is_common(password):
        raise WeakPassword(COMMON)
    if (effective_length(password) < MIN_EFFECTIVE
            or len(set(_plain(password))) < MIN_DISTINCT):
        raise WeakPassword(GUESSABLE)
    plain = _plain(password)
    if any(part in plain for part in _personal_parts(personal)):
        raise WeakPassword(PERSONAL)


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=settings.as_int(settings.BCRYPT_ROUNDS))).decode()


def verify_password(password: str, hashed: str | None) -> bool:
    if not hashed or len(password.encode()) > MAX_BYTES:
        return False
    return bcrypt.checkpw(password.encode(), hashed.encode())


# Compared against when the e-mail is unknown, so timing does not reveal which accounts exist.
DUMMY_HASH = hash_password("dummy-password-0")
