"""What the app sends itself on every response, Streamlit's pages and files included:
security headers, and a random per-browser cookie that binds the sign-in hand-off and the
sign-out form to the browser they were made for (services/auth/handoff.py)."""
from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db import settings

BROWSER_COOKIE = "pf_browser"


def _inline_script_hashes() -> list[str]:
    """Streamlit's index.html has one inline script (a flag for prerendering); allow it by
    its hash, read from the installed file so an upgrade cannot break the page silently."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        return []
    index = Path(spec.origin).parent / "static" / "index.html"
    try:
        page = index.read_text(encoding="utf-8")
    except OSError:
        return []
    bodies = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    return ["'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
            for b in bodies]


def _bank_origin() -> str:
    url = urlsplit(settings.MONETICO_URL.get().strip())
    return f" {url.scheme}://{url.netloc}" if url.scheme == "https" and url.netloc else ""


def content_security_policy() -> str:
    """Everything from the portal itself. Streamlit's frontend needs inline styles (its
    CSS-in-JS), data: and blob: images (charts, downloads), blob: workers, and its websocket
    to the same host; the card form may post to the bank's page."""
    scripts = " ".join(["'self'", *_inline_script_hashes()])
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'",
        "worker-src 'self' blob:", "frame-src 'self' blob: data:", "object-src 'none'",
        "base-uri 'self'", f"form-action 'self'{_bank_origin()}", "frame-ancestors 'none'"])


def security_headers() -> list[tuple[bytes, bytes]]:
    return [(b"content-security-policy", content_security_policy().encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY")]


def _has_browser_cookie(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"cookie" and re.search(rb"(^|;)\s*" + BROWSER_COOKIE.encode() + rb"=",
                                           value):
            return True
    return False


def _browser_cookie() -> bytes:
    secure = "; Secure" if settings.PUBLIC_URL.get().startswith("https://") else ""
    return (f"{BROWSER_COOKIE}={secrets.token_urlsafe(24)}; Path=/; HttpOnly; "
            f"SameSite=Lax{secure}").encode()


def _plain_html(headers: list[tuple[bytes, bytes]]) -> bool:
    found = {name.lower(): value for name, value in headers}
    return (found.get(b"content-type", b"").startswith(b"text/html")
            and b"content-encoding" not in found)


def french_page(body: bytes) -> bytes:
    """Streamlit's page says lang="en"; screen readers must read the portal in French (same
    length, so the Content-Length stays right; web/assets/fr.js sets it too, for a page that
    arrives compressed)."""
    return body.replace(b'<html lang="en">', b'<html lang="fr">', 1)


class SecurityHeaders:
    """Pure ASGI middleware (it must not buffer Streamlit's responses nor touch websockets)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = security_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(self.headers)
        if not _has_browser_cookie(scope):
            extra.append((b"set-cookie", _browser_cookie()))

        page = False

        async def send_with_headers(message: Message) -> None:
            nonlocal page
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((n, v) for n, v in extra
                                        if n == b"set-cookie" or n not in present)]
                page = _plain_html(message.get("headers", []))
            elif page and message["type"] == "http.response.body":
                message["body"] = french_page(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, send_with_headers)
