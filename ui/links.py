"""Links between pages that other pages may use (e.g. the grid's "Payer" button)."""
from __future__ import annotations

ACCOUNT_URL_PATH = "mon_compte"


def pay_link(registration_id: int) -> str:
    """Mon compte with this registration already selected for payment."""
    return f"/{ACCOUNT_URL_PATH}?inscription={int(registration_id)}"
