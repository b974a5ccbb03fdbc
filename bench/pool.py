"""A pool of worker threads released together on a list of jobs, as a rush of families
would submit: elapsed time, latencies and errors (a bench counts failures, it does not stop)."""
from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def run_pool(jobs: list[Callable[[], object]], workers: int) -> dict[str, Any]:
    """Run the jobs on `workers` threads released together; elapsed, latencies, errors."""
    barrier = threading.Barrier(workers)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    cursor = iter(jobs)

    def worker() -> None:
        barrier.wait()
        while True:
            with lock:
                job = next(cursor, None)
            if job is None:
                return
            t0 = time.perf_counter()
            try:
                job()
            except Exception as exc:  # noqa: BLE001  (a bench counts failures, it does not stop)
                with lock:
                    errors.append(f"{exc.__class__.__name__}: {exc}"[:200])
                continue
            with lock:
                latencies.append(time.perf_counter() - t0)

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        for f in [pool.submit(worker) for _ in range(workers)]:
            f.result()
    latencies.sort()
    return {"elapsed": time.perf_counter() - started, "errors": errors,
            "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
            "p95_ms": (1000 * latencies[int(0.95 * (len(latencies) - 1))]
                       if latencies else float("nan"))}
