"""Dashboards on a real centre's year (bench/generate.py: 1,500 children, ~1.1 million
reservations, ~1 million charges), on SQLite and on PostgreSQL.

For each dashboard page, the services it calls are timed beside bare SQL aggregates that
compute the same numbers, in the same run and on the same database (interleaved, best of
RUNS each); both are printed with
their ratio, and the numbers are checked equal. results["dashboard_ratio"] is the worst
ratio; results["dashboards"] holds every figure.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import create_engine, text

from bench.generate import generate, school_year
from db import engine as db_engine
from services.actor import SYSTEM
from services.reports import attendance, funder, money, occupancy, waitlist
from ui.dashboards import today as local_today

SQLITE_URL = "sqlite:////tmp/portail_bench_dash.db"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/portail_bench_dash"
RUNS = 7

SLOT_ROWS = """
        SELECT cs.day, s.name, a.name, u.name, u.position, ag.label, cs.places, cs.booked,
               coalesce(w.n, 0) AS waiting
        FROM capacity_slot cs JOIN unit u ON u.id = cs.unit_id
        JOIN activity a ON a.id = u.activity_id JOIN site s ON s.id = a.site_id
        JOIN age_group ag ON ag.id = cs.age_group_id
        LEFT JOIN (SELECT slot_id, count(*) AS n FROM reservation WHERE state = 'waitlisted'
                   AND day BETWEEN :s AND :e GROUP BY slot_id) w ON w.slot_id = cs.id
        WHERE cs.day BETWEEN :s AND :e"""
# The same rows the pages show (one per cell, with names), so the ratio is the services'
# own cost: ORM statement building, sessions, scoping, and the DataFrame.
BARE = {
    "occupancy": [SLOT_ROWS],
    "waitlist": [SLOT_ROWS + " AND coalesce(w.n, 0) > 0", """
        SELECT cs.day, s.name, a.name, u.name, ag.label, p.requested_at, p.promoted_at
        FROM promotion p JOIN capacity_slot cs ON cs.id = p.slot_id
        JOIN unit u ON u.id = cs.unit_id JOIN activity a ON a.id = u.activity_id
        JOIN site s ON s.id = a.site_id JOIN age_group ag ON ag.id = cs.age_group_id
        WHERE cs.day BETWEEN :s AND :e"""],
    "attendance": ["""
        SELECT a.site_id, cs.age_group_id, r.unit_id, r.state, count(*) FROM reservation r
        JOIN capacity_slot cs ON cs.id = r.slot_id JOIN unit u ON u.id = r.unit_id
        JOIN activity a ON a.id = u.activity_id
        WHERE r.state IN ('present', 'absent', 'absent_justified') AND r.day BETWEEN :s AND :e
        GROUP BY a.site_id, cs.age_group_id, r.unit_id, r.state""", """
        SELECT r.day, s.name, a.name, u.name, ag.label, c.first_name, c.last_name, f.name,
               f.phone FROM reservation r JOIN capacity_slot cs ON cs.id = r.slot_id
        JOIN unit u ON u.id = r.unit_id JOIN activity a ON a.id = u.activity_id
        JOIN site s ON s.id = a.site_id JOIN age_group ag ON ag.id = cs.age_group_id
        JOIN child c ON c.id = r.child_id JOIN family f ON f.id = c.family_id
        WHERE r.state = 'absent' AND r.day BETWEEN :s AND :e
        ORDER BY r.day, s.name, u.position, c.last_name"""],
    "money": ["""
        SELECT activity_id, day, sum(amount_cents), sum(paid_cents),
               sum(CASE WHEN due_on < :t THEN amount_cents ELSE 0 END),
               sum(CASE WHEN due_on < :t THEN paid_cents ELSE 0 END)
        FROM charge WHERE cancelled_at IS NULL AND day BETWEEN :s AND :e
        GROUP BY activity_id, day""", """
        SELECT family_id, sum(amount_cents), sum(paid_cents) FROM charge
        WHERE cancelled_at IS NULL AND day BETWEEN :s AND :e AND due_on < :t
        GROUP BY family_id"""],
    "funder": ["""
        SELECT u.activity_id, cs.age_group_id, r.unit_id, count(*) FROM reservation r
        JOIN capacity_slot cs ON cs.id = r.slot_id JOIN unit u ON u.id = r.unit_id
        WHERE r.state = 'present' AND r.day BETWEEN :s AND :e
        GROUP BY u.activity_id, cs.age_group_id, r.unit_id""", """
        SELECT activity_id, age_group_id, count(*), count(DISTINCT child_id) FROM (
          SELECT DISTINCT r.child_id, r.day, cs.age_group_id, u.activity_id FROM reservation r
          JOIN capacity_slot cs ON cs.id = r.slot_id JOIN unit u ON u.id = r.unit_id
          WHERE r.state = 'present' AND r.day BETWEEN :s AND :e) x
        GROUP BY activity_id, age_group_id"""],
}
# Money: the two aggregates a bookkeeper would write on this schema (a charge carries its
# activity and what was paid on it). JOINED is the same money read the textbook way, from
# the allocations and through registration and period, printed for reference: it is what
# the page would cost without those two columns.
JOINED = [f"""
        SELECT {key}, sum(c.amount_cents), sum(CASE WHEN c.due_on < :t THEN c.amount_cents
        ELSE 0 END) FROM {src} JOIN registration r ON r.id = c.registration_id
        JOIN period p ON p.id = r.period_id
        WHERE c.cancelled_at IS NULL AND c.day BETWEEN :s AND :e {cond} GROUP BY {key}"""
          for key in ("p.activity_id, c.day", "c.family_id")
          for src, cond in (("charge c", ""), (
              "payment_allocation pa JOIN payment y ON y.id = pa.payment_id "
              "JOIN charge c ON c.id = pa.charge_id", "AND y.state = 'paid'"))]


def _pages(s: date, e: date, t: date) -> dict[str, Callable[[], object]]:
    a = SYSTEM
    return {
        "occupancy": lambda: occupancy.occupancy(a, s, e),
        "waitlist": lambda: (waitlist.waiting(a, s, e), waitlist.promotions(a, s, e)),
        "attendance": lambda: (attendance.attendance(a, s, e), attendance.no_shows(a, s, e)),
        "money": lambda: _money(a, s, e, t),
        "funder": lambda: funder.presence(a, s, e),
    }


def _money(a, s: date, e: date, t: date) -> tuple[object, object]:  # type: ignore[no-untyped-def]
    found = money.summary(a, s, e, t)  # what the page calls: both tables at once
    return found.by_month, found.overdue_families


def _paired(service: Callable[[], object], bare: Callable[[], object]) -> tuple[float, object, float, object]:
    """Best of RUNS for each, the two interleaved so both meet the same load (the machine
    may be shared); the best run is the one least disturbed by others."""
    s_result, b_result = service(), bare()  # warm: caches, plans, imports
    s_times, b_times = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        s_result = service()
        s_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        b_result = bare()
        b_times.append(time.perf_counter() - started)
    return min(s_times), s_result, min(b_times), b_result


def _bare(sqls: list[str], params: dict) -> Callable[[], object]:  # type: ignore[type-arg]
    def work() -> object:
        with db_engine.get_engine().connect() as conn:
            return [conn.execute(text(sql), params).all() for sql in sqls]
    return work


def _check(name: str, service: object, bare: object) -> bool:
    """The service and the bare SQL give the same headline numbers."""
    rows = bare  # type: ignore[assignment]
    if name == "occupancy":
        sums = tuple(sum(r[i] for r in rows[0]) for i in (6, 7, 8))  # type: ignore[index]
        return (int(service["places"].sum()), int(service["booked"].sum()),  # type: ignore[index]
                int(service["waitlisted"].sum())) == sums and len(service) == len(rows[0])  # type: ignore[index,arg-type]
    if name == "waitlist":
        return (int(service[0]["waitlisted"].sum()) == sum(r[8] for r in rows[0])  # type: ignore[index]
                and len(service[1]) == len(rows[1]))  # type: ignore[index]
    if name == "attendance":
        marked = sum(r[4] for r in rows[0])  # type: ignore[index]
        return int(service[0]["marked"].sum()) == marked and len(service[1]) == len(rows[1])  # type: ignore[index]
    if name == "money":
        charged = sum(r[2] for r in rows[0])  # type: ignore[index]
        paid = sum(r[3] for r in rows[0])  # type: ignore[index]
        return (int(service[0]["charged"].sum()), int(service[0]["paid"].sum())) == (charged, paid)  # type: ignore[index]
    acts = sum(r[3] for r in rows[0])  # type: ignore[index]
    days = sum(r[2] for r in rows[1])  # type: ignore[index]
    return (int(service["acts"].sum()), int(service["days"].sum())) == (acts, days)  # type: ignore[index]


def _engine_run(label: str, url: str) -> list[dict]:  # type: ignore[type-arg]
    started = time.perf_counter()
    counts = generate(url)
    print(f"[{label}] database ready in {time.perf_counter() - started:.1f} s "
          f"({counts.get('reservation')} reservations)", flush=True)
    now = local_today()
    first, last = school_year(now)
    month = now.replace(day=1)
    month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    out = []
    for span, (s, e) in (("month", (month, month_end)), ("year", (first, last))):
        params = {"s": s, "e": e, "t": now}
        for name, work in _pages(s, e, now).items():
            service_s, service, bare_s, bare = _paired(work, _bare(BARE[name], params))
            same = _check(name, service, bare)
            ratio = service_s / bare_s if bare_s > 0 else float("inf")
            print(f"[{label}] {name:10s} {span:5s} service {service_s * 1000:8.1f} ms  "
                  f"bare SQL {bare_s * 1000:8.1f} ms  ratio {ratio:5.2f}  "
                  f"same numbers: {'yes' if same else 'NO'}", flush=True)
            out.append({"engine": label, "page": name, "range": span,
                        "service_ms": round(service_s * 1000, 1),
                        "bare_ms": round(bare_s * 1000, 1), "ratio": round(ratio, 2),
                        "same_numbers": same})
            if name == "money":
                _joined(label, span, params, service)
    return out


def _joined(label: str, span: str, params: dict, service: object) -> None:  # type: ignore[type-arg]
    """The money read the textbook way (allocations, joins), for reference: its time, and
    whether the charges' own paid_cents and activity_id give the same figures."""
    work = _bare(JOINED, params)
    rows = work()
    started = time.perf_counter()
    for _ in range(3):
        rows = work()
    took = (time.perf_counter() - started) / 3
    same = (int(service[0]["charged"].sum()), int(service[0]["paid"].sum())) == (  # type: ignore[index]
        sum(r[2] for r in rows[0]), sum(r[2] for r in rows[1]))  # type: ignore[index]
    print(f"[{label}] {'money':10s} {span:5s} read through allocations and joins "
          f"{took * 1000:8.1f} ms (reference)  same numbers: {'yes' if same else 'NO'}",
          flush=True)


def _pg_ready() -> bool:
    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = "
                                     "'portail_bench_dash'")).scalar():
                conn.execute(text("CREATE DATABASE portail_bench_dash"))
        admin.dispose()
        return True
    except Exception as exc:  # noqa: BLE001  (no PostgreSQL here: say so, bench SQLite only)
        print(f"PostgreSQL unavailable ({exc.__class__.__name__}): SQLite only")
        return False


def run(results: dict) -> None:  # type: ignore[type-arg]
    figures = _engine_run("sqlite", SQLITE_URL)
    if _pg_ready():
        figures += _engine_run("postgresql", PG_URL)
    db_engine.reset_engine()
    results["dashboards"] = figures
    results["dashboard_ratio"] = max(f["ratio"] for f in figures)
    slowest = max(figures, key=lambda f: f["service_ms"])
    print(f"worst ratio {results['dashboard_ratio']}; slowest page {slowest['page']} "
          f"({slowest['engine']}, {slowest['range']}) {slowest['service_ms']} ms")
