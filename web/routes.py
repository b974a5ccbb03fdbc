"""HTTP routes beside the app: health check, the session cookie hand-off and the sign-out
form, the portal's own script, and the payment routes (bank notification, sandbox bank)
from web/payments.py.

Routes that touch the database are plain functions: Starlette runs them in its thread
pool, so a slow or locked database never stalls the event loop that serves every page."""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from db import settings
from db.engine import read
from services.auth import handoff, login
from services.errors import SessionExpired
from web import payments
from web.security import BROWSER_COOKIE

SESSION_COOKIE = "pf_session"
ASSETS = Path(__file__).resolve().parent / "assets"


def health(_request: Request) -> PlainTextResponse:
    with read() as session:
        session.execute(text("SELECT 1"))
    return PlainTextResponse("ok")


def back_to(then: str) -> str:
    """The page to land on after signing in: one of our page paths, never another site."""
    return "/" + then if re.fullmatch(r"[a-z_]{1,40}", then) else "/"


def session_start(request: Request) -> Response:
    """Turn a parked session into an HttpOnly cookie, in the browser that signed in only,
    then go to the page asked for."""
    response = RedirectResponse(back_to(request.query_params.get("then", "")), status_code=303)
    token = handoff.claim(request.query_params.get("code", ""),
                          request.cookies.get(BROWSER_COOKIE, ""))
    if token is None:
        return response
    try:
        login.resolve_session(token)
    except SessionExpired:
        return response
    response.set_cookie(
        SESSION_COOKIE, token, max_age=settings.as_int(settings.SESSION_HOURS) * 3600, path="/",
        httponly=True, samesite="lax",
        secure=settings.PUBLIC_URL.get().startswith("https://"))
    return response


async def session_end(request: Request) -> Response:
    """POST /api/session/end: sign out at the HTTP level (revoke the cookie's session and
    delete the cookie), only with the one-time code the signed-in page put in its form."""
    try:
        form = await payments.read_form(request)
    except payments.BodyTooLarge:
        return PlainTextResponse("Requête trop volumineuse.", status_code=413)
    if handoff.claim(form.get("code", ""), request.cookies.get(BROWSER_COOKIE, "")) is None:
        return PlainTextResponse("Déconnexion refusée : formulaire expiré ou venu d'ailleurs.",
                                 status_code=403)
    return await _signed_out(request.cookies.get(SESSION_COOKIE))


async def _signed_out(token: str | None) -> Response:
    if token:
        await run_in_threadpool(login.sign_out, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# The portal's own scripts (the CSP allows no inline script): nothing else is served here.
SCRIPTS = {"go.js", "a11y.js", "fr.js"}


def script(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in SCRIPTS:
        return PlainTextResponse("Introuvable.", status_code=404)
    return FileResponse(ASSETS / name, media_type="text/javascript")


ROUTES: list[Route] = [
    Route("/api/health", health, methods=["GET"]),
    Route("/api/session/start", session_start, methods=["GET"]),
    Route("/api/session/end", session_end, methods=["POST"]),
    Route("/api/assets/{name}", script, methods=["GET"]),
    *payments.ROUTES,
]
