"""Hostile values at the administration services (hypothesis): a named PortalError or a
clean result, never a crash, and a manager's own account and the bracket rules hold."""
from __future__ import annotations

from hypothesis import given
from sqlalchemy import select

from db.engine import read
from db.models import UserAccount
from services.config import accounts, activities, age_groups, brackets, sites
from services.config.brackets import BracketRow
from tests.services.test_bad_input import (FAST, _guarded, _untouched, hostile_int,
                                           hostile_text, victim)

__all__ = ["victim"]


@FAST
@given(text=hostile_text, number=hostile_int, other=hostile_int)
def test_administration_with_hostile_values(world, victim, text, number, other):
    m = world.manager
    _guarded(lambda: accounts.invite(m, text, text, text, [number]))
    _guarded(lambda: accounts.invite(m, "ok@test.example", text, "staff", [number, other]))
    _guarded(lambda: accounts.update_access(m, number, text, [other]))
    _guarded(lambda: accounts.deactivate(m, number))
    _guarded(lambda: accounts.reactivate(m, number))
    _guarded(lambda: sites.create_site(m, world.organisation, text, text))
    _guarded(lambda: sites.update_site(m, number, text, text))
    _guarded(lambda: age_groups.create_age_group(m, world.organisation, text, number, other))
    _guarded(lambda: age_groups.update_age_group(m, number, text, number, other))
    _guarded(lambda: age_groups.delete_age_group(m, number))
    _guarded(lambda: activities.create_activity_type(m, text, text))
    _guarded(lambda: activities.update_activity_type(m, number, text, text))
    _guarded(lambda: activities.create_activity(m, world.site_chats, number, text, text))
    _guarded(lambda: activities.update_activity(m, number, other, text, text))
    _guarded(lambda: brackets.save_brackets(m, world.organisation, [
        BracketRow(None, text, number, other), BracketRow(number, text, text, None)]))
    table = brackets.list_brackets(m)  # whatever was saved tiles the QF line from 0
    assert not table or table[0].qf_min == 0
    assert all(b.qf_min == a.qf_max + 1 for a, b in zip(table, table[1:]))
    with read() as session:
        me = session.get(UserAccount, m.user_id)
        assert me is not None and me.active and me.role == "manager"
    _untouched(world, victim)
