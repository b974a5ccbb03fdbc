"""The centre's identity (name, address, contact, hours, legal notice, rules), read from the
database by every page, mail signature, PDF letterhead and the sandbox bank.

Nothing about a particular centre is written in code: the organisation is created by the
first-run setup (services/first_run.py) or the demo loader, and edited on "Mon centre".
The profile is read on almost every screen and changes rarely, so it is kept in memory for the
process; an edit here clears it, and a switch of database (tests) is noticed.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, fields

from sqlalchemy import Engine, select

from db.engine import get_engine, read, transaction
from db.models import Organisation
from services import audit, validate
from services.actor import Actor
from services.errors import InvalidInput, NotFound

PRODUCT = "Portail Famille"
MAX_RULES_PDF = 5 * 1024 * 1024  # a règlement intérieur is a few pages
_TTL_SECONDS = 60.0  # another process (a second server) sees an edit within a minute


@dataclass(frozen=True)
class Profile:
    """What families and letters show of the centre."""

    id: int | None
    name: str
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    opening_hours: str = ""
    website: str = ""
    legal_notice: str = ""
    rules_url: str = ""
    has_rules_pdf: bool = False
    documents_required: str = ""

    @property
    def signature(self) -> str:
        """The last line of every mail: the centre's name."""
        return self.name or PRODUCT

    @property
    def full_address(self) -> str:
        town = f"{self.postal_code} {self.city}".strip()
        return ", ".join(part for part in (self.address, town) if part)

    @property
    def letterhead(self) -> str:
        """The line under the name at the top of a PDF: address, phone, e-mail."""
        return " – ".join(part for part in (self.full_address, self.phone, self.email) if part)

    @property
    def hours_sentence(self) -> str:
        """" (du lundi au vendredi…)" when the hours are known, else nothing."""
        return f" ({self.opening_hours})" if self.opening_hours else ""


NONE = Profile(id=None, name="")
_lock = threading.Lock()
_cached: tuple[Engine, float, Profile] | None = None


def profile_of(org: Organisation) -> Profile:
    """The profile of a row read in the caller's session (PDFs built inside a transaction)."""
    return Profile(id=org.id, name=org.name, address=org.address, postal_code=org.postal_code,
                   city=org.city, phone=org.phone, email=org.email,
                   opening_hours=org.opening_hours, website=org.website,
                   legal_notice=org.legal_notice, rules_url=org.rules_url,
                   has_rules_pdf=org.rules_pdf is not None,
                   documents_required=org.documents_required)


def _load() -> Profile:
    with read() as session:
        org = session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
        return NONE if org is None else profile_of(org)


def get_profile() -> Profile:
    """The organisation's profile (NONE before the first-run setup)."""
    global _cached
    engine = get_engine()
    with _lock:
        hit = _cached
    if hit is not None and hit[0] is engine and time.monotonic() - hit[1] < _TTL_SECONDS:
        return hit[2]
    profile = _load()
    if profile.id is not None:  # "no centre yet" is never kept: setup may happen any moment
        with _lock:
            _cached = (engine, time.monotonic(), profile)
    return profile


def clear_cache() -> None:
    global _cached
    with _lock:
        _cached = None


def exists() -> bool:
    """Whether the centre has been set up (read from the database until it has)."""
    return get_profile().id is not None


@dataclass(frozen=True)
class ProfileForm:
    """The fields a manager edits on "Mon centre" (and the setup page fills first)."""

    name: str
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    opening_hours: str = ""
    website: str = ""
    legal_notice: str = ""
    rules_url: str = ""
    documents_required: str = ""


def _web_address(value: str, label: str) -> str:
    cleaned = validate.text(value, label, max_len=300)
    if cleaned and (not cleaned.lower().startswith(("https://", "http://")) or " " in cleaned):
        raise InvalidInput(f"« {label} » doit être une adresse web commençant par https://.")
    return cleaned


def _printable_on_pdf(form: ProfileForm) -> None:
    # The letterhead is printed with the PDF core fonts (windows-1252): a character outside
    # it would make every invoice and receipt fail.
    for label, value in (("Nom de la structure", form.name), ("Adresse", form.address),
                         ("Ville", form.city), ("Téléphone", form.phone)):
        try:
            value.encode("cp1252")
        except UnicodeEncodeError:
            raise InvalidInput(f"« {label} » contient un caractère qui ne s'imprime pas sur "
                               "les factures et les reçus.") from None


def checked(form: ProfileForm) -> ProfileForm:
    """The form with every field validated and trimmed; InvalidInput names the bad field."""
    postal = validate.text(form.postal_code, "Code postal", max_len=10)
    if postal and not (postal.isdigit() and len(postal) == 5):
        raise InvalidInput("« Code postal » doit compter 5 chiffres.")
    _printable_on_pdf(form)
    return ProfileForm(
        name=validate.text(form.name, "Nom de la structure", required=True),
        address=validate.text(form.address, "Adresse", max_len=300),
        postal_code=postal,
        city=validate.text(form.city, "Ville", max_len=100),
        phone=validate.phone(form.phone),
        email=validate.email(form.email, "E-mail de l'accueil", required=False),
        opening_hours=validate.text(form.opening_hours, "Horaires d'ouverture"),
        website=_web_address(form.website, "Site web"),
        legal_notice=validate.text(form.legal_notice, "Mentions légales", max_len=5000,
                                   multiline=True),
        rules_url=_web_address(form.rules_url, "Lien du règlement intérieur"),
        documents_required=validate.text(form.documents_required, "Documents à fournir",
                                         max_len=2000, multiline=True),
    )


def check_pdf(data: bytes | None) -> bytes | None:
    """A règlement intérieur upload: a real PDF of reasonable size (None: no upload)."""
    if data is None:
        return None
    if not data.startswith(b"%PDF-"):
        raise InvalidInput("Le règlement intérieur doit être un fichier PDF.")
    if len(data) > MAX_RULES_PDF:
        raise InvalidInput("Le règlement intérieur ne doit pas dépasser 5 Mo.")
    return data


def apply(org: Organisation, form: ProfileForm) -> list[str]:
    """Copy a checked form onto the row; returns the names of the fields that changed."""
    changed = []
    for field in fields(ProfileForm):
        value = getattr(form, field.name)
        if getattr(org, field.name) != value:
            setattr(org, field.name, value)
            changed.append(field.name)
    return changed


def update_profile(actor: Actor, form: ProfileForm, rules_pdf: bytes | None = None,
                   drop_rules_pdf: bool = False) -> list[str]:
    """A manager edits the centre's profile; returns the fields changed."""
    actor.require_manager()
    form, rules_pdf = checked(form), check_pdf(rules_pdf)
    with transaction() as session:
        org = session.scalar(select(Organisation).order_by(Organisation.id).limit(1)
                             .with_for_update())
        if org is None:
            raise NotFound("Le centre n'est pas encore créé : faites d'abord la mise en service.")
        changed = apply(org, form)
        if rules_pdf is not None:
            org.rules_pdf = rules_pdf
            changed.append("rules_pdf")
        elif drop_rules_pdf and org.rules_pdf is not None:
            org.rules_pdf = None
            changed.append("rules_pdf")
        if changed:
            audit.record(session, actor, "update_organisation", "organisation", org.id,
                         fields=changed)
    clear_cache()
    return changed


def rules_pdf() -> bytes | None:
    """The règlement intérieur PDF, if one was uploaded."""
    with read() as session:
        return session.scalar(select(Organisation.rules_pdf).order_by(Organisation.id).limit(1))


def signature() -> str:
    """The last line of every mail the portal sends: the centre's name."""
    return get_profile().signature
