"""The health sheet's checked part and the pick-up persons as change requests: how such a
request is cleaned, checked, shown to reception and applied (called by families.changes)."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from db.base import utcnow
from db.models import ChangeRequest, HealthSheet, PickupPerson
from services import validate
from services.errors import Forbidden, InvalidInput
from services.health.forms import (PICKUP_KEYS, SENSITIVE, HealthForm, PickupForm, clean_health,
                                   clean_pickup, describe_pickup, describe_sensitive,
                                   pickup_json, sensitive_json)

LABELS = {"health_sheet": "Fiche sanitaire (allergies, PAI, traitement)",
          "pickup_add": "Nouvelle personne autorisée",
          "pickup_update": "Personne autorisée",
          "pickup_remove": "Retrait d'une personne autorisée"}
CHILD_FIELDS = ("health_sheet",)


def _data(value: str) -> dict[str, Any]:
    try:
        data = json.loads(value)
        assert isinstance(data, dict)
    except (ValueError, AssertionError) as exc:
        raise InvalidInput("Informations illisibles.") from exc
    return data


def clean(field: str, value: str) -> str:
    """The request's value as stored, or InvalidInput."""
    data = _data(value)
    if field == "health_sheet":
        # Typed as the form types them, whatever JSON a crafted request carries.
        known = {k: (data[k] is True if k == "pai" else str(data[k]))
                 for k in SENSITIVE if k in data}
        return sensitive_json(clean_health(HealthForm(**known)))
    pickup_id = None
    if field in ("pickup_update", "pickup_remove"):
        pickup_id = validate.integer(data.get("pickup_id"), "Personne", minimum=1,
                                     maximum=2**31 - 1)
    if field == "pickup_remove":
        return json.dumps({"pickup_id": pickup_id})
    form = clean_pickup(PickupForm(*(data.get(k) is True if k in ("may_pick_up", "emergency")
                                     else str(data.get(k, "")) for k in PICKUP_KEYS)))
    return pickup_json(form, pickup_id)


def kind(field: str, value: str) -> str:
    """One pending request per person: its id is part of what the request is about."""
    if field in ("pickup_update", "pickup_remove"):
        return f"pickup:{json.loads(value).get('pickup_id')}"
    return field


def check(session: Session, family_id: int, field: str, value: str) -> None:
    """A family names only its own pick-up persons."""
    if field in ("pickup_update", "pickup_remove"):
        person = session.get(PickupPerson, int(json.loads(value)["pickup_id"]))
        if person is None or person.family_id != family_id:
            raise Forbidden()


def current(session: Session, change: ChangeRequest) -> str:
    """What the file holds today, in the request's own form."""
    if change.field == "health_sheet":
        sheet = session.get(HealthSheet, change.child_id)
        return sensitive_json(HealthForm(**{k: getattr(sheet, k) for k in SENSITIVE})) \
            if sheet else ""
    if change.field in ("pickup_update", "pickup_remove"):
        person = session.get(PickupPerson, int(json.loads(change.new_value)["pickup_id"]))
        return pickup_json(PickupForm(*(getattr(person, k) for k in PICKUP_KEYS))) \
            if person else ""
    return ""


def shown(field: str, value: str) -> str:
    """A stored value as reception reads it."""
    if not value:
        return ""
    if field == "health_sheet":
        return describe_sensitive(value)
    if field == "pickup_remove":
        return "Ne plus autoriser cette personne"
    return describe_pickup(value)


def apply(session: Session, change: ChangeRequest, label: str) -> None:
    """Write the accepted request into the file."""
    data = json.loads(change.new_value)
    if change.field == "health_sheet":
        sheet = session.get(HealthSheet, change.child_id)
        if sheet is None:
            sheet = HealthSheet(child_id=change.child_id)
            session.add(sheet)
        for key in SENSITIVE:
            setattr(sheet, key, data[key])
        sheet.updated_at, sheet.updated_by = utcnow(), label
        return
    if change.field == "pickup_add":
        session.add(PickupPerson(family_id=change.family_id,
                                 **{k: data[k] for k in PICKUP_KEYS}))
        return
    person = session.get(PickupPerson, int(data["pickup_id"]))
    if person is None:
        return  # removed meanwhile by another accepted request
    if change.field == "pickup_remove":
        session.delete(person)
    else:
        for key in PICKUP_KEYS:
            setattr(person, key, data[key])
