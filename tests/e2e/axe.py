"""Accessibility checks with axe-core, from the copy vendored in tests/e2e/vendor/axe-core
(see its README): the same rules on every machine, no network needed."""
from __future__ import annotations

import hashlib
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
VERSION = "4.10.3"
SHA256 = "880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb"
BLOCKING = ("serious", "critical")


def axe_source() -> str:
    """The vendored axe-core, checked against the digest of the npm package's file."""
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA256, "axe.min.js is not axe-core " + VERSION
    return data.decode("utf-8")


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Serious or critical axe-core violations of the page as shown, one line per element."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol: the portal's CSP forbids inline
        # scripts (a <script> tag added to the page would be blocked, rightly).
        page.evaluate("source => { (0, eval)(source); }", axe_source())
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:200]}"
            for v in found if v["impact"] in BLOCKING for node in v["nodes"]]
