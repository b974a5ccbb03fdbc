"""Payments received per period and per method, for the accountant: one line per payment
(desk, card, sandbox card, credit note, counter-entry) and the totals per method.

A payment belongs to a family, not to a site: a desk of some sites gets the payments of the
families who come to them (as "Derniers encaissements" does). The day is the payment's day
in the centre's time zone (paid_at, or created_at while the bank has not answered).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import func, select

from db.engine import read_rows
from db.models import Family, Payment
from db.states import PaymentMethod, PaymentState
from services.actor import Actor
from services.booking.rules import LOCAL
from services.payments.receipts import METHODS_FR
from services.reports.scope import families_on, resolve

STATES_FR = {PaymentState.PAID.value: "reçu", PaymentState.PENDING.value: "en attente",
             PaymentState.REFUSED.value: "refusé"}
COLUMNS = ["Date", "Heure", "Référence", "Famille", "Mode", "Montant (€)", "État", "Détail"]
TOTAL_COLUMNS = ["Mode", "Nombre", "Montant (€)"]
# What the bank sends back for a card payment is for the bank, not the accountant.
_CARDS = {PaymentMethod.CARD_ONLINE.value, PaymentMethod.CARD_SANDBOX.value}


def euros(cents: int) -> float:
    """Cents as a spreadsheet's number of euros: the export writes 34,65 (CSV) or a real
    number (Excel). A float is only the file's format here; the sums are made in cents."""
    return cents / 100


def _rows(actor: Actor, start: date, end: date,
          site_ids: list[int] | None) -> list[tuple]:  # type: ignore[type-arg]
    sel = resolve(actor, start, end, site_ids)
    when = func.coalesce(Payment.paid_at, Payment.created_at)
    low = datetime.combine(sel.start, time(0), tzinfo=LOCAL)
    high = datetime.combine(sel.end + timedelta(days=1), time(0), tzinfo=LOCAL)
    query = (select(when, Payment.reference, Family.name, Payment.method, Payment.amount_cents,
                    Payment.state, Payment.bank_details)
             .join(Family, Family.id == Payment.family_id)
             .where(when >= low, when < high, families_on(sel.site_ids, Payment.family_id))
             .order_by(when, Payment.id))
    with read_rows() as conn:
        return list(conn.execute(query).all())


def _state(state: str, cents: int) -> str:
    # A counter-entry (negative amount) reverses a payment recorded by mistake.
    return "contre-passation" if cents < 0 else STATES_FR.get(state, state)


def payments_received(actor: Actor, start: date, end: date,
                      site_ids: list[int] | None = None) -> pd.DataFrame:
    """Every payment of the period, oldest first: day, reference, family, method in words,
    amount in euros, state (only "reçu" and counter-entries count in the totals)."""
    out = []
    for at, reference, family, method, cents, state, details in _rows(actor, start, end,
                                                                       site_ids):
        local = at.astimezone(LOCAL)
        out.append([local.date(), f"{local:%H:%M}", reference, family,
                    METHODS_FR.get(method, method), euros(cents), _state(state, cents),
                    "" if method in _CARDS else details])
    return pd.DataFrame(out, columns=COLUMNS)


def totals_by_method(actor: Actor, start: date, end: date,
                     site_ids: list[int] | None = None) -> pd.DataFrame:
    """Per method: how many payments were received in the period and their sum in euros
    (counter-entries deducted), and a last line "Total" of the money received. Credit notes
    have their line but stay out of the total: no money came in with them (the day they give
    back was paid once, by the payment already counted), and spending them brings none."""
    sums: dict[str, list[int]] = {}
    for _, _, _, method, cents, state, _ in _rows(actor, start, end, site_ids):
        if state == PaymentState.PAID.value:
            counted = sums.setdefault(method, [0, 0])
            counted[0] += 1 if cents > 0 else -1
            counted[1] += cents
    order = [m.value for m in PaymentMethod]
    lines = [[METHODS_FR.get(m, m), n, euros(cents)]
             for m, (n, cents) in sorted(sums.items(), key=lambda i: order.index(i[0])
                                         if i[0] in order else len(order))]
    received = [v for m, v in sums.items() if m != PaymentMethod.CREDIT_NOTE.value]
    lines.append(["Total", sum(n for n, _ in received), euros(sum(c for _, c in received))])
    return pd.DataFrame(lines, columns=TOTAL_COLUMNS)
