"""Reading euros typed by a person into exact integer cents."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation


def cents(text: str) -> int | None:
    """'4,20' or '4.20' or '4' -> 420; None if it is not an amount."""
    cleaned = text.strip().replace("€", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return int(value * 100)
