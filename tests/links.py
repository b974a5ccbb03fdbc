"""Single-use links as their recipient gets them. Without SMTP the portal writes them on the
server's console and never in the outbox, so tests read them from the captured console."""
from __future__ import annotations

import re

import pytest

LINK = re.compile(r"lien à usage unique pour (\S+) \(.*?\) : \S*jeton=([A-Za-z0-9_\-]+)")


def last_token(capsys: pytest.CaptureFixture[str], address: str) -> str:
    """The token of the latest link written on the console for `address`."""
    seen = getattr(capsys, "portail_seen", "") + capsys.readouterr().err
    capsys.portail_seen = seen  # type: ignore[attr-defined]
    tokens = [token for to, token in LINK.findall(seen) if to == address]
    assert tokens, f"no link written on the console for {address}"
    return tokens[-1]
