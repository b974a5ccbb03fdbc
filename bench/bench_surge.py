"""The booking-opening surge on PostgreSQL: N families submit a month of requests at once.

Catalogue through the services; families, children and validated registrations are
bulk-inserted (a bench fixture, not the code under test); every measured submission goes
through services.booking.reserve.reserve. Beside it, for each size:

- pgbench's built-in simple-update right before and right after the surge, with as many
  clients as the thread pool (bench/pgbench.py); the ratio is cells/s ÷ their mean TPS;
- the lock hold per submission, measured in the surge (bench/lockhold.py), and the ceiling
  cells ÷ hold that it allows;
- the same hot-row pattern in raw SQL (bench/yardstick.py), pgbench adjacent too.

    python -m bench.run surge              # 100, 500, 1000 families
    SURGE_FAMILIES=100 python -m bench.run surge
    SURGE_GROUPED=0.2 python -m bench.run surge  # 20 % of families: two children booked
                                                 # « ensemble ou pas du tout »
"""
from __future__ import annotations

import os
from datetime import date, datetime, time as dtime, timedelta
from typing import Any

from sqlalchemy import insert, text

from bench import pgbench, scratch
from bench.lockhold import LockHolds, ceiling
from bench.pool import run_processes
from bench.report import HEADER, LEGEND, line
from bench.yardstick import run_yardstick
from db import engine as db_engine
from db.models import Child, Family, PickupPerson, Registration, UserAccount
from db.states import HOLDS_PLACE, RegistrationState, Role
from services.actor import SYSTEM, Actor
from services.booking.reserve import reserve
from services.booking.together import reserve_together
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.catalogue.queries import unit_ids
from services.catalogue.setup import UnitSpec

PG_ADMIN = os.environ.get("PORTAIL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
WORKERS = int(os.environ.get("SURGE_WORKERS", "24"))
SIZES = [int(n) for n in os.environ.get("SURGE_FAMILIES", "100,500,1000").split(",")]
UNITS_PER_FAMILY = 2  # of 4 units: demand per slot is families / 2 ...
PLACES_SHARE = 4      # ... and places are families / 4: half the requests wait
GROUPED = float(os.environ.get("SURGE_GROUPED", "0"))  # share of families with two children


def _url(name: str) -> str:
    return scratch.url(name)


def _catalogue(families: int) -> tuple[int, list[int], list[date], int]:
    """Organisation, one site, one activity of 4 units, one period of a month of weekdays."""
    a = SYSTEM
    today = datetime.now(LOCAL).date()
    org = setup.create_organisation(a, "Centre de charge")
    site = setup.create_site(a, org, "Site unique")
    kind = setup.ensure_activity_type(a, "PERI", "Périscolaire")
    group = setup.create_age_group(a, org, "6/12 ans", 6, 12)
    places = max(1, families // PLACES_SHARE)
    specs = [UnitSpec(f"UNITE {i}", dtime(7 + 3 * i), dtime(9 + 3 * i), 300 + 100 * i,
                      capacity=places) for i in range(4)]
    activity = setup.create_activity(a, site, kind, "PERI CHARGE", specs)
    start = today + timedelta(days=14 - today.weekday())
    end = start + timedelta(days=27)
    opened = datetime.combine(today - timedelta(days=1), dtime(7), tzinfo=LOCAL)
    period = setup.create_period(a, activity, group, "Mois de charge", start, end, opened)
    days = [start + timedelta(days=i) for i in range(28) if (start + timedelta(days=i)).weekday() < 5]
    return org, unit_ids(activity), days, period


def _families(org: int, period: int, n: int) -> list[tuple[Actor, int]]:
    """Bulk-insert n families, their account, one child each and a validated registration."""
    eng = db_engine.get_engine()
    born = date(datetime.now(LOCAL).year - 8, 3, 1)
    with eng.begin() as conn:
        fam_ids = list(conn.execute(insert(Family).returning(Family.id), [
            {"organisation_id": org, "name": f"FAMILLE {i}", "email": f"f{i}@charge.example"}
            for i in range(n)]).scalars())
        users = list(conn.execute(insert(UserAccount).returning(UserAccount.id), [
            {"email": f"f{i}@charge.example", "display_name": f"Parent {i}",
             "role": Role.FAMILY.value, "family_id": fid} for i, fid in enumerate(fam_ids)]).scalars())
        kids = list(conn.execute(insert(Child).returning(Child.id), [
            {"family_id": fid, "first_name": f"Enfant{i}", "last_name": f"FAMILLE {i}",
             "birth_date": born} for i, fid in enumerate(fam_ids)]).scalars())
        # Each family has named its emergency contact, as the portal asks before a first booking.
        conn.execute(insert(PickupPerson), [
            {"family_id": fid, "name": f"Contact {i}", "relationship": "Grand-parent",
             "phone": "06 00 00 00 00", "may_pick_up": True, "emergency": True}
            for i, fid in enumerate(fam_ids)])
        regs = list(conn.execute(insert(Registration).returning(Registration.id), [
            {"child_id": kid, "period_id": period, "family_id": fid,
             "state": RegistrationState.VALIDATED.value}
            for kid, fid in zip(kids, fam_ids)]).scalars())
    return [(Actor(uid, Role.FAMILY, f"Parent {i}", family_id=fid), reg)
            for i, (uid, fid, reg) in enumerate(zip(users, fam_ids, regs))]


def _second_children(period: int, bookers: list[tuple[Actor, int]],
                     share: float) -> dict[int, int]:
    """A second child registered for the first `share` of the families: their first
    registration -> the sibling's, booked together (services.booking.together)."""
    chosen = bookers[:int(len(bookers) * share)]
    if not chosen:
        return {}
    born = date(datetime.now(LOCAL).year - 7, 5, 1)
    with db_engine.get_engine().begin() as conn:
        kids = list(conn.execute(insert(Child).returning(Child.id, sort_by_parameter_order=True), [
            {"family_id": a.family_id, "first_name": "Cadet", "last_name": "FAMILLE",
             "birth_date": born} for a, _ in chosen]).scalars())
        regs = list(conn.execute(insert(Registration).returning(
            Registration.id, sort_by_parameter_order=True), [
            {"child_id": kid, "period_id": period, "family_id": a.family_id,
             "state": RegistrationState.VALIDATED.value}
            for kid, (a, _) in zip(kids, chosen)]).scalars())
    return {reg: sibling for (_, reg), sibling in zip(chosen, regs)}


def _surge(bookers: list[tuple[Actor, int]], units: list[int], days: list[date],
           siblings: dict[int, int] | None = None, processes: int = 1) -> dict[str, Any]:
    """Every family submits its month; all pool workers start at the same instant (those
    with a sibling in `siblings` book both children together, in one submission), from
    one process or from `processes` processes sharing the workers."""
    jobs = []
    for i, (actor, reg) in enumerate(bookers):
        mine = [units[(i + k) % len(units)] for k in range(UNITS_PER_FAMILY)]
        jobs.append((actor, reg, [(d, u) for d in days for u in mine]))
    sib = siblings or {}
    run = run_processes([lambda job=job: reserve(*job) if job[1] not in sib else
                         reserve_together(job[0], [job[1], sib[job[1]]], job[2])
                         for job in jobs], WORKERS, processes)
    cells = sum(len(c) * (2 if r in sib else 1) for _, r, c in jobs)
    return {"elapsed": run["elapsed"], "requests": len(jobs), "cells": cells,
            "errors": run["errors"], "p50_ms": run["p50_ms"], "p95_ms": run["p95_ms"]}


def check(conn) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(overbooked or miscounted slots, queue-order violations) in the whole database."""
    holds = ", ".join(f"'{s.value}'" for s in HOLDS_PLACE)
    overbooked = conn.execute(text(f"""
        SELECT count(*) FROM capacity_slot s LEFT JOIN (
            SELECT slot_id, count(*) FILTER (WHERE state IN ({holds})) AS held,
                   count(*) FILTER (WHERE state = 'validated') AS validated,
                   count(*) FILTER (WHERE state = 'waitlisted') AS waiting
            FROM reservation GROUP BY slot_id) r ON r.slot_id = s.id
        WHERE s.booked > s.places OR coalesce(r.held, 0) <> s.booked
           OR coalesce(r.validated, 0) > s.places
           OR coalesce(r.waiting, 0) <> s.waiting""")).scalar_one()
    older_waiting = conn.execute(text(f"""
        SELECT count(*) FROM reservation w JOIN reservation v
          ON v.slot_id = w.slot_id AND v.state IN ({holds})
         AND v.requested_at > w.requested_at
        WHERE w.state = 'waitlisted'""")).scalar_one()
    # The waiting list read head first must be in arrival order.
    misordered = conn.execute(text("""
        SELECT count(*) FROM (
            SELECT requested_at, lag(requested_at) OVER (
                PARTITION BY slot_id ORDER BY queue_rank, id) AS before
            FROM reservation WHERE state = 'waitlisted') q
        WHERE q.before > q.requested_at""")).scalar_one()
    return int(overbooked), int(older_waiting) + int(misordered)


def groups_split(conn) -> int:  # type: ignore[no-untyped-def]
    """Groups of siblings booked together with some live members waiting and others not."""
    return int(conn.execute(text("""
        SELECT count(*) FROM (SELECT group_id FROM reservation
            WHERE group_id IS NOT NULL AND state NOT IN ('cancelled', 'refused')
            GROUP BY group_id
            HAVING count(DISTINCT state = 'waitlisted') > 1) g""")).scalar_one())


def pgbench_tps(clients: int, seconds: int = 5) -> float:
    """pgbench's simple-update TPS once (the benches use bench.pgbench.adjacent)."""
    return pgbench.once(clients, seconds) or float("nan")


def one_size(families: int) -> dict[str, Any]:
    with scratch.portal("portail_surge"):
        org, units, days, period = _catalogue(families)
        bookers = _families(org, period, families)
        with LockHolds(db_engine.get_engine()) as holds:
            figures, bench = pgbench.adjacent(WORKERS, lambda: _surge(
                bookers, units, days, _second_children(period, bookers, GROUPED)))
        with db_engine.get_engine().connect() as conn:
            overbooked, violations = check(conn)
            split = groups_split(conn)
            # Cells on days without slots (public holidays) are refused before any lock:
            # rates count the cells written, as the yardstick's do.
            written, open_days = conn.execute(text(
                "SELECT (SELECT count(*) FROM reservation), "
                "(SELECT count(DISTINCT day) FROM capacity_slot)")).one()
    cells_per_s = written / figures["elapsed"]
    return {"families": families, "workers": WORKERS, "cells": written,
            "cells_requested": figures["cells"], "days": open_days,
            "requests_per_s": round(figures["requests"] / figures["elapsed"], 1),
            "cells_per_s": round(cells_per_s, 1), "p50_ms": round(figures["p50_ms"], 1),
            "p95_ms": round(figures["p95_ms"], 1), **bench,
            "ratio": pgbench.ratio(cells_per_s, bench), "overbooked": overbooked,
            "order_violations": violations, "groups_split": split, "grouped_share": GROUPED,
            "errors": len(figures["errors"]),
            "first_error": figures["errors"][0] if figures["errors"] else "",
            **ceiling(holds.holds, written, figures["elapsed"])}


def yardstick(families: int, days: int) -> dict[str, Any]:
    """The raw-SQL hot-row pattern at the same size, pgbench adjacent to it too."""
    row, bench = pgbench.adjacent(WORKERS, lambda: run_yardstick(
        families, days, UNITS_PER_FAMILY, WORKERS))
    return {**row, **bench, "ratio": pgbench.ratio(row["cells_per_s"], bench)}


def run(results: dict[str, Any]) -> None:
    rows, sticks = [], []
    print(LEGEND)
    print(HEADER)
    for n in SIZES:
        row = one_size(n)
        stick = yardstick(n, row["days"])
        rows.append(row)
        sticks.append(stick)
        for label, r in (("portal", row), ("raw SQL", stick)):
            print(line(label, r), flush=True)
            if r["first_error"]:
                print("   first error:", r["first_error"])
        for r in (row, stick):
            print(f"{'':>8} {'':<9} pgbench before {r['pgbench_tps_before']}, "
                  f"after {r['pgbench_tps_after']}", flush=True)
        if GROUPED:
            print(f"   {GROUPED:.0%} of families booking two children together; "
                  f"groups split: {row['groups_split']}")
    results["surge"] = rows
    results["yardstick"] = sticks
