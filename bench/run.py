"""`make bench`: run every bench/bench_*.py module and write bench/results.json.

Each module exposes `run(results: dict) -> None`, prints its own figures, and stores its
numbers under its own keys of `results`. Benchmarks never fail on time.
"""
from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

from bench import aims

HERE = Path(__file__).resolve().parent


def main(selected: list[str], out: Path = HERE / "results.json") -> None:
    results: dict[str, object] = {}
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    for name in modules:
        if selected and not any(s in name for s in selected):
            continue
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").run(results)
        print(f"({name}: {time.perf_counter() - started:.1f} s)", flush=True)
    previous = json.loads(out.read_text()) if out.exists() and selected else {}
    out.write_text(json.dumps({**previous, **results}, indent=2, default=str))
    print(f"\nwrote {out}")
    for line in aims.summary(results):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
