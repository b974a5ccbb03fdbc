"""HTTP routes beside the app: health check, the session cookie hand-off, and the payment
routes (bank notification, sandbox bank) from web/payments.py."""
from __future__ import annotations

import re

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from db import settings
from db.engine import read
from services.auth import handoff, login
from services.errors import SessionExpired
from web import payments

SESSION_COOKIE = "pf_session"


async def health(_request: Request) -> PlainTextResponse:
    with read() as session:
        session.execute(text("SELECT 1"))
    return PlainTextResponse("ok")


def back_to(then: str) -> str:
    """The page to land on after signing in: one of our page paths, never another site."""
    return "/" + then if re.fullmatch(r"[a-z_]{1,40}", then) else "/"


def session_start(request: Request) -> Response:
    """Turn a parked session into an HttpOnly cookie, then go to the page asked for."""
    response = RedirectResponse(back_to(request.query_params.get("then", "")), status_code=303)
    token = handoff.claim(request.query_params.get("code", ""))
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


def session_end(request: Request) -> Response:
    """Sign out at the HTTP level: revoke the cookie's session and delete the cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        login.sign_out(token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


ROUTES: list[Route] = [
    Route("/api/health", health, methods=["GET"]),
    Route("/api/session/start", session_start, methods=["GET"]),
    Route("/api/session/end", session_end, methods=["GET"]),
    *payments.ROUTES,
]
