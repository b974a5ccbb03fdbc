"""The surge benches' machinery at a tiny scale on PostgreSQL: results.json carries `surge`,
`yardstick` and `cancel_surge` with their ratio to the adjacent pgbench, p95, lock hold,
ceiling, overbooked and order violations; nothing overbooked. Never a check on timing."""
from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from bench import bench_cancellations, bench_surge, pgbench, scratch, yardstick
from bench.run import main

SHARED = ("families", "workers", "cells", "cells_per_s", "p50_ms", "p95_ms", "ratio",
          "pgbench_tps_before", "pgbench_tps_after", "pgbench_tps", "overbooked",
          "order_violations", "errors", "lock_hold_ms", "ceiling_cells_per_s",
          "share_of_ceiling")


def test_surge_yardstick_and_cancellations_write_their_figures(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_surge, "SIZES", [6])
    monkeypatch.setattr(bench_surge, "WORKERS", 3)
    monkeypatch.setattr(bench_cancellations, "WORKERS", 3)
    monkeypatch.setattr(bench_cancellations, "FAMILIES", 4)
    monkeypatch.setattr(bench_cancellations, "WAITING", 3)
    monkeypatch.setattr(pgbench, "SECONDS", 1)
    out = tmp_path / "results.json"
    out.write_text(json.dumps({"dashboards": {"kept": True}}))
    main(["surge", "cancellations"], out)
    results = json.loads(out.read_text())
    assert results["dashboards"] == {"kept": True}  # other benches' keys survive
    (surge,), (stick,), cancel = results["surge"], results["yardstick"], results["cancel_surge"]
    for row in (surge, stick, cancel):
        assert set(SHARED) <= set(row)
        assert (row["overbooked"], row["order_violations"], row["errors"]) == (0, 0, 0)
        assert row["lock_hold_ms"] > 0 and row["ceiling_cells_per_s"] > 0
        if pgbench.binary():
            assert row["ratio"] > 0 and row["pgbench_tps"] > 0
    assert surge["cells"] == stick["cells"] == stick["rows_written"] == 6 * 2 * surge["days"]
    assert surge["cells_requested"] >= surge["cells"]  # holidays have no slot
    assert cancel["families"] == 4 and cancel["waiting_requests"] > 0
    assert cancel["free_places_left_with_a_queue"] == 0


def test_yardstick_check_counts_overbooking_and_queue_jumps(pg_url: str) -> None:
    name = scratch.create("portail_yardstick_test")
    try:
        with psycopg.connect(scratch.url(name, "postgresql")) as conn:
            yardstick.setup(conn, families=4, days=1)  # one place per slot
            assert yardstick.check(conn) == (0, 0)
            conn.execute("INSERT INTO booking (family_id, slot_id, state, requested_at) "
                         "VALUES (0, 1, 'validated', now())")  # booked not moved
            assert yardstick.check(conn)[0] == 1
            conn.execute("UPDATE slot SET booked = 1 WHERE id = 1")
            conn.execute("UPDATE slot SET waiting = 1 WHERE id = 1")
            conn.execute("INSERT INTO booking (family_id, slot_id, state, requested_at, "
                         "queue_rank) VALUES (1, 1, 'waitlisted', now() - interval '1 s', 1)")
            assert yardstick.check(conn) == (0, 1)  # waits though it came first
    finally:
        scratch.drop(name)


def test_without_pgbench_the_bench_says_so_and_gives_no_ratio(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pgbench, "binary", lambda: None)
    result, figures = pgbench.adjacent(4, lambda: 42)
    assert result == 42 and figures["pgbench_tps"] is None
    assert pgbench.ratio(1000.0, figures) is None
    assert "pgbench NOT FOUND" in capsys.readouterr().out


def test_the_single_submission_and_queue_benches_write_their_figures(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import bench_queue, bench_single
    monkeypatch.setattr(bench_single, "ROUNDS", 4)
    monkeypatch.setattr(bench_queue, "SIZES", [6])
    monkeypatch.setattr(bench_queue, "ROUNDS", 2)
    monkeypatch.setattr(bench_surge, "WORKERS", 3)
    monkeypatch.setattr(pgbench, "SECONDS", 1)
    out = tmp_path / "results.json"
    main(["single", "queue"], out)
    results = json.loads(out.read_text())
    single, (queued,) = results["single"], results["queue"]
    assert single["python"]["p50_ms"] > 0 and single["server_step"]["p50_ms"] > 0
    assert single["cells"] == 40 and single["small"]["cells"] == 2
    assert single["small"]["python"]["p50_ms"] > 0 and single["small"]["server_step"]["p50_ms"] > 0
    assert (queued["overbooked"], queued["order_violations"], queued["errors"]) == (0, 0, 0)
    assert queued["requests"] == {"applied": 6}  # every page's request, through the applier
    # Two rounds, each with its pgbench: the lower middle one is kept, both ratios beside it.
    assert queued["rounds"] == 2 and len(queued["ratio_rounds"]) == 2
    assert queued["ratio"] == min(queued["ratio_rounds"])


def test_the_queue_bench_keeps_the_round_of_median_ratio() -> None:
    from bench.bench_queue import median_round

    rounds = [{"ratio": r, "cells_per_s": c} for r, c in ((1.2, 900.0), (1.8, 700.0), (1.5, 800.0))]
    assert median_round(rounds) == {"ratio": 1.5, "cells_per_s": 800.0, "rounds": 3,
                                    "ratio_rounds": [1.2, 1.8, 1.5]}
    # Without pgbench there is no ratio: the round of median rate.
    blind = [{"ratio": None, "cells_per_s": c} for c in (900.0, 700.0, 800.0, 1000.0)]
    assert median_round(blind)["cells_per_s"] == 800.0


def test_the_aims_are_said_met_or_not_from_the_figures() -> None:
    from bench.aims import summary

    clean = {"overbooked": 0, "order_violations": 0}
    results = {
        "surge": [{"families": 100, "ratio": 0.7, **clean},
                  {"families": 1000, "ratio": 1.24, **clean}],
        "queue": [{"families": 1000, "processes": 2, "ratio": 1.6, **clean}],
        "cancel_surge": {"families": 500, "ratio": 0.61, "p95_ms": 2400.0, **clean},
        "single": {"server_step": {"p50_ms": 6.2}},
        "yardstick": [{"families": 1000, "ratio": 3.2, "overbooked": 0, "order_violations": 1}],
    }
    lines = summary(results)
    assert lines[0] == "Issue #17's aims on this machine:"
    said = {line.split(":")[0].strip(): line.rsplit(": ", 1)[1] for line in lines[1:]}
    assert said == {
        "booking surge, 1000 families, each page applying its own submission": "NOT met",
        "booking surge, 1000 families, through the queue and its applier, pages in 2 processes":
            "met",
        "cancellation surge, 500 families": "met",
        "cancellation surge p95": "NOT met",
        "one 40-cell submission, median": "met",
        "overbooked slots and queue-order violations, every surge": "NOT met"}
    assert "1.24 (aim ≥ 1.5)" in lines[1]
    assert summary({"surge": [{"families": 1000, "ratio": None, **clean}]})[1].endswith(
        "no ratio (pgbench missing)")
    assert summary({}) == []
