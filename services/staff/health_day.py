"""What the team needs beside the Pointage: each expected child's allergies, PAI, diet and
treatment, and who may pick the child up; on screen and as a PDF for a trip without tablet."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import read
from db.models import (Activity, Child, ConsentAnswer, ConsentKind, HealthSheet, Reservation,
                       Site, Unit)
from services import organisation
from services.actor import Actor
from services.billing.invoice_render import MONTHS_FR
from services.billing.pdf import Document
from services.booking.outcomes import WEEKDAYS_FR
from services.families.names import full_name
from services.health.forms import DIETS, HealthForm
from services.health.pickup import PickupView, views
from services.health.sheet import form_of
from services.staff.attendance import EXPECTED


NBSP = "\u00a0"


@dataclass(frozen=True)
class ChildCare:
    child_id: int
    child: str
    units: str
    badges: tuple[str, ...]
    sheet: HealthForm
    pickups: list[PickupView]
    refused: tuple[str, ...]  # consents answered "no" (no photos, not alone...)


def badges(form: HealthForm) -> tuple[str, ...]:
    """Short French words for what the team must know at a glance."""
    found = []
    if form.food_allergies or form.medicine_allergies or form.other_allergies:
        found.append("Allergie")
    if form.pai:
        found.append("PAI")
    if form.diet != "none":
        found.append(f"Régime : {(form.diet_other or DIETS[form.diet]).lower()}")
    if form.treatment:
        found.append("Traitement")
    return tuple(found)


def list_day_health(actor: Actor, site_id: int, day: date) -> list[ChildCare]:
    """The children expected on a site that day, with their health sheet and pick-up persons.
    Only staff of that site (and managers) see them."""
    actor.require_site(site_id)
    with read() as session:
        rows = session.execute(
            select(Child.id, Child.first_name, Child.last_name, Child.family_id, Unit.name)
            .join(Reservation, Reservation.child_id == Child.id)
            .join(Unit, Unit.id == Reservation.unit_id)
            .join(Activity, Activity.id == Unit.activity_id)
            .where(Activity.site_id == site_id, Reservation.day == day,
                   Reservation.state.in_([s.value for s in EXPECTED]))
            .order_by(Child.last_name, Child.first_name, Unit.position)).all()
        children: dict[int, tuple[str, int, list[str]]] = {}
        for cid, first, last, family, unit in rows:
            children.setdefault(cid, (full_name(first, last), family, []))[2].append(unit)
        ids = list(children)
        sheets = {s.child_id: s for s in session.scalars(
            select(HealthSheet).where(HealthSheet.child_id.in_(ids)))}
        people = views(session, sorted({f for _, f, _ in children.values()}))
        refused: dict[int, list[str]] = {}
        for cid, label in session.execute(
                select(ConsentAnswer.child_id, ConsentKind.label)
                .join(ConsentKind, ConsentKind.id == ConsentAnswer.consent_id)
                .where(ConsentAnswer.child_id.in_(ids), ConsentAnswer.answer.is_(False),
                       ConsentKind.active.is_(True)).order_by(ConsentKind.position)):
            refused.setdefault(cid, []).append(label)
    out = []
    for cid, (name, family, units) in children.items():
        form = form_of(sheets.get(cid))
        out.append(ChildCare(cid, name, ", ".join(dict.fromkeys(units)), badges(form), form,
                             people[family], tuple(refused.get(cid, []))))
    return out


def _allergies(form: HealthForm) -> str:
    parts = [f"{what} ({action})" if action else what for what, action in (
        (form.food_allergies, form.food_action), (form.medicine_allergies, form.medicine_action),
        (form.other_allergies, form.other_action)) if what]
    return " ; ".join(parts) or "—"


def _people(care: ChildCare) -> str:
    # No-break spaces: a phone number is never cut across two lines of the cell.
    return "\n".join(f"{p.name}{' (urgence)' if p.emergency else ''}"
                     f"{'' if p.may_pick_up else ' – ne récupère pas'} : "
                     f"{p.phone.replace(' ', NBSP)}" for p in care.pickups) or "—"


def day_list_pdf(actor: Actor, site_id: int, day: date) -> bytes:
    """The day's list of a site, printable: allergies, PAI, diet, treatment, pick-up persons."""
    children = list_day_health(actor, site_id, day)
    with read() as session:
        site = session.get(Site, site_id)
        site_name = site.name if site else ""
    profile = organisation.get_profile()
    doc = Document(profile.name, profile.letterhead, "Liste du jour : santé et sorties")
    doc.para(f"{site_name} · {WEEKDAYS_FR[day.weekday()]} {day.day} {MONTHS_FR[day.month - 1]} "
             f"{day.year} · {len(children)} enfant(s) attendu(s)")
    doc.set_font(doc.family, size=8)
    with doc.table(col_widths=(34, 46, 10, 22, 30, 48), text_align="LEFT",
                   line_height=4.2) as table:
        table.row(["Enfant", "Allergies (conduite à tenir)", "PAI", "Régime", "Traitement",
                   "Personnes autorisées"])
        for c in children:
            diet = "—" if c.sheet.diet == "none" else (c.sheet.diet_other or DIETS[c.sheet.diet])
            table.row([f"{c.child}\n{c.units}", _allergies(c.sheet),
                       "oui" if c.sheet.pai else "non", diet, c.sheet.treatment or "—",
                       _people(c)])
    return doc.render()
