"""A real centre's school year, for the dashboards' benchmark: 2 sites, 3 age groups,
4 units, 1,500 children, about a million reservation rows, with attendance, charges,
payments and promotions from the waiting lists.

The catalogue (sites, activities, periods and their capacity slots, tariffs) goes through
the services; people and bookings are bulk-inserted (COPY on PostgreSQL, executemany on
SQLite): a fixture that obeys the booking rules (never over capacity, queue order by
arrival) without paying a transaction per cell. The database is kept and reused when it
already holds this year.

    python -m bench.generate sqlite:////tmp/portail_bench_dash.db
"""
from __future__ import annotations

import random
import sys
import time as clock
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, insert, select, text

from db import engine as db_engine
from db.bootstrap import migrate
from db.models import (AuditEntry, CapacitySlot, Charge, Child, Family, Guardian, Payment,
                       PaymentAllocation, Period, Promotion, Registration, Reservation, Tariff,
                       QfBracket, Unit)
from services.actor import SYSTEM
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.catalogue.setup import UnitSpec

MARK = "bench_generate"
UNITS = [("ACCUEIL RELAI MATIN", time(7, 30), time(8, 30), 150, 0.80, 205),
         ("MATIN AVEC REPAS", time(8, 30), time(13, 30), 420, 0.95, 245),
         ("APRES-MIDI", time(13, 30), time(17, 0), 280, 0.95, 245),
         ("ACCUEIL RELAI SOIR", time(17, 0), time(18, 30), 150, 0.80, 205)]
GROUPS = [("2/3 ans", 2, 3), ("4/5 ans", 4, 5), ("6/12 ans", 6, 12)]
BRACKETS = [("QF 0 à 700", 0, 700, 0.5), ("QF 701 à 1200", 701, 1200, 0.75),
            ("QF plus de 1200", 1201, 100_000, 1.0)]


def school_year(today: date) -> tuple[date, date]:
    first = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    return first, date(first.year + 1, 7, 4)


def generate(url: str, children: int = 1500, seed: int = 2026) -> dict[str, int]:
    """Build (or reuse) the year in `url`; returns row counts."""
    import os

    os.environ["DATABASE_URL"] = url
    db_engine.reset_engine()
    migrate(url)
    found = _cached(children)
    if found:
        return found
    started = clock.perf_counter()
    _empty(url)
    rng = random.Random(seed)
    today = datetime.now(LOCAL).date()
    catalogue = _catalogue(today)
    print(f"  catalogue: {clock.perf_counter() - started:.1f} s", flush=True)
    rows = _people_and_bookings(rng, catalogue, children, today)
    print(f"  rows built: {clock.perf_counter() - started:.1f} s", flush=True)
    order = [Family, Guardian, Child, Registration, Reservation, Promotion, Charge, Payment,
             PaymentAllocation]
    for model in order:
        _bulk(model.__table__, _complete(model.__table__, rows[model.__table__]))
    _finish(url)
    counts = {t.name: len(b) for t, b in rows.items()}
    with db_engine.get_engine().begin() as conn:
        conn.execute(insert(AuditEntry), [dict(
            actor="bench", source="system", action=MARK, entity="reservation",
            entity_id=counts["reservation"], details=str(children),
            at=datetime.now(timezone.utc))])
    print(f"  generated in {clock.perf_counter() - started:.1f} s: {counts}", flush=True)
    return counts


def _cached(children: int) -> dict[str, int] | None:
    with db_engine.get_engine().connect() as conn:
        mark = conn.execute(select(AuditEntry.entity_id).where(
            AuditEntry.action == MARK, AuditEntry.details == str(children))).scalar()
        if mark is None:
            return None
        count = conn.execute(select(func.count()).select_from(Reservation)).scalar()
    return {"reservation": count} if count == mark else None


def _empty(url: str) -> None:
    from db.base import Base

    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with db_engine.get_engine().begin() as conn:
        if url.startswith("postgresql"):
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


def _catalogue(today: date) -> dict:  # type: ignore[type-arg]
    a = SYSTEM
    first, last = school_year(today)
    opened = datetime.combine(first - timedelta(days=30), time(7), tzinfo=LOCAL)
    org = setup.create_organisation(a, "Centre Social Bench")
    peri = setup.ensure_activity_type(a, "PERI", "Périscolaire")
    groups = [setup.create_age_group(a, org, lbl, lo, hi) for lbl, lo, hi in GROUPS]
    specs = [UnitSpec(n, s, e, p, capacity=c) for n, s, e, p, _, c in UNITS]
    periods = []
    for site_name in ("Les Chats Perchés", "Saint Gabriel"):
        site = setup.create_site(a, org, site_name)
        for label, weekdays in (("PERISCOLAIRE", "1245"), ("MERCREDI", "3")):
            activity = setup.create_activity(a, site, peri, f"{site_name.upper()} {label}", specs)
            for group in groups:
                periods.append((site, setup.create_period(
                    a, activity, group, f"{label} {group}", first, last, opened,
                    weekdays=weekdays)))
    with db_engine.read() as session:
        unit_ids = [u for u, in session.execute(select(Unit.id))]
    for label, lo, hi, ratio in BRACKETS:
        with db_engine.read() as session:
            prices = dict(session.execute(select(Unit.id, Unit.price_cents)).all())
        setup.create_bracket(a, org, label, lo, hi,
                             {u: int(round(prices[u] * ratio)) for u in unit_ids})
    return {"org": org, "periods": periods, "groups": groups, "opened": opened}


def _people_and_bookings(rng: random.Random, cat: dict, n_children: int,  # type: ignore[type-arg]
                         today: date) -> dict:  # type: ignore[type-arg]
    with db_engine.read() as session:
        period_rows = session.execute(select(Period.id, Period.age_group_id, Period.activity_id)
                                      ).all()
        slots = session.execute(select(CapacitySlot.id, CapacitySlot.unit_id,
                                       CapacitySlot.age_group_id, CapacitySlot.day,
                                       CapacitySlot.places)).all()
        units = session.execute(select(Unit.id, Unit.activity_id, Unit.position)).all()
        tariff = {(u, lo): p for u, lo, p in session.execute(
            select(Tariff.unit_id, QfBracket.qf_min, Tariff.price_cents)
            .join(QfBracket, QfBracket.id == Tariff.bracket_id))}
    site_of_period = dict((p, s) for s, p in cat["periods"])
    by_site_group = defaultdict(list)
    for pid, gid, aid in period_rows:
        by_site_group[(site_of_period[pid], gid)].append((pid, aid))
    unit_info = {u: (aid, pos) for u, aid, pos in units}
    slots_of = defaultdict(list)  # (activity, age group) -> [(slot, unit position, day, places)]
    for sid, uid, gid, day, places in slots:
        aid, pos = unit_info[uid]
        slots_of[(aid, gid)].append((sid, uid, pos, day, places))
    now = datetime.now(timezone.utc)
    opened = cat["opened"].astimezone(timezone.utc)
    rows: dict = defaultdict(list)  # type: ignore[type-arg]
    keys = sorted(by_site_group)
    requests = defaultdict(list)  # slot -> [(arrival, reservation tuple)]
    fam_id = child_id = reg_id = 0
    while child_id < n_children:
        fam_id += 1
        qf = rng.choice([450, 900, 1500])
        rows[Family.__table__].append(dict(id=fam_id, organisation_id=cat["org"],
                                           name=f"FAMILLE{fam_id}", qf=qf, phone="0600000000",
                                           created_at=now))
        rows[Guardian.__table__].append(dict(id=fam_id, family_id=fam_id, first_name="Parent",
                                             last_name=f"FAMILLE{fam_id}",
                                             email=f"f{fam_id}@bench.example"))
        for _ in range(min(rng.choice([1, 1, 2, 2, 3]), n_children - child_id)):
            child_id += 1
            site, gid = keys[child_id % len(keys)]
            rows[Child.__table__].append(dict(id=child_id, family_id=fam_id, first_name=f"E{child_id}",
                                              last_name=f"FAMILLE{fam_id}",
                                              birth_date=date(today.year - 7, 3, 1)))
            for pid, aid in by_site_group[(site, gid)]:
                reg_id += 1
                rows[Registration.__table__].append(dict(
                    id=reg_id, child_id=child_id, period_id=pid, family_id=fam_id,
                    state="validated",
                    requested_at=opened, decided_at=opened))
                arrival = opened + timedelta(seconds=rng.randrange(0, 20 * 86400))
                for sid, uid, pos, day, places in slots_of[(aid, gid)]:
                    if rng.random() < UNITS[pos][4]:
                        late = arrival + timedelta(microseconds=rng.randrange(1_000_000))
                        requests[sid].append((late, child_id, reg_id, uid, day, fam_id, qf, places))
    _judge(rng, requests, today, now, tariff, rows)
    activity_of_period = {pid: aid for pid, _, aid in period_rows}
    activity_of = {r["id"]: activity_of_period[r["period_id"]]
                   for r in rows[Registration.__table__]}
    for charge in rows[Charge.__table__]:
        charge["activity_id"] = activity_of[charge["registration_id"]]
    return rows


def _judge(rng: random.Random, requests: dict, today: date, now: datetime,  # type: ignore[type-arg]
           tariff: dict, rows: dict) -> None:  # type: ignore[type-arg]
    """Per slot, in arrival order: places to the first, the rest wait; a few holders cancel
    and hand their place to the queue head (a promotion); past days get attendance."""
    rid = charge_id = 0
    bracket = {450: 0, 900: 701, 1500: 1201}
    paid_upto = today - timedelta(days=30)
    for sid in sorted(requests):
        cells = sorted(requests[sid])
        places = cells[0][7]
        states = ["held"] * min(places, len(cells)) + ["waitlisted"] * max(0, len(cells) - places)
        promoted_at: dict[int, datetime] = {}
        queue = [i for i, s in enumerate(states) if s == "waitlisted"]
        for i in range(min(places, len(cells))):
            if rng.random() < 0.03:
                states[i] = "cancelled"
                if queue:
                    head = queue.pop(0)
                    states[head] = "held"
                    promoted_at[head] = cells[head][0] + timedelta(hours=rng.randrange(1, 300))
        for i, (arrival, child, reg, uid, day, fam, qf, _) in enumerate(cells):
            rid += 1
            state = states[i]
            if state == "held":
                if day < today:
                    roll = rng.random()
                    state = "present" if roll < 0.9 else "absent" if roll < 0.95 else \
                        "absent_justified"
                else:
                    state = "validated"
            rows[Reservation.__table__].append(dict(
                id=rid, registration_id=reg, child_id=child, slot_id=sid, unit_id=uid, day=day,
                state=state, requested_at=arrival, decided_at=promoted_at.get(i, arrival),
                by_staff=False, updated_at=now,
                queue_rank=int(arrival.timestamp() * 1e6) if state == "waitlisted" else None))
            if i in promoted_at:
                rows[Promotion.__table__].append(dict(
                    id=len(rows[Promotion.__table__]) + 1, reservation_id=rid, slot_id=sid,
                    requested_at=arrival, promoted_at=promoted_at[i], state="validated"))
            if state in ("present", "absent", "absent_justified", "validated"):
                charge_id += 1
                amount = tariff[(uid, bracket[qf])]
                due = (promoted_at.get(i, arrival)).date() + timedelta(days=7)
                # Most families pay each month; one in eight leaves its bills unpaid.
                paid = day < paid_upto and fam % 8 != 0
                rows[Charge.__table__].append(dict(
                    id=charge_id, family_id=fam, registration_id=reg, reservation_id=rid,
                    label="prestation", day=day, amount_cents=amount, created_at=arrival,
                    due_on=due, paid_cents=amount if paid else 0))
                if paid:
                    rows[PaymentAllocation.__table__].append(dict(
                        id=charge_id, payment_id=(fam, day.year, day.month),
                        charge_id=charge_id, amount_cents=amount))
    _payments(rows, now)


def _payments(rows: dict, now: datetime) -> None:  # type: ignore[type-arg]
    """One paid payment per family and month, allocated to that month's charges."""
    totals: dict = defaultdict(int)  # type: ignore[type-arg]
    for alloc in rows[PaymentAllocation.__table__]:
        totals[alloc["payment_id"]] += alloc["amount_cents"]
    ids = {key: i + 1 for i, key in enumerate(sorted(totals))}
    for alloc in rows[PaymentAllocation.__table__]:
        alloc["payment_id"] = ids[alloc["payment_id"]]
    for key, pid in ids.items():
        fam, year, month = key
        rows[Payment.__table__].append(dict(
            id=pid, family_id=fam, reference=f"B{pid:011d}", method="cheque", state="paid",
            amount_cents=totals[key], created_at=now, paid_at=now))


def _complete(table, batch: list[dict]) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    """Give every row every column (COPY applies no Python-side default)."""
    fill = {}
    for column in table.columns:
        if batch and column.name not in batch[0]:
            default = column.default
            fill[column.name] = default.arg if default is not None and default.is_scalar \
                else None
    for row in batch:
        row.update(fill)
    return batch


def _bulk(table, batch: list[dict]) -> None:  # type: ignore[no-untyped-def,type-arg]
    """Insert rows fast: COPY on PostgreSQL, one executemany on SQLite."""
    if not batch:
        return
    engine = db_engine.get_engine()
    columns = list(batch[0])
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cur:  # type: ignore[attr-defined]
                with cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row([row[c] for c in columns])
            raw.commit()
        finally:
            raw.close()
    else:
        with engine.begin() as conn:
            for start in range(0, len(batch), 50_000):
                conn.execute(insert(table), batch[start:start + 50_000])


def _finish(url: str) -> None:
    """Places taken and queue lengths follow the reservations; statistics for the planner."""
    holding = "'requested','validated','cancel_requested','present','absent','absent_justified'"
    engine = db_engine.get_engine()
    with engine.begin() as conn:
        conn.execute(text(
            "UPDATE capacity_slot SET booked = (SELECT count(*) FROM reservation r "
            f"WHERE r.slot_id = capacity_slot.id AND r.state IN ({holding})), "
            "waiting = (SELECT count(*) FROM reservation r "
            "WHERE r.slot_id = capacity_slot.id AND r.state = 'waitlisted')"))
        if url.startswith("postgresql"):
            for table in ("family", "guardian", "child", "registration", "reservation", "charge",
                          "payment", "payment_allocation", "promotion"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    if url.startswith("postgresql"):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


if __name__ == "__main__":
    generate(sys.argv[1])
