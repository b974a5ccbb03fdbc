"""Password hashing (bcrypt) and the strength rule."""
from __future__ import annotations

import re

import bcrypt

from db import settings

from services.errors import WeakPassword

# bcrypt reads at most 72 bytes; longer passwords are refused rather than cut silently.
MAX_BYTES = 72


def check_strength(password: str) -> None:
    """Refuses a password shorter than 10 characters or without a letter and a digit."""
    if (len(password) < 10 or len(password.encode()) > MAX_BYTES
            or not re.search(r"[^\W\d_]", password) or not re.search(r"\d", password)):
        raise WeakPassword()


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=settings.as_int(settings.BCRYPT_ROUNDS))).decode()


def verify_password(password: str, hashed: str | None) -> bool:
    if not hashed or len(password.encode()) > MAX_BYTES:
        return False
    return bcrypt.checkpw(password.encode(), hashed.encode())


# Compared against when the e-mail is unknown, so timing does not reveal which accounts exist.
DUMMY_HASH = hash_password("dummy-password-0")
