"""ASGI entry: the Streamlit app plus the HTTP routes beside it, in one process.

`streamlit run server.py` (what `make run` does) serves both.
"""
from __future__ import annotations

from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from web import routes, startup, worker
from web.security import SecurityHeaders


@asynccontextmanager
async def lifespan(_app):  # type: ignore[no-untyped-def]
    startup.warn_on_public_url(int(st.get_option("server.port")))
    stop = worker.start()
    try:
        yield {}
    finally:
        stop()


app = st.App("Home.py", routes=routes.ROUTES, lifespan=lifespan,
             middleware=[Middleware(SecurityHeaders)])
