"""Query rows to DataFrames, column by column: pandas probing each SQLAlchemy Row for
attributes costs more than the query on the small dashboards."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def frame(rows: Sequence[Sequence[object]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame with `columns` from rows of plain values (tuples or Rows)."""
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(dict(zip(columns, (list(c) for c in zip(*rows)))))
