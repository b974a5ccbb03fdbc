"""The validation queue as a table to keep or share: the requests waiting for a decision
on the caller's sites, oldest first, with the filters of "File de validation"."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from services.actor import Actor
from services.booking.rules import LOCAL
from services.staff.queue import KIND_LABELS, QueueFilter, list_queue

COLUMNS = ["Reçue le", "Type", "Enfant", "Famille", "Lieu", "Activité", "Période", "Jour",
           "Unité"]


def validation_queue(actor: Actor, f: QueueFilter = QueueFilter(),
                     kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """The requests `list_queue` gives (only `kinds`, keys of KIND_LABELS, if given), one
    line each; "Jour" and "Unité" are empty for a registration request."""
    wanted = set(KIND_LABELS) if kinds is None else set(kinds)
    rows = [[item.requested_at.astimezone(LOCAL).replace(tzinfo=None), KIND_LABELS[item.kind],
             item.child, item.family, item.site, item.activity, item.period, item.day,
             item.unit] for item in list_queue(actor, f) if item.kind in wanted]
    return pd.DataFrame(rows, columns=COLUMNS)
