"""HTTP routes of card payment: the bank's notification, the redirect to the bank, and the
local sandbox bank. Database work runs in a thread so the event loop never blocks."""
from __future__ import annotations

import html
from datetime import datetime, timezone
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from services.errors import PortalError
from services.payments import card, monetico, sandbox

MAX_FORM = 64 * 1024


class BodyTooLarge(Exception):
    pass


async def read_form(request: Request) -> dict[str, str]:
    """The url-encoded form of a request, reading at most MAX_FORM bytes of the body
    whatever the headers announce (a chunked body has no Content-Length to trust)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM:
        raise BodyTooLarge()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise BodyTooLarge()
    pairs = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return dict(pairs)


def _too_large() -> PlainTextResponse:
    return PlainTextResponse("Requête trop volumineuse.", status_code=413)


async def notify(request: Request) -> PlainTextResponse:
    """POST /api/monetico/notify: the bank's server-to-server call (CGI2)."""
    try:
        fields = await read_form(request)
    except BodyTooLarge:
        return _too_large()
    if not await run_in_threadpool(card.card_ready):
        # The public demo key outside the sandbox: anyone could have sealed this.
        return PlainTextResponse(monetico.ACK_BAD, status_code=403, media_type="text/plain")
    answer = await run_in_threadpool(card.apply_notification, fields)
    return PlainTextResponse(answer, media_type="text/plain")


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;max-width:520px;"
        f"margin:2em auto;padding:0 1em}} button{{padding:.8em 1.2em;font-size:1.05em}}</style>"
        f"</head><body>{body}</body></html>", status_code=status)


async def redirect(request: Request) -> HTMLResponse:
    """GET /api/payments/{reference}/redirect?t=token: the signed form, submitted at once."""
    reference = request.path_params["reference"]
    try:
        url, fields = await run_in_threadpool(card.bank_form, reference,
                                              request.query_params.get("t", ""))
    except PortalError as error:
        return _page("Paiement", f"<h1>Paiement</h1><p>{html.escape(error.message)}</p>", 410)
    form = monetico.form_html(url, fields).replace("<form ", "<form data-pf-go ", 1)
    body = (f"<h1>Redirection vers la banque…</h1>{form}"
            '<button type="submit">Continuer vers le paiement</button></form>'
            '<script src="/api/assets/go.js"></script>')
    return _page("Redirection vers le paiement", body)


def _refused() -> HTMLResponse:
    return _page("Banque de test", "<h1>Banque de test</h1><p>Formulaire refusé : "
                 f"{html.escape(sandbox.SandboxRefused.default_message)}</p>", 400)


async def sandbox_bank(request: Request) -> Response:
    """POST /sandbox/bank: the signed form arrives; the card page is shown."""
    try:
        fields = await read_form(request)
    except BodyTooLarge:
        return _too_large()
    try:
        req = await run_in_threadpool(sandbox.check_form, fields)
    except PortalError:
        return _refused()
    return HTMLResponse(sandbox.card_page(req))


async def sandbox_pay(request: Request) -> Response:
    """POST /sandbox/bank/pay: judge the card (or the abandon), notify the portal, send the
    browser back. The card page's own fields are taken off before the seal is checked."""
    try:
        form = await read_form(request)
    except BodyTooLarge:
        return _too_large()
    card_number = form.pop("card", "")
    if form.pop("action", "pay") != "pay":
        card_number = ""  # "Abandonner": the bank answers Annulation
    form.pop("exp", None)
    form.pop("cvv", None)
    try:
        req = await run_in_threadpool(sandbox.check_form, form)
    except PortalError:
        return _refused()
    _ok, back = await run_in_threadpool(sandbox.pay, req, card_number,
                                        datetime.now(timezone.utc))
    return RedirectResponse(back, status_code=303)


RETURN_TEXT = {
    "paid": ("Paiement accepté", "Merci ! Votre paiement est enregistré ; un reçu vous est "
             "envoyé par e-mail."),
    "refused": ("Paiement non abouti", "Le paiement a été refusé ou abandonné : aucun montant "
                "n'a été débité. Vous pouvez recommencer depuis « Mon compte »."),
    "pending": ("Paiement en cours de confirmation", "La banque n'a pas encore confirmé le "
                "paiement ; cette page se met à jour toute seule."),
}


async def bank_return(request: Request) -> HTMLResponse:
    """GET /api/payments/{reference}/retour: url_retour_ok/err; shows what the notification set."""
    found = await run_in_threadpool(card.return_status, request.path_params["reference"])
    if found is None:
        return _page("Paiement", "<h1>Paiement introuvable</h1>", 404)
    state, cents = found
    title, text = RETURN_TEXT.get(state, RETURN_TEXT["pending"])
    refresh = '<meta http-equiv="refresh" content="3">' if state == "pending" else ""
    amount = html.escape(monetico.amount_text(cents).replace("EUR", " €").replace(".", ","))
    body = (f"{refresh}<h1>{title}</h1><p>Montant : {amount}</p><p>{text}</p>"
            "<p>Vous pouvez fermer cet onglet : la page « Mon compte » du portail affiche le "
            'nouveau solde.</p><p><a href="/">Retour au portail</a></p>')
    return _page(title, body)


ROUTES = [
    Route("/api/monetico/notify", notify, methods=["POST"]),
    Route("/api/payments/{reference}/redirect", redirect, methods=["GET"]),
    Route("/api/payments/{reference}/retour", bank_return, methods=["GET"]),
    Route("/sandbox/bank", sandbox_bank, methods=["POST"]),
    Route("/sandbox/bank/pay", sandbox_pay, methods=["POST"]),
]
