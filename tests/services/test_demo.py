"""The demo centre fills every dashboard: past weeks attended (with absences), billed, paid
by card (TAVERNIER) and at the desk (MARTIN), and left unpaid past due (BENALI)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from db.engine import read
from db.models import AuditEntry, Family, Payment
from services import demo
from services.actor import SYSTEM
from services.payments import desk
from services.reports import attendance, funder, money
from services.booking.rules import LOCAL



def test_demo_history_fills_the_dashboards(database):
    TODAY = datetime.now(LOCAL).date()  # the demo books ahead on the real clock
    demo.load(TODAY)
    start = TODAY - timedelta(weeks=3)
    marked = attendance.attendance(SYSTEM, start, TODAY)
    assert marked["present"].sum() > 0 and marked["absent"].sum() > 0
    assert marked["absent_justified"].sum() > 0
    assert not attendance.no_shows(SYSTEM, start, TODAY).empty
    assert funder.presence(SYSTEM, start, TODAY)["hours"].sum() > 0
    found = money.summary(SYSTEM, start, TODAY, TODAY)
    assert found.by_month["paid"].sum() > 0
    assert found.overdue_families["family"].tolist() == ["BENALI"]
    with read() as session:
        paid = dict(session.execute(select(Family.name, Payment.method).join(
            Payment, Payment.family_id == Family.id).where(Payment.state == "paid")).all())
        actions = set(session.scalars(select(AuditEntry.action)))
        families = dict(session.execute(select(Family.name, Family.id)).all())
    assert paid == {"TAVERNIER": "card_online", "MARTIN": "cheque"}
    assert {"attendance", "card_paid", "record_desk_payment", "demo_history"} <= actions
    # TAVERNIER still owes the days booked ahead (the browser payment journey pays them).
    assert desk.open_charges(SYSTEM, families["TAVERNIER"])["Reste dû"].sum() > 0
    assert desk.open_charges(SYSTEM, families["MARTIN"])["Reste dû"].sum() == 0
