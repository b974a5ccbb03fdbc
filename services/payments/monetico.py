"""Monetico Paiement (Crédit Mutuel / CIC), protocol version 3.0: the seal, the request form,
and the check of the bank's notification. Pure functions; no database, no HTTP.

Facts from the bank's kits (shared/docs/monetico.md): the 40-character merchant key becomes
20 bytes after a quirk on its last two characters; the seal is HMAC-SHA1 over every field
but MAC, sorted by name in byte order, written name=value and joined with '*'.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

VERSION = "3.0"
ACK_OK = "version=2\ncdr=0\n"
ACK_BAD = "version=2\ncdr=1\n"
ACCEPTED = {"payetest", "paiement"}


def key_bytes(key: str) -> bytes:
    """The merchant key as the 20 bytes the HMAC uses (the kits' conversion)."""
    if len(key) != 40:
        raise ValueError("a Monetico key has 40 characters")
    head, c39, c40 = key[:38], key[38], key[39]
    if 70 < ord(c39) < 97:  # a letter past 'F': the kits shift it down by 23 ('P' -> '9')
        c39 = chr(ord(c39) - 23)
    elif c40 == "M":
        c40 = "0"
    return bytes.fromhex(head + c39 + c40)


def seal_text(fields: Mapping[str, str]) -> str:
    """Every field but MAC, sorted by name in byte order, as name=value joined with '*'."""
    names = sorted((n for n in fields if n != "MAC"), key=lambda n: n.encode("utf-8"))
    return "*".join(f"{n}={fields[n]}" for n in names)


def hmac_hex(message: bytes, key: str) -> str:
    return hmac.new(key_bytes(key), message, hashlib.sha1).hexdigest()


def compute_mac(fields: Mapping[str, str], key: str) -> str:
    """The seal of these fields (lowercase hex)."""
    return hmac_hex(seal_text(fields).encode("utf-8"), key)


def seal_ok(fields: Mapping[str, str], key: str) -> bool:
    """True if fields carry a MAC that matches, compared case-insensitively in constant time."""
    given = str(fields.get("MAC", "")).lower()
    return bool(given) and hmac.compare_digest(given, compute_mac(fields, key))


def amount_text(cents: int) -> str:
    """1500 -> '15.00EUR' (exact, from integer cents)."""
    return f"{Decimal(cents) / 100:.2f}EUR"


def parse_amount(text: str) -> int | None:
    """'15.00EUR' -> 1500; None for anything else (another currency, garbage)."""
    if not text.endswith("EUR"):
        return None
    number = text[:-3]
    whole, _, frac = number.partition(".")
    if not whole.isdigit() or (frac and (not frac.isdigit() or len(frac) > 2)):
        return None
    return int(whole) * 100 + int((frac + "00")[:2])


@dataclass(frozen=True)
class Terminal:
    """What the bank gave the merchant; switching to the real bank changes only this."""

    url: str
    tpe: str
    key: str
    societe: str


@dataclass(frozen=True)
class Order:
    reference: str
    amount_cents: int
    email: str
    free_text: str
    url_ok: str
    url_err: str
    address: str
    city: str
    postal_code: str
    at: datetime


def request_fields(terminal: Terminal, order: Order) -> dict[str, str]:
    """Every field of a version 3.0 payment request, sealed."""
    context = {"billing": {"addressLine1": order.address or "-", "city": order.city or "-",
                           "postalCode": order.postal_code or "-", "country": "FR"}}
    fields = {
        "TPE": terminal.tpe,
        "date": f"{order.at:%d/%m/%Y:%H:%M:%S}",
        "montant": amount_text(order.amount_cents),
        "reference": order.reference,
        "version": VERSION,
        "lgue": "FR",
        "societe": terminal.societe,
        "mail": order.email,
        # Returned as is by the bank; ASCII keeps every terminal happy.
        "texte-libre": order.free_text.encode("ascii", "ignore").decode(),
        "url_retour_ok": order.url_ok,
        "url_retour_err": order.url_err,
        "contexte_commande": base64.b64encode(
            json.dumps(context, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        ).decode("ascii"),
    }
    fields["MAC"] = compute_mac(fields, terminal.key)
    return fields


def form_html(action: str, fields: Mapping[str, str], form_id: str = "monetico") -> str:
    """The hidden inputs of a POST form to `action`, every value HTML-escaped."""
    inputs = "\n".join(
        f'<input type="hidden" name="{html.escape(n, quote=True)}" '
        f'value="{html.escape(v, quote=True)}">' for n, v in fields.items())
    return (f'<form id="{form_id}" method="post" action="{html.escape(action, quote=True)}">\n'
            f"{inputs}\n")


@dataclass(frozen=True)
class Notification:
    """A notification whose seal was checked."""

    reference: str
    amount_cents: int | None
    code: str
    fields: dict[str, str]

    @property
    def accepted(self) -> bool:
        return self.code in ACCEPTED


def read_notification(fields: Mapping[str, str], key: str) -> Notification | None:
    """The notification if its seal is valid, else None."""
    plain = {str(k): str(v) for k, v in fields.items()}
    if not seal_ok(plain, key):
        return None
    if any(_unstorable(k) or _unstorable(v) for k, v in plain.items()):
        return None  # even sealed: PostgreSQL cannot store a NUL, so refuse it cleanly
    return Notification(plain.get("reference", ""), parse_amount(plain.get("montant", "")),
                        plain.get("code-retour", ""), plain)


def _unstorable(text: str) -> bool:
    """A NUL or a lone surrogate: no database text column takes it."""
    return "\x00" in text or any("\ud800" <= c <= "\udfff" for c in text)


def notification_fields(terminal: Terminal, reference: str, amount_cents: int, code: str,
                        at: datetime, free_text: str = "",
                        card_bin: str = "400000") -> dict[str, str]:
    """A sealed notification as the bank sends it (used by the sandbox bank and tests)."""
    fields = {
        "TPE": terminal.tpe, "date": f"{at:%d/%m/%Y_a_%H:%M:%S}",
        "montant": amount_text(amount_cents), "reference": reference, "texte-libre": free_text,
        "code-retour": code, "cvx": "oui", "vld": "1231", "brand": "VI",
        "numauto": "010101" if code in ACCEPTED else "",
        "motifrefus": "" if code in ACCEPTED else "Refus",
        "originecb": "FRA", "bincb": card_bin, "hpancb": "0" * 40, "ipclient": "127.0.0.1",
        "originetr": "FRA", "modepaiement": "CB", "authentification": "", "usage": "debit",
        "typecompte": "particulier", "ecard": "non",
    }
    fields["MAC"] = compute_mac(fields, terminal.key)
    return fields
