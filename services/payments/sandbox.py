"""The local sandbox bank: speaks Monetico's protocol so the whole flow runs on a fresh
machine. It checks the signed form like the bank, shows a card page, and sends the sealed
notification to the portal's notification route. Off as soon as MONETICO_URL or a real key
is set, since it signs with the merchant key (card.sandbox_enabled)."""
from __future__ import annotations

import html
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from services import organisation
from services.errors import PortalError
from services.payments import monetico
from services.payments.card import public_url, sandbox_enabled, terminal

CARD_OK = "4000000000000002"
CARD_REFUSED = "4000000000000036"


class SandboxRefused(PortalError):
    default_message = "Formulaire de paiement invalide (sceau ou terminal incorrect)."


@dataclass(frozen=True)
class Request:
    reference: str
    amount: str
    url_ok: str
    url_err: str
    fields: dict[str, str]


def check_form(fields: Mapping[str, str]) -> Request:
    """What the bank checks first: a sandbox allowed here, our terminal, a valid seal, and
    return addresses under the portal's own (the demo key is public, so a sealed form proves
    nothing about where it came from: without this the sandbox is an open redirect)."""
    plain = {str(k): str(v) for k, v in fields.items()}
    bank = terminal()
    if (not sandbox_enabled() or plain.get("TPE") != bank.tpe
            or not monetico.seal_ok(plain, bank.key)
            or monetico.parse_amount(plain.get("montant", "")) is None
            or not all(_ours(plain.get(name, ""))
                       for name in ("url_retour_ok", "url_retour_err"))):
        raise SandboxRefused()
    return Request(plain["reference"], plain["montant"], plain.get("url_retour_ok", ""),
                   plain.get("url_retour_err", ""), plain)


def _ours(url: str) -> bool:
    return url.startswith(public_url() + "/") and "\\" not in url


def pay(request: Request, card_number: str, at: datetime) -> tuple[bool, str]:
    """Judge the card, post the sealed notification to the portal; (accepted, return URL)."""
    accepted = card_number.replace(" ", "") == CARD_OK
    amount = monetico.parse_amount(request.amount)
    assert amount is not None
    note = monetico.notification_fields(terminal(), request.reference, amount,
                                        "payetest" if accepted else "Annulation", at,
                                        request.fields.get("texte-libre", ""))
    post_notification(note)
    return accepted, request.url_ok if accepted else request.url_err


def post_notification(fields: Mapping[str, str]) -> str:
    """A real HTTP POST to the notification route, server to server, as the bank does it."""
    data = urlencode(dict(fields)).encode("utf-8")
    req = urllib.request.Request(f"{public_url()}/api/monetico/notify", data=data,
                                 method="POST")
    with urllib.request.urlopen(req, timeout=20) as response:  # noqa: S310  (our own URL)
        return response.read().decode()


def card_page(request: Request) -> str:
    """The sandbox's card page, carrying the signed fields along."""
    hidden = "".join(f'<input type="hidden" name="{html.escape(k, True)}" '
                     f'value="{html.escape(v, True)}">' for k, v in request.fields.items())
    ref, amount = html.escape(request.reference), html.escape(request.amount)
    merchant = html.escape(organisation.signature().upper())
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Banque de test – paiement</title><style>
body{{font-family:sans-serif;max-width:480px;margin:2em auto;padding:0 1em;color:#222}}
.box{{border:1px solid #ccc;border-radius:8px;padding:1em 1.2em}}
label{{display:block;margin:.8em 0 .2em}} input[type=text]{{width:100%;padding:.6em;font-size:1.1em;box-sizing:border-box}}
button{{padding:.8em 1.2em;font-size:1.05em;margin:1em .5em 0 0}} .note{{background:#fff6d6;padding:.6em;border-radius:6px}}
</style></head><body>
<h1>Monetico Paiement (banque de test)</h1>
<p class="note">Banque de démonstration : aucun argent ne circule. Carte <b>4000 0000 0000 0002</b> :
paiement accepté ; carte <b>4000 0000 0000 0036</b> : paiement refusé.</p>
<div class="box"><p>Commerçant : {merchant}</p>
<p>Référence : <b>{ref}</b></p><p>Montant : <b>{amount}</b></p>
<form method="post" action="/sandbox/bank/pay">{hidden}
<label for="card">Numéro de carte bancaire</label>
<input type="text" id="card" name="card" inputmode="numeric" autocomplete="off" value="">
<label for="exp">Date d'expiration (MM/AA)</label><input type="text" id="exp" name="exp" value="12/30">
<label for="cvv">Code de vérification</label><input type="text" id="cvv" name="cvv" value="123">
<button type="submit" name="action" value="pay">Payer</button>
<button type="submit" name="action" value="abandon">Abandonner</button>
</form></div></body></html>"""
