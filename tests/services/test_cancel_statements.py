"""Cancellation with promotion is set-based (issue #17): the number of SQL statements a
cancellation sends does not grow with its cells nor with the length of the queues."""
from __future__ import annotations

from services import organisation
from services.booking.cancel import cancel
from services.booking.reserve import reserve
from tests.conftest import _empty
from tests.invariants import check_all
from tests.services.cancel_world import cells, counted, ids_of, queue_behind, registered
from tests.world import build

# The row-by-row path sent 304 (SQLite) / 303 (PostgreSQL) for 40 cells with queues of 30,
# each freed slot's queue loaded as objects; the set-based one sends 16 / 15.
BOUND = 20


def _cancel_counted(world, days: int, waiting: int) -> list[str]:
    """Léa holds `days` x 4 cells, `waiting` children queue behind each; she cancels them
    all at once: the statements that cancellation sent."""
    wanted = cells(world, days)
    reg = registered(world, world.family_a, world.lea, world.period_peri)
    assert reserve(world.family_a, reg, wanted).count("validated") == len(wanted)
    queue_behind(world, wanted, waiting)
    mine = ids_of(reg)
    organisation.signature()  # the centre's profile is cached: not this use case's work
    with counted() as statements:
        out = cancel(world.family_a, reg, mine)
    assert out.count("cancelled") == len(wanted)
    return statements


def _promoted() -> int:
    from sqlalchemy import func, select

    from db.engine import read
    from db.models import Promotion

    with read() as session:
        return int(session.scalar(select(func.count()).select_from(Promotion)) or 0)


def test_a_40_cell_cancellation_with_queues_of_30_sends_a_bounded_number_of_statements(database):
    world = build(capacity=1)
    sent = _cancel_counted(world, days=10, waiting=30)
    assert _promoted() == 40  # every freed place went to the head of its queue
    assert len(sent) <= BOUND, "\n".join(s[:100] for s in sent)
    check_all()


def test_the_count_does_not_grow_with_cells_or_queues(database):
    small = len(_cancel_counted(build(capacity=1), days=1, waiting=2))
    _empty(database)
    organisation.clear_cache()
    large = len(_cancel_counted(build(capacity=1), days=10, waiting=30))
    assert large == small, (small, large)


def test_rows_past_one_statement_s_worth_are_all_written(database):
    """SQLite binds at most 32,766 values a statement: thousands of rows of many columns (a
    promotion after places raised over a whole year, its mails) are all written, RETURNING
    included, whatever the engine splits them into."""
    from sqlalchemy import func, select

    from db.bulk import insert_rows
    from db.engine import read, transaction
    from db.models import Mail

    rows = [dict(family_id=None, recipient=f"r{i}@test.example", subject=f"s{i}", body="b",
                 state="queued", attempts=0, last_error="", kind="booking", guardian_id=None,
                 caused_by=None, link=None) for i in range(4000)]  # 11 columns: 44,000 values
    with transaction() as session:
        back = insert_rows(session, Mail, rows, returning=(Mail.id, Mail.recipient))
    assert len(back) == 4000 and len({r.id for r in back}) == 4000
    assert {r.recipient for r in back} == {r["recipient"] for r in rows}
    with read() as session:
        assert session.scalar(select(func.count()).select_from(Mail)
                              .where(Mail.subject.like("s%"))) == 4000
