"""How the surge benches print a row: the rate beside the adjacent pgbench mean, the lock
hold measured in the run and the ceiling it allows."""
from __future__ import annotations

from typing import Any

LEGEND = ("portal = services.booking.reserve; raw SQL = the same hot rows, no ORM (yardstick).\n"
          "pgbench = mean TPS of simple-update right before and right after; ratio = cells/s ÷ it.\n"
          "hold = mean ms from slot locks granted to COMMIT returned; ceiling = cells per\n"
          "transaction ÷ hold (cells/s one chain of transactions on the same slots allows);\n"
          "share = cells/s ÷ ceiling = how many transactions held locks at once on average\n"
          "(above 1: families on disjoint units overlapped).")
HEADER = (f"{'families':>8} {'':<9} {'req/s':>7} {'cells/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'pgbench':>8} {'ratio':>6} {'hold ms':>7} {'ceiling':>8} {'share':>5} "
          f"{'overbk':>6} {'order':>5} {'errors':>6}")


def line(label: str, row: dict[str, Any]) -> str:
    def f(key: str) -> object:
        return "-" if row.get(key) is None else row[key]
    return (f"{row['families']:>8} {label:<9} {row['requests_per_s']:>7} {row['cells_per_s']:>8} "
            f"{row['p50_ms']:>7} {row['p95_ms']:>7} {f('pgbench_tps'):>8} {f('ratio'):>6} "
            f"{f('lock_hold_ms'):>7} {f('ceiling_cells_per_s'):>8} {f('share_of_ceiling'):>5} "
            f"{row['overbooked']:>6} {row['order_violations']:>5} {row['errors']:>6}")
