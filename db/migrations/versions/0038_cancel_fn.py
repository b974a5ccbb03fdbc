"""a cancellation on PostgreSQL as one server-side step: portail_cancel() locks the slots,
takes the clock, decides every cell, cancels, gives places back and promotes the heads of
the queues in one call (issue #17)

Revision ID: 0038_cancel_fn
Revises: 0037_requested_by
"""
from __future__ import annotations

from alembic import op

revision = "0038_cancel_fn"
down_revision = "0037_requested_by"
branch_labels = None
depends_on = None

# The rules are services/booking/cancel.py's and promotion.py's (the reference, and SQLite's
# path). What needs Python (texts, prices, recipients, credit notes) is done by
# services/booking/cancel_step.py from what this returns, in the same transaction.
# Siblings booked together (group_id) are left to the Python path: 'fallback', nothing
# written.
CREATE = r"""
CREATE FUNCTION portail_cancel(
    p_registration integer,
    p_ids integer[],          -- the reservations to cancel, in id order
    p_cutoff timestamptz[],   -- each one's cancel deadline (NULL: none, staff)
    p_staff boolean,          -- staff cancel past deadlines and reception's bookings
    p_validates boolean,      -- a validated cell is cancelled at once (else: a request)
    p_now timestamptz DEFAULT NULL)  -- judged at (the queue: the request's arrival), else
                                     -- the clock once the locks are granted
RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
    v_now timestamptz;
    v_locked timestamptz;
    v_id integer[];
    v_slot integer[];
    v_state text[];
    v_out text[];
    v_why smallint[];
    v_grouped boolean;
    v_cells jsonb;
    v_charges jsonb;
    v_heads jsonb;
    v_guardians jsonb;
    v_review integer[];
    v_rows integer;
    v_at timestamptz[];
    v_dslot integer[];
    v_dfreed integer[];
    v_dgone integer[];
BEGIN
    -- Locks in id order (the order of every other booking path), then the clock.
    PERFORM 1 FROM capacity_slot
      WHERE id IN (SELECT slot_id FROM reservation
                    WHERE id = ANY (p_ids) AND registration_id = p_registration)
      ORDER BY id FOR UPDATE;
    v_locked := clock_timestamp();
    v_now := coalesce(p_now, v_locked);

    -- Each cell as the previous lock holder left it, and what becomes of it; why a cell is
    -- refused: 1 no longer cancellable, 2 booked by reception, 3 past its deadline.
    SELECT array_agg(r.id ORDER BY k.i), array_agg(r.slot_id ORDER BY k.i),
           array_agg(r.state ORDER BY k.i),
           array_agg(CASE WHEN r.state = 'cancelled' THEN 'already_cancelled'
                          WHEN r.state = 'cancel_requested' THEN 'already_cancel_requested'
                          WHEN r.state NOT IN ('requested', 'waitlisted', 'validated')
                               OR (r.by_staff AND NOT p_staff)
                               OR (NOT p_staff AND v_now > p_cutoff[k.i]) THEN 'rejected'
                          WHEN r.state = 'validated' AND NOT p_validates THEN 'cancel_requested'
                          ELSE 'cancelled' END ORDER BY k.i),
           array_agg(CASE WHEN r.state IN ('cancelled', 'cancel_requested') THEN 0
                          WHEN r.state NOT IN ('requested', 'waitlisted', 'validated') THEN 1
                          WHEN r.by_staff AND NOT p_staff THEN 2
                          WHEN NOT p_staff AND v_now > p_cutoff[k.i] THEN 3
                          ELSE 0 END::smallint ORDER BY k.i),
           bool_or(r.group_id IS NOT NULL)
      INTO v_id, v_slot, v_state, v_out, v_why, v_grouped
      FROM unnest(p_ids) WITH ORDINALITY AS k(id, i)
      JOIN reservation r ON r.id = k.id AND r.registration_id = p_registration;
    IF coalesce(array_length(v_id, 1), 0) <> coalesce(array_length(p_ids, 1), 0) THEN
        RETURN jsonb_build_object('status', 'not_found');
    END IF;
    IF v_grouped THEN  -- siblings booked together: services/booking/cancel.py's path
        RETURN jsonb_build_object('status', 'fallback');
    END IF;
    SELECT jsonb_agg(jsonb_build_array(c.id, c.state, c.outcome, c.why) ORDER BY c.i)
      INTO v_cells FROM unnest(v_id, v_state, v_out, v_why) WITH ORDINALITY
                        AS c(id, state, outcome, why, i);

    UPDATE reservation r
       SET state = c.outcome,
           decided_at = CASE WHEN c.outcome = 'cancelled' THEN v_now ELSE r.decided_at END,
           queue_rank = CASE WHEN c.outcome = 'cancelled' THEN NULL ELSE r.queue_rank END,
           updated_at = v_now
      FROM unnest(v_id, v_out) AS c(id, outcome)
     WHERE r.id = c.id AND c.outcome IN ('cancelled', 'cancel_requested');

    -- Charges: locked in id order (a payment's order), cancelled; what was paid or
    -- invoiced on them goes back as credit notes in Python (services/billing/credits.py).
    WITH live AS (
        SELECT id FROM charge
         WHERE reservation_id IN (SELECT c.id FROM unnest(v_id, v_out) AS c(id, outcome)
                                   WHERE c.outcome = 'cancelled')
           AND cancelled_at IS NULL
         ORDER BY id FOR UPDATE),
    done AS (
        UPDATE charge SET cancelled_at = v_now WHERE id IN (SELECT id FROM live)
        RETURNING id, paid_cents, invoice_id)
    SELECT coalesce(jsonb_agg(jsonb_build_array(id, paid_cents, invoice_id) ORDER BY id),
                    '[]'::jsonb)
      INTO v_charges FROM done;

    -- Places and queues given back, per slot: written once, with the promotions below
    -- (one UPDATE of the slots instead of two).
    SELECT array_agg(d.slot_id ORDER BY d.slot_id), array_agg(d.freed ORDER BY d.slot_id),
           array_agg(d.gone ORDER BY d.slot_id),
           array_agg(d.slot_id ORDER BY d.slot_id) FILTER (WHERE d.freed > 0)
      INTO v_dslot, v_dfreed, v_dgone, v_review
      FROM (SELECT c.slot_id,
                   (count(*) FILTER (WHERE c.state <> 'waitlisted'))::integer AS freed,
                   (count(*) FILTER (WHERE c.state = 'waitlisted'))::integer AS gone
              FROM unnest(v_slot, v_state, v_out) AS c(slot_id, state, outcome)
             WHERE c.outcome = 'cancelled' GROUP BY c.slot_id) d;

    -- The heads of every freed slot's queue, as many as it has free places, read from
    -- ix_reservation_queue (services/booking/promotion.py's query).
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', q.id, 'slot_id', q.slot_id, 'registration_id', q.registration_id,
               'unit_id', q.unit_id, 'day', q.day, 'requested_at', q.requested_at,
               'state', CASE WHEN p.auto_validate THEN 'validated' ELSE 'requested' END,
               'family_id', f.id, 'qf', f.qf, 'activity_id', p.activity_id,
               'first_name', ch.first_name, 'period_start', p.start_date,
               'pay_days', p.pay_days_before_start, 'unit_name', u.name,
               'price', u.price_cents, 'meal', u.meal_cents, 'has_meal', u.has_meal,
               'charged', EXISTS (SELECT 1 FROM charge c WHERE c.reservation_id = q.id
                                                         AND c.cancelled_at IS NULL),
               'family_email', f.email, 'activity', a.name, 'group_id', q.group_id,
               'requested_by', q.requested_by)
             ORDER BY q.slot_id, q.queue_rank, q.id), '[]'::jsonb)
      INTO v_heads
      FROM capacity_slot s
      JOIN unnest(v_dslot, v_dfreed) AS fr(slot_id, freed) ON fr.slot_id = s.id
      CROSS JOIN LATERAL (
            SELECT r.id, r.slot_id, r.registration_id, r.unit_id, r.day, r.requested_at,
                   r.group_id, r.queue_rank, r.requested_by
              FROM reservation r
             WHERE r.slot_id = s.id AND r.state = 'waitlisted'
             ORDER BY r.queue_rank, r.id
             LIMIT greatest(s.places - s.booked + fr.freed, 0)) q
      JOIN registration g ON g.id = q.registration_id
      JOIN period p ON p.id = g.period_id
      JOIN activity a ON a.id = p.activity_id
      JOIN child ch ON ch.id = g.child_id
      JOIN family f ON f.id = g.family_id
      JOIN unit u ON u.id = q.unit_id
     WHERE s.id = ANY (coalesce(v_review, '{}'));

    IF jsonb_path_exists(v_heads, '$[*] ? (@.group_id != null)') THEN
        -- Siblings waiting together are seated whole by services/booking/groups.py, from
        -- the places given back here.
        UPDATE capacity_slot s SET booked = s.booked - d.freed, waiting = s.waiting - d.gone
          FROM unnest(v_dslot, v_dfreed, v_dgone) AS d(slot_id, freed, gone)
         WHERE s.id = d.slot_id;
        RETURN jsonb_build_object('status', 'promote_in_python', 'now', v_now,
                                  'locked', v_locked,
                                  'charges', v_charges, 'cells', v_cells,
                                  'review', to_jsonb(coalesce(v_review, '{}')));
    END IF;

    -- The heads as arrays: unnest() is planned as a few rows, so each UPDATE reaches its
    -- rows by primary key (a jsonb record set is planned as 100 rows: a hash join over the
    -- whole reservation table, 6 ms at 100 families).
    SELECT array_agg(x.id ORDER BY x.n), array_agg(x.slot_id ORDER BY x.n),
           array_agg(x.state ORDER BY x.n), array_agg(x.requested_at ORDER BY x.n)
      INTO v_id, v_slot, v_state, v_at
      FROM ROWS FROM (jsonb_to_recordset(v_heads)
                      AS (id integer, slot_id integer, state text, requested_at timestamptz))
           WITH ORDINALITY AS x(id, slot_id, state, requested_at, n);
    UPDATE reservation r
       SET state = h.state, decided_at = CASE WHEN h.state = 'validated' THEN v_now END,
           queue_rank = NULL, updated_at = v_now
      FROM unnest(v_id, v_state) AS h(id, state) WHERE r.id = h.id;
    INSERT INTO promotion (reservation_id, slot_id, requested_at, promoted_at, state)
    SELECT h.id, h.slot_id, h.requested_at, v_now, h.state
      FROM unnest(v_id, v_slot, v_at, v_state) WITH ORDINALITY AS h(id, slot_id, requested_at,
                                                                      state, n)
     ORDER BY h.n;
    -- Each slot: its places given back, less those the heads took; its queue shorter by
    -- the requests cancelled and the heads promoted. Never past capacity.
    UPDATE capacity_slot s
       SET booked = s.booked - d.freed + coalesce(t.n, 0),
           waiting = s.waiting - d.gone - coalesce(t.n, 0)
      FROM unnest(v_dslot, v_dfreed, v_dgone) AS d(slot_id, freed, gone)
      LEFT JOIN (SELECT h.slot_id, count(*)::integer AS n FROM unnest(v_slot) AS h(slot_id)
                  GROUP BY h.slot_id) t ON t.slot_id = d.slot_id
     WHERE s.id = d.slot_id AND s.booked - d.freed + coalesce(t.n, 0) <= s.places;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows <> coalesce(array_length(v_dslot, 1), 0) THEN
        RAISE EXCEPTION 'capacity changed under a held lock';
    END IF;

    -- Who may receive the promoted families' mails (services/mail/recipients.py decides).
    SELECT coalesce(jsonb_agg(jsonb_build_array(gd.family_id, gd.id, gd.email,
                                                gd.mail_preference, gd.is_payer, ua.id)
                              ORDER BY gd.family_id, gd.id), '[]'::jsonb)
      INTO v_guardians
      FROM guardian gd LEFT JOIN user_account ua ON ua.guardian_id = gd.id
     WHERE gd.family_id IN (SELECT x.family_id
                              FROM jsonb_to_recordset(v_heads) AS x(family_id integer))
       AND gd.email <> '' AND gd.relationship <> 'Contact';

    RETURN jsonb_build_object('status', 'done', 'now', v_now, 'locked', v_locked,
                              'charges', v_charges,
                              'cells', v_cells, 'heads', v_heads, 'guardians', v_guardians);
END
$fn$
"""

DROP = "DROP FUNCTION portail_cancel"


def upgrade() -> None:
    # SQLite has no stored functions: it keeps its single-writer path in Python.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DROP)
