"""What a family types on the health sheet and for a pick-up person, checked by the one
validation layer; and how a pending change reads for reception."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime

from services import validate
from services.errors import InvalidInput
from services import clock

DIETS = {"none": "Aucun régime", "no_pork": "Sans porc", "vegetarian": "Végétarien",
         "no_meat": "Sans viande", "other": "Autre"}
# What reception checks before it counts (a wrong allergy or treatment is a danger to the
# child); the other fields apply as the family types them.
SENSITIVE = ("food_allergies", "food_action", "medicine_allergies", "medicine_action",
             "other_allergies", "other_action", "pai", "treatment")
LABELS = {"food_allergies": "Allergies alimentaires", "food_action": "Conduite à tenir (alimentaires)",
          "medicine_allergies": "Allergies médicamenteuses",
          "medicine_action": "Conduite à tenir (médicaments)", "other_allergies": "Autres allergies",
          "other_action": "Conduite à tenir (autres)", "pai": "PAI",
          "treatment": "Traitement régulier", "diet": "Régime alimentaire",
          "diet_other": "Précision du régime", "doctor_name": "Médecin traitant",
          "doctor_phone": "Téléphone du médecin", "dtp_dates": "Vaccins DTP",
          "dtp_last_booster": "Dernier rappel DTP", "other_info": "Autres informations utiles"}


@dataclass(frozen=True)
class HealthForm:
    food_allergies: str = ""
    food_action: str = ""
    medicine_allergies: str = ""
    medicine_action: str = ""
    other_allergies: str = ""
    other_action: str = ""
    pai: bool = False
    treatment: str = ""
    diet: str = "none"
    diet_other: str = ""
    doctor_name: str = ""
    doctor_phone: str = ""
    dtp_dates: tuple[date, ...] = ()
    dtp_last_booster: date | None = None
    other_info: str = ""


def _day(value: date | None, label: str) -> date | None:
    if value is None:
        return None
    return validate.day(value, label, earliest=date(2000, 1, 1), latest=clock.today())


def clean_health(form: HealthForm) -> HealthForm:
    """The sheet trimmed and checked, or InvalidInput naming the field."""
    if form.diet not in DIETS:
        raise InvalidInput("« Régime alimentaire » : choisissez dans la liste.")
    texts = {f.name: validate.text(getattr(form, f.name), LABELS[f.name], max_len=1000,
                                   multiline=True)
             for f in fields(form) if f.type == "str" and f.name not in (
                 "diet", "diet_other", "doctor_name", "doctor_phone")}
    if len(form.dtp_dates) > 10:
        raise InvalidInput("« Vaccins DTP » : dix dates au plus.")
    dtp = tuple(sorted({_day(d, LABELS["dtp_dates"]) for d in form.dtp_dates}))  # type: ignore[type-var]
    if form.diet == "other" and not form.diet_other.strip():
        raise InvalidInput("« Précision du régime » : dites lequel.")
    return replace(
        form, **texts, pai=bool(form.pai), dtp_dates=dtp,
        diet_other=validate.text(form.diet_other if form.diet == "other" else "",
                                 LABELS["diet_other"], max_len=200),
        doctor_name=validate.text(form.doctor_name, LABELS["doctor_name"], max_len=200),
        doctor_phone=validate.phone(form.doctor_phone, LABELS["doctor_phone"]),
        dtp_last_booster=_day(form.dtp_last_booster, LABELS["dtp_last_booster"]))


def sensitive_json(form: HealthForm) -> str:
    """The checked part of the sheet, as a change request stores it."""
    return json.dumps({k: getattr(form, k) for k in SENSITIVE}, ensure_ascii=False,
                      sort_keys=True)


def describe_sensitive(value: str) -> str:
    """A pending health change as reception reads it, one line per field."""
    data = json.loads(value) if value else {}
    lines = [f"{LABELS[key]} : {data[key]}" for key in SENSITIVE
             if key != "pai" and data.get(key)]
    return "\n".join([*lines, f"PAI : {'oui' if data.get('pai') else 'non'}"])


@dataclass(frozen=True)
class PickupForm:
    name: str
    relationship: str = ""
    phone: str = ""
    may_pick_up: bool = True
    emergency: bool = False


PICKUP_KEYS = tuple(f.name for f in fields(PickupForm))


def clean_pickup(form: PickupForm) -> PickupForm:
    """The person's fields checked; a phone is required (someone is called)."""
    if not (form.may_pick_up or form.emergency):
        raise InvalidInput("Cochez « peut récupérer l'enfant » ou « contact d'urgence ».")
    return PickupForm(validate.text(form.name, "Nom et prénom", max_len=200, required=True),
                      validate.text(form.relationship, "Lien avec l'enfant", max_len=50),
                      validate.phone(form.phone, "Téléphone", required=True),
                      bool(form.may_pick_up), bool(form.emergency))


def pickup_json(form: PickupForm, pickup_id: int | None = None) -> str:
    data: dict[str, object] = asdict(form)
    if pickup_id is not None:
        data["pickup_id"] = pickup_id
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def describe_pickup(value: str) -> str:
    """A pick-up person as reception reads it."""
    if not value:
        return ""
    d = json.loads(value)
    roles = [r for r, on in (("peut récupérer l'enfant", d.get("may_pick_up")),
                             ("contact d'urgence", d.get("emergency"))) if on]
    relation = f" ({d['relationship']})" if d.get("relationship") else ""
    return f"{d.get('name', '')}{relation} · {d.get('phone', '')} · {', '.join(roles) or '—'}"


def parse_dates(value: str, label: str) -> tuple[date, ...]:
    """Dates typed as jj/mm/aaaa (or aaaa-mm-jj), separated by commas or spaces."""
    text = validate.text(value, label, max_len=300)
    found = []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        if not part:
            continue
        try:
            found.append(date.fromisoformat(part) if "-" in part
                         else datetime.strptime(part, "%d/%m/%Y").date())
        except ValueError:
            raise InvalidInput(f"« {label} » : « {part} » n'est pas une date "
                               "(exemple : 15/03/2018).") from None
    return tuple(found)
