"""How a person's name is written everywhere (screens, PDFs, mails): "Prénom NOM"."""
from __future__ import annotations


def full_name(first: str, last: str) -> str:
    """'Léa', 'Dupont' -> 'Léa DUPONT': the first name as typed, the family name in capitals."""
    return f"{first.strip()} {last.strip().upper()}".strip()
