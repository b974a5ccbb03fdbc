"""one server-side step per submission on PostgreSQL: portail_submit() locks the slots,
takes the clock, decides every cell and writes everything in one call (issue #17)

Revision ID: 0034_submit_fn
Revises: 0031_groups
"""
from __future__ import annotations

from alembic import op

revision = "0034_submit_fn"
down_revision = "0031_groups"
branch_labels = None
depends_on = None

# The rules are those of services/booking/reserve.py (the reference, and SQLite's path);
# every text (mail lines, reasons, audit details) comes rendered from Python, see
# services/booking/server_step.py. Cells come in submission order (day, unit id).
CREATE = r"""
CREATE FUNCTION portail_submit(
    p_slot integer[], p_unit integer[], p_day date[],
    p_cutoff timestamptz[],  -- each cell's add deadline (NULL: none, staff)
    p_opens timestamptz,     -- when booking opens (NULL: no check, staff)
    p_granted text,          -- the state of a cell given a place: validated or requested
    p_registration integer, p_child integer, p_family integer, p_activity integer,
    p_by_staff boolean,
    p_charge_label text[], p_charge_cents integer[], p_charge_meal integer[],
    p_due_day date[], p_due_on date[],  -- a charge made on local day p_due_day[k] is due p_due_on[k]
    -- each cell's mail line for each outcome: refused before the opening, refused (closed
    -- day or too late), already held, given a place, first in the queue, n-th (p_nth
    -- standing for n); p_mail_rank: the line's place in the mail
    p_line_open text[], p_line_shut text[], p_line_other text[], p_line_kept text[], p_line_granted text[],
    p_line_first text[], p_line_nth text[], p_nth text, p_mail_rank integer[],
    p_mail_to text[], p_mail_guardian integer[], p_mail_kind text, p_mail_subject text, p_mail_head text, p_mail_tail text,
    p_mail_state text,
    p_user integer, p_actor text, p_source text, p_action text,
    p_details text[])  -- the audit details, cut where each cell's outcome goes (JSON string)
-- locked_at: the clock taken once the locks were granted (the bench measures the hold)
RETURNS TABLE (cell_outcome text, cell_reason smallint, cell_position integer,
               locked_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
    v_now timestamptz;
    v_rank bigint;
    v_due date;
    v_out text[];
    v_why smallint[];
    v_pos integer[];
    v_rows integer;
BEGIN
    -- Locks in id order (no deadlock between two submissions), then the clock, then a
    -- statement whose snapshot sees what the previous holder committed.
    PERFORM 1 FROM capacity_slot WHERE id = ANY (p_slot) ORDER BY id FOR UPDATE;
    v_now := clock_timestamp();
    -- As Python's int(now.timestamp() * 1_000_000): the same double arithmetic.
    v_rank := trunc(extract(epoch FROM v_now)::float8 * 1000000)::bigint;
    v_due := p_due_on[array_position(p_due_day, (v_now AT TIME ZONE 'Europe/Paris')::date)];

    SELECT array_agg(d.outcome ORDER BY d.i), array_agg(d.why ORDER BY d.i),
           array_agg(CASE WHEN d.outcome = 'waitlisted' THEN d.waiting + 1 END ORDER BY d.i)
      INTO v_out, v_why, v_pos
      FROM (SELECT c.i, s.waiting,
                   CASE WHEN s.id IS NULL OR v_now < p_opens OR v_now > c.cutoff
                             OR d_other.held THEN 'rejected'
                        -- the predicate of uq_reservation_active, answered from that index
                        WHEN EXISTS (SELECT 1 FROM reservation mine
                                      WHERE mine.child_id = p_child AND mine.unit_id = s.unit_id
                                        AND mine.day = s.day
                                        AND mine.state NOT IN ('cancelled', 'refused'))
                             THEN 'unchanged'
                        -- a free place goes to the queue first: a newcomer never jumps it
                        WHEN s.places - s.booked > 0 AND s.waiting = 0 THEN p_granted
                        ELSE 'waitlisted' END AS outcome,
                   (CASE WHEN s.id IS NULL THEN 2 WHEN d_other.held THEN 3
                         WHEN v_now < p_opens THEN 1
                         WHEN v_now > c.cutoff THEN 2 ELSE 0 END)::smallint AS why
              FROM unnest(p_slot, p_cutoff) WITH ORDINALITY AS c(slot_id, cutoff, i)
              LEFT JOIN capacity_slot s ON s.id = c.slot_id
              -- the child holds this slot under its other household's registration
              LEFT JOIN LATERAL (SELECT true AS held FROM reservation theirs
                                   JOIN registration r ON r.id = theirs.registration_id
                                  WHERE theirs.slot_id = s.id AND theirs.child_id = p_child
                                    AND r.family_id <> p_family
                                    AND theirs.state NOT IN ('cancelled', 'refused')
                                  LIMIT 1) d_other ON true
            OFFSET 0) d;  -- not flattened: each cell's outcome is decided once

    UPDATE capacity_slot s
       SET booked = s.booked + (d.outcome = p_granted)::int,
           waiting = s.waiting + (d.outcome = 'waitlisted')::int
      FROM unnest(p_slot, v_out) AS d(slot_id, outcome)
     WHERE s.id = d.slot_id AND d.outcome IN (p_granted, 'waitlisted')
       AND s.booked + (d.outcome = p_granted)::int <= s.places;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows <> cardinality(array_positions(v_out, p_granted))
                 + cardinality(array_positions(v_out, 'waitlisted')) THEN
        RAISE EXCEPTION 'capacity changed under a held lock';
    END IF;
    IF v_due IS NULL AND 'validated' = ANY (v_out) THEN
        RAISE EXCEPTION 'no due date given for the day of %', v_now;
    END IF;

    WITH ins AS (
        INSERT INTO reservation (registration_id, child_id, slot_id, unit_id, day, state,
                                 requested_at, decided_at, by_staff, queue_rank, updated_at)
        SELECT p_registration, p_child, c.slot_id, c.unit_id, c.day, c.outcome, v_now,
               CASE WHEN c.outcome = 'validated' THEN v_now END, p_by_staff,
               CASE WHEN c.outcome = 'waitlisted' THEN v_rank END, v_now
          FROM unnest(p_slot, p_unit, p_day, v_out)
               WITH ORDINALITY AS c(slot_id, unit_id, day, outcome, i)
         WHERE c.outcome IN (p_granted, 'waitlisted')
         ORDER BY c.i
        RETURNING id, slot_id, day, state)
    INSERT INTO charge (family_id, registration_id, reservation_id, activity_id, label, day,
                        amount_cents, meal_cents, created_at, due_on)
    SELECT p_family, p_registration, ins.id, p_activity, c.label, ins.day, c.cents, c.meal,
           v_now, v_due
      FROM ins JOIN unnest(p_slot, p_charge_label, p_charge_cents, p_charge_meal)
                    AS c(slot_id, label, cents, meal) ON c.slot_id = ins.slot_id
     WHERE ins.state = 'validated'
     ORDER BY ins.id;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows <> cardinality(array_positions(v_out, 'validated')) THEN
        RAISE EXCEPTION 'a reservation or its charge was not written';
    END IF;

    INSERT INTO audit_entry (at, user_id, actor, source, action, entity, entity_id, details,
                             family_id)
    SELECT v_now, p_user, p_actor, p_source, p_action, 'registration', p_registration,
           string_agg(p_details[k] || coalesce(to_json(v_out[k])::text, ''), '' ORDER BY k),
           p_family
      FROM generate_series(1, cardinality(p_details)) AS k;

    INSERT INTO mail (family_id, recipient, subject, body, state, attempts, last_error,
                      created_at, kind, guardian_id, caused_by)
    SELECT p_family, r.recipient, p_mail_subject, b.body, p_mail_state, 0, '', v_now,
           p_mail_kind, r.guardian, p_user
      FROM (SELECT p_mail_head || E'\n' || string_agg(
                       CASE WHEN l.why = 1 THEN l.open WHEN l.why = 2 THEN l.shut
                            WHEN l.why = 3 THEN l.other
                            WHEN l.outcome = 'unchanged' THEN l.kept
                            WHEN l.outcome <> 'waitlisted' THEN l.granted
                            WHEN l.pos = 1 THEN l.first
                            ELSE replace(l.nth, p_nth, l.pos::text) END,
                       E'\n' ORDER BY l.rank) || E'\n' || p_mail_tail AS body
              FROM unnest(v_out, v_why, v_pos, p_line_open, p_line_shut, p_line_other, p_line_kept,
                          p_line_granted, p_line_first, p_line_nth, p_mail_rank)
                   AS l(outcome, why, pos, open, shut, other, kept, granted, first, nth, rank)) b,
           unnest(p_mail_to, p_mail_guardian) WITH ORDINALITY AS r(recipient, guardian, n)
     ORDER BY r.n;

    RETURN QUERY SELECT o.outcome, o.why, o.pos, v_now
                   FROM unnest(v_out, v_why, v_pos) WITH ORDINALITY AS o(outcome, why, pos, i)
                  ORDER BY o.i;
END
$fn$
"""

DROP = "DROP FUNCTION portail_submit"


def upgrade() -> None:
    # SQLite has no stored functions: it keeps its single-writer path in Python.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DROP)
