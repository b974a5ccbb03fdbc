"""The audit log on screen ("Journal des actions") over a year of entries.

The generated year (bench/generate.py) holds no audit entries, so this bench adds a year of
them once (AUDIT_PER_DAY a day, marked so that a second run reuses them): families'
bookings and cancellations from the portal, staff's payments, attendance and corrections
from the back office. It then times a month's page (the first page, and its count) for a
manager (every site) and for a member of staff of one site, beside bare SQL reading the
same rows, and prints both with their ratio. The issue asks for under 0.5 s.
"""
from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, insert, select, text

from bench.bench_dashboards import PG_URL, SQLITE_URL, _paired, _pg_ready
from bench.generate import _bulk, generate, school_year
from db import engine as db_engine
from db.models import AuditEntry, Family, Site, UserAccount
from db.states import Role
from services.actor import Actor
from services.staff import audit_log
from ui.dashboards import today as local_today

MARK = "bench_audit"
AUDIT_PER_DAY = 1000
KINDS = [("reserve", "registration", "portal", 40), ("cancel", "registration", "portal", 10),
         ("attendance", "reservation", "back_office", 25),
         ("record_desk_payment", "payment", "back_office", 8), ("sign_in", "user_account",
                                                                 "portal", 15),
         ("reverse_desk_payment", "payment", "back_office", 1),
         ("update_family", "family", "back_office", 1)]
BARE = """
    SELECT e.at, e.actor, e.source, e.action, f.name, e.entity, e.entity_id, e.details
    FROM audit_entry e LEFT JOIN family f ON f.id = e.family_id
    WHERE e.at >= :low AND e.at < :high {scope}
    ORDER BY e.at DESC, e.id DESC LIMIT 200"""
COUNT = "SELECT count(*) FROM audit_entry e WHERE e.at >= :low AND e.at < :high {scope}"
SCOPE = """AND (e.family_id IN (SELECT c.family_id FROM child c
    JOIN registration r ON r.child_id = c.id JOIN period p ON p.id = r.period_id
    JOIN activity a ON a.id = p.activity_id WHERE a.site_id = :site) OR e.user_id = :user)"""


def _staff(conn) -> list[int]:  # type: ignore[no-untyped-def]
    ids = list(conn.execute(select(UserAccount.id).where(
        UserAccount.email.like("bench.staff%"))).scalars())
    if ids:
        return ids
    conn.execute(insert(UserAccount), [dict(
        email=f"bench.staff{n}@bench.example", display_name=f"Accueil {n}",
        role=Role.STAFF.value) for n in range(3)])
    return _staff(conn)


def _year_of_entries() -> int:
    """Add a school year of audit entries once; returns how many the table holds."""
    engine = db_engine.get_engine()
    with engine.begin() as conn:
        total = conn.execute(select(func.count()).select_from(AuditEntry)).scalar() or 0
        if conn.execute(select(AuditEntry.id).where(AuditEntry.action == MARK)).first():
            return int(total)
        families = list(conn.execute(select(Family.id)).scalars())
        staff = _staff(conn)
    rng = random.Random(14)
    first, last = school_year(local_today())
    weights = [k[3] for k in KINDS]
    rows = []
    day = first
    while day <= last:
        base = datetime(day.year, day.month, day.day, 6, tzinfo=timezone.utc)
        for _ in range(AUDIT_PER_DAY):
            action, entity, source, _w = rng.choices(KINDS, weights)[0]
            family = rng.choice(families)
            user = rng.choice(staff) if source == "back_office" else None
            rows.append(dict(at=base + timedelta(seconds=rng.randrange(12 * 3600)),
                             user_id=user, actor="Accueil" if user else "Famille",
                             source=source, action=action, entity=entity,
                             entity_id=rng.randrange(1, 10**6), family_id=family,
                             details=json.dumps({"cents": rng.randrange(100, 5000)})))
        day += timedelta(days=1)
    _bulk(AuditEntry.__table__, rows)
    with engine.begin() as conn:
        conn.execute(insert(AuditEntry), [dict(actor="bench", source="system", action=MARK,
                                               entity="audit_entry", entity_id=len(rows))])
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE audit_entry"))
        else:
            conn.execute(text("ANALYZE"))
    return int(total) + len(rows) + 1


def _engine_run(label: str, url: str) -> list[dict]:  # type: ignore[type-arg]
    started = time.perf_counter()
    generate(url)
    entries = _year_of_entries()
    print(f"[{label}] {entries} audit entries ready in {time.perf_counter() - started:.1f} s",
          flush=True)
    now = local_today()
    month = now.replace(day=1)
    end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    with db_engine.get_engine().connect() as conn:
        site = conn.execute(select(Site.id).order_by(Site.id)).scalars().first()
        user = _staff(conn)[0]
    manager = Actor(None, Role.MANAGER, "bench")
    staff = Actor(user, Role.STAFF, "Accueil 0", site_ids=frozenset({site}))
    low, high = audit_log._utc_bounds(month, end)
    out = []
    for who, actor, scope in (("manager", manager, ""), ("staff", staff, SCOPE)):
        params = {"low": low, "high": high, "site": site, "user": user}

        def bare(scope: str = scope, params: dict = params) -> object:  # type: ignore[type-arg]
            with db_engine.get_engine().connect() as conn:
                return (conn.execute(text(COUNT.format(scope=scope)), params).scalar(),
                        conn.execute(text(BARE.format(scope=scope)), params).all())

        service_s, page, bare_s, rows = _paired(
            lambda actor=actor: audit_log.list_entries(actor, month, end), bare)
        same = page.total == rows[0] and len(page.frame) == len(rows[1])  # type: ignore[index]
        ratio = service_s / bare_s if bare_s > 0 else float("inf")
        print(f"[{label}] journal {who:7s} month page ({page.total} entries, "
              f"{len(page.frame)} shown) service {service_s * 1000:7.1f} ms  bare SQL "
              f"{bare_s * 1000:7.1f} ms  ratio {ratio:5.2f}  same rows: "
              f"{'yes' if same else 'NO'}", flush=True)
        out.append({"engine": label, "who": who, "entries": entries, "month_total": page.total,
                    "service_ms": round(service_s * 1000, 1), "bare_ms": round(bare_s * 1000, 1),
                    "ratio": round(ratio, 2), "same_rows": same})
    return out


def run(results: dict) -> None:  # type: ignore[type-arg]
    figures = _engine_run("sqlite", SQLITE_URL)
    if _pg_ready():
        figures += _engine_run("postgresql", PG_URL)
    db_engine.reset_engine()
    results["audit_log"] = figures
    results["audit_log_worst_ms"] = max(f["service_ms"] for f in figures)
    print(f"slowest month's page {results['audit_log_worst_ms']} ms (target: under 500 ms)")


if __name__ == "__main__":
    run({})
