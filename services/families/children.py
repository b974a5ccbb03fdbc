"""Children of a family file (staff side)."""
from __future__ import annotations

from datetime import date

from db.engine import transaction
from db.models import Child
from services import audit
from services.actor import Actor
from services.errors import InvalidInput
from services.families.accounts import ChildForm, clean_child
from services.staff.scope import require_family
from services import clock


def add_child(actor: Actor, family_id: int, form: ChildForm) -> int:
    """Add a child to a family file; returns its id."""
    actor.require_staff()
    form = clean_child(form)
    if not form.first_name.strip() or form.birth_date > clock.today():
        raise InvalidInput("Chaque enfant doit avoir un prénom et une date de naissance passée.")
    with transaction() as session:
        require_family(session, actor, family_id)  # one of the staff member's families
        child = Child(family_id=family_id, first_name=form.first_name.strip(),
                      last_name=form.last_name.strip(), birth_date=form.birth_date, sex=form.sex,
                      school=form.school, health_notes=form.health_notes)
        session.add(child)
        session.flush()
        audit.record(session, actor, "add_child", "child", child.id, family_id=family_id)
        return child.id
