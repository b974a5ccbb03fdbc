"""Checks made when the server starts: a French warning on the console when the address put
in mails and given to the bank (PORTAIL_PUBLIC_URL) cannot reach the port being served."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from db import settings

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
log = logging.getLogger("portail.startup")


def public_url_warning(public_url: str, port: int) -> str | None:
    """The warning to show when a local public address names another port; None if fine.

    An address on another host is left alone: a reverse proxy serves it on its own port."""
    parts = urlsplit(public_url)
    if parts.hostname not in LOCAL_HOSTS:
        return None
    try:
        named = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        named = None
    if named == port:
        return None
    return (f"Attention : PORTAIL_PUBLIC_URL vaut {public_url} mais le portail est servi sur le "
            f"port {port}. Les liens des mails et le retour de la banque n'arriveront pas ici "
            f"(les paiements ne seront jamais confirmés). Lancez `make run PORT={port}` sans "
            "fixer PORTAIL_PUBLIC_URL, ou corrigez-la.")


def warn_on_public_url(port: int) -> str | None:
    """Log the warning (if any) at start; returns it."""
    warning = public_url_warning(settings.PUBLIC_URL.get(), port)
    if warning:
        log.warning(warning)
        print(warning, flush=True)  # noqa: T201  (the console of `make run` is the reader)
    return warning
