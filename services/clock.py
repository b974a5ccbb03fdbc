"""The centre's clock: what day it is for the families and staff, whatever the server's zone.

A server often runs in UTC; from 23:00 (22:00 in summer) the server's date is still yesterday
in France. Every "today" of the portal comes from here, never from `date.today()`.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """The present moment, in the centre's zone."""
    return datetime.now(LOCAL)


def today() -> date:
    """The centre's date now."""
    return now().date()
