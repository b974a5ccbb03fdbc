"""Every HTTP route of web/routes.py, called in-process (no server, so it stays fast) without
its credential and with a wrong one: refused, nothing changed, nothing private in the
answer. A route added later without a line in CHECKS fails here until it is given one.
(The same routes over a real server, anonymous: test_http.py.)"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from starlette.applications import Starlette

from db.engine import read
from db.models import Payment, SessionToken
from services.errors import PortalError
from services.payments import card
from tests.security.scope_calls import build_target
from web.routes import ROUTES

PRIVATE = (b"DURAND", b"DUPONT", b"@test.example", b"Traceback", b"Zo\xc3\xa9")
# path -> (method, query, form body) of requests lacking the right credential; "{ref}" is a
# real payment reference. Public routes say so and are only checked for private data.
CHECKS: dict[str, list[tuple[str, dict[str, str], dict[str, str]]]] = {
    "/api/health": [],  # public: "ok"
    "/api/assets/{name}": [],  # public: the portal's own scripts, no data
    "/api/session/start": [("GET", {}, {}), ("GET", {"code": "not-a-code"}, {})],
    "/api/session/end": [("GET", {}, {}), ("POST", {}, {})],
    "/api/monetico/notify": [
        ("POST", {}, {}),
        ("POST", {}, {"TPE": "1234567", "reference": "{ref}", "code-retour": "payetest",
                      "montant": "1EUR", "date": "01/01/2026_a_10:00:00", "MAC": "0" * 40})],
    "/api/payments/{reference}/redirect": [("GET", {}, {}), ("GET", {"t": "wrong-token"}, {})],
    "/api/payments/{reference}/retour": [],  # public by design: the state and amount only
    "/sandbox/bank": [("POST", {}, {}), ("POST", {}, {"reference": "{ref}", "MAC": "0" * 40})],
    "/sandbox/bank/pay": [("POST", {}, {}),
                          ("POST", {}, {"reference": "{ref}", "card": "4000000000000002",
                                        "MAC": "0" * 40})],
}


def call(method: str, path: str, query: dict[str, str], form: dict[str, str]
         ) -> tuple[int, dict[str, str], bytes]:
    """One request through the routes' ASGI app, as a server would pass it."""
    app = Starlette(routes=ROUTES)
    body = urlencode(form).encode()
    headers = [(b"content-type", b"application/x-www-form-urlencoded"),
               (b"content-length", str(len(body)).encode()), (b"host", b"localhost")]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": urlencode(query).encode(), "headers": headers,
             "client": ("127.0.0.1", 50000), "server": ("localhost", 80), "root_path": ""}
    sent: list[dict[str, Any]] = []
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # On its own thread: when the browser tests ran before in the same session, Playwright's
    # sync API keeps an event loop running on this one, and asyncio.run refuses to nest.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    answer = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, answer


def _refused(status: int, headers: dict[str, str], body: bytes) -> bool:
    if "pf_session=" in headers.get("set-cookie", "") and "max-age=0" not in \
            headers["set-cookie"].lower() and 'pf_session=""' not in headers["set-cookie"]:
        return False  # a session cookie handed out
    if status in (400, 401, 403, 404, 405, 410, 413, 429):
        return True
    return status == 303 or body.strip().endswith(b"cdr=1")


def _state() -> list[Any]:
    with read() as session:
        return [sorted((p.reference, p.state, p.amount_cents, p.method)
                       for p in session.scalars(select(Payment))),
                sorted((s.id, s.revoked_at) for s in session.scalars(select(SessionToken)))]


def test_every_route_refuses_a_missing_or_wrong_credential(sqlite_db):
    from tests.world import build

    world = build()
    target = build_target(world)
    try:  # a pending card payment of family B, whose link and seal we do not have
        reference = card.start_card_payment(world.family_b, {target.registration: None}).reference
    except PortalError:  # card payment switched off here: the desk payment stands in
        reference = target.payment
    assert {route.path for route in ROUTES} == set(CHECKS), "give the new route a line in CHECKS"
    before = _state()
    wrong = []
    for route in ROUTES:
        path = route.path.replace("{reference}", reference)
        status, headers, body = call("GET" if "GET" in (route.methods or ()) else "POST",
                                     path, {}, {})
        wrong += [f"{route.path}: {mark!r}" for mark in PRIVATE if mark in body]
        for method, query, form in CHECKS[route.path]:
            form = {k: v.replace("{ref}", reference) for k, v in form.items()}
            status, headers, body = call(method, path, query, form)
            if not _refused(status, headers, body):
                wrong.append(f"{method} {route.path} {query or form}: {status}")
            wrong += [f"{route.path}: {mark!r}" for mark in PRIVATE if mark in body]
    assert wrong == []
    assert _state() == before
