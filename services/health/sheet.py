"""The health sheet of a child: read by the family and the staff who work with it; written
by the family, the checked part (allergies, PAI, treatment) through reception."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import select

from db.base import utcnow
from db.engine import read, transaction
from db.models import ChangeRequest, HealthSheet
from db.states import ChangeRequestState
from services import audit
from services.actor import Actor
from services.families import changes
from services.health.forms import SENSITIVE, HealthForm, clean_health, sensitive_json
from services.staff.scope import require_child

OPEN = tuple(f.name for f in fields(HealthForm) if f.name not in SENSITIVE)


@dataclass(frozen=True)
class HealthView:
    child_id: int
    form: HealthForm
    pending: bool            # a checked change waits for reception
    updated_at: datetime | None
    updated_by: str


@dataclass(frozen=True)
class Saved:
    applied: tuple[str, ...]  # fields written at once
    change_id: int | None     # the request reception checks, if the checked part changed


def form_of(sheet: HealthSheet | None) -> HealthForm:
    """The sheet as a form (an empty one for a child without a sheet yet)."""
    if sheet is None:
        return HealthForm()
    values = {f.name: getattr(sheet, f.name) for f in fields(HealthForm)}
    values["dtp_dates"] = tuple(date.fromisoformat(d) for d in sheet.dtp_dates.split(",") if d)
    return HealthForm(**values)


def get_health_sheet(actor: Actor, child_id: int) -> HealthView:
    """A child's sheet, for its family or the staff who see the family."""
    with read() as session:
        require_child(session, actor, child_id)
        sheet = session.get(HealthSheet, child_id)
        pending = session.scalar(select(ChangeRequest.id).where(
            ChangeRequest.child_id == child_id, ChangeRequest.field == "health_sheet",
            ChangeRequest.state == ChangeRequestState.REQUESTED.value).limit(1))
        return HealthView(child_id, form_of(sheet), pending is not None,
                          sheet.updated_at if sheet else None, sheet.updated_by if sheet else "")


def save_health_sheet(actor: Actor, child_id: int, form: HealthForm) -> Saved:
    """The family saves the sheet: diet, doctor, vaccines and notes at once; a change to
    allergies, PAI or treatment becomes a request that applies when reception accepts it."""
    actor.require_family()
    form = clean_health(form)
    with transaction() as session:
        require_child(session, actor, child_id)
        sheet = session.get(HealthSheet, child_id)
        before = form_of(sheet)
        applied = tuple(k for k in OPEN if getattr(form, k) != getattr(before, k))
        if applied and sheet is None:
            sheet = HealthSheet(child_id=child_id)
            session.add(sheet)
        for key in applied:
            value = getattr(form, key)
            setattr(sheet, key, ",".join(d.isoformat() for d in value)
                    if key == "dtp_dates" else value)
        change_id = None
        if sensitive_json(form) != sensitive_json(before):
            change_id = changes.queue_request(session, actor, "health_sheet",
                                              sensitive_json(form), child_id)
        if applied and sheet is not None:
            sheet.updated_at, sheet.updated_by = utcnow(), actor.label
            audit.record(session, actor, "update_health_sheet", "child", child_id,
                         fields=list(applied),
                         after={k: str(getattr(form, k)) for k in applied})
        return Saved(applied, change_id)
