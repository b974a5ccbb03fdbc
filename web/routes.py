"""HTTP routes beside the app (health check; payment notification routes join here)."""
from __future__ import annotations

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from db.engine import read
from web import payments


async def health(_request: Request) -> PlainTextResponse:
    with read() as session:
        session.execute(text("SELECT 1"))
    return PlainTextResponse("ok")


ROUTES: list[Route] = [Route("/api/health", health, methods=["GET"]), *payments.ROUTES]
