"""portail_submit()'s arguments travel as one JSON object (services/booking/server_step.py,
`arguments` and `unpacked`): every value comes back on the server as the typed value the
function takes, texts whatever their characters, dates, instants and NULLs included."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import psycopg

from services.booking import server_step
from services.booking.rules import LOCAL

# Texts an array literal or a JSON string would spoil if escaped by hand.
_AWKWARD = ['a"b', "c\\d", "{e,f}", "g,h", "i\nj", "NULL", "", " k ", "é – « » ’", None,
            "\u00a0x", "l'm"]
_WINTER = datetime(2026, 12, 14, 15, 0, tzinfo=LOCAL)


def _value(name: str, kind: str, n: int) -> object:
    """A value of the argument's type, distinct per argument (n)."""
    base = kind.removesuffix("[]")
    one = {"integer": lambda k: 1000 * n + k, "text": lambda k: f"{name} {k}",
           "date": lambda k: (date(2026, 12, 1) + timedelta(days=k)).isoformat(),
           "timestamptz": lambda k: (_WINTER + timedelta(hours=k)).isoformat(),
           "boolean": lambda k: k % 2 == 1}[base]
    if not kind.endswith("[]"):
        return one(n)
    if base == "text":
        return [*_AWKWARD, one(1)]
    return [one(1), None, one(2)]


def test_every_argument_comes_back_typed_and_intact(pg_url: str) -> None:
    params = {name: _value(name, kind, n) for n, (name, kind) in enumerate(server_step._ARGS)}
    params["now"] = "ignored: not an argument of the JSON object"
    sent = server_step.arguments(params)
    libpq = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(libpq) as conn:
        cur = conn.execute("SELECT a.* FROM " + server_step.unpacked("%(args)s::jsonb"),
                           {"args": sent})
        row = dict(zip([c.name for c in cur.description], cur.fetchone()))
    assert list(row) == [name for name, _ in server_step._ARGS]
    for name, kind in server_step._ARGS:
        expected = params[name]
        base = kind.removesuffix("[]")

        def typed(v: object) -> object:
            if v is None:
                return None
            if base == "date":
                return date.fromisoformat(v)  # type: ignore[arg-type]
            if base == "timestamptz":
                return datetime.fromisoformat(v)  # type: ignore[arg-type]
            return v
        if kind.endswith("[]"):
            assert row[name] == [typed(v) for v in expected], name  # type: ignore[union-attr]
        else:
            assert row[name] == typed(expected), name
