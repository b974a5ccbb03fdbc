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
    """Run the jobs on `workers` threads released together: elapsed, p50 and p95, errors."""
    elapsed, latencies, errors = _timed(jobs, workers)
    return {"elapsed": elapsed, "errors": errors, **_quantiles(latencies)}


def _timed(jobs: list[Callable[[], object]],
           workers: int) -> tuple[float, list[float], list[str]]:
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
    return time.perf_counter() - started, sorted(latencies), errors


def _quantiles(latencies: list[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds of sorted latencies in seconds."""
    return {"p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
            "p95_ms": (1000 * latencies[int(0.95 * (len(latencies) - 1))]
                       if latencies else float("nan"))}


def run_processes(jobs: list[Callable[[], object]], workers: int,
                  processes: int) -> dict[str, Any]:
    """The same, the jobs dealt in turn to `processes` forked processes of workers ÷
    processes threads each (as app processes, one per core, share a rush): all released
    together; the elapsed time runs from that release to the last one's end."""
    if processes <= 1:
        return run_pool(jobs, workers)
    import multiprocessing

    from db import engine as db_engine

    forked = multiprocessing.get_context("fork")
    start = forked.Barrier(processes + 1)
    pipes = []

    def child(mine: list[Callable[[], object]], out: Any) -> None:
        db_engine.get_engine().dispose(close=False)  # the parent's connections stay its own
        start.wait()
        out.send(_timed(mine, max(1, workers // processes))[1:])
        out.close()

    children = []
    for n in range(processes):
        receive, send = forked.Pipe(duplex=False)
        proc = forked.Process(target=child, args=(jobs[n::processes], send))
        proc.start()
        children.append(proc)
        pipes.append(receive)
    start.wait()
    started = time.perf_counter()
    parts = [pipe.recv() for pipe in pipes]
    elapsed = time.perf_counter() - started
    for proc in children:
        proc.join()
    latencies = sorted(x for times, _ in parts for x in times)
    return {"elapsed": elapsed, "errors": [e for _, errors in parts for e in errors],
            **_quantiles(latencies)}
