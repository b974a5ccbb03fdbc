"""The centre's logo, uploaded on « Mon centre » and shown at the top of every HTML mail
(and of the app's menu). Kept in the database, small, and only a PNG or a JPEG recognised by
its first bytes: the name of an uploaded file says nothing of what it holds."""
from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import Organisation
from services import audit
from services.actor import Actor
from services.errors import InvalidInput, NotFound

MAX_LOGO = 4 * 1024 * 1024  # what a manager may upload (a designer's file is often 1-3 MB)
# What every mail carries: the logo shows at most 180 x 64 CSS pixels (services/mail/html.py),
# so it is kept at most twice that, for sharp screens; a few dozen KB instead of megabytes.
FIT = (360, 128)
# first bytes -> media type (PNG signature; JPEG start-of-image marker)
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class Logo:
    data: bytes
    media_type: str  # image/png or image/jpeg

    @property
    def subtype(self) -> str:
        return self.media_type.split("/", 1)[1]


def media_type_of(data: bytes) -> str:
    """The logo's media type, read from its first bytes; InvalidInput says what is wrong."""
    if not data:
        raise InvalidInput("Le fichier du logo est vide.")
    if len(data) > MAX_LOGO:
        raise InvalidInput("Le logo ne doit pas dépasser 4 Mo : enregistrez-le en plus petit "
                           "(par exemple 400 pixels de large).")
    media_type = next((kind for signature, kind in _SIGNATURES.items()
                       if data.startswith(signature)), None)
    if media_type is None:
        raise InvalidInput("Le logo doit être une image PNG ou JPEG.")
    # The right first bytes, then a whole image behind them: a truncated or forged file
    # would show as a broken image in every mail (Pillow comes with fpdf2).
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput("Ce fichier n'est pas une image lisible : enregistrez le logo "
                           "à nouveau en PNG ou JPEG.") from None
    return media_type


def fitted(data: bytes, media_type: str) -> bytes:
    """The logo as mails carry it: scaled down to fit FIT (never up), in its own format;
    the upload itself when it is already that small, or when scaling would not shrink it."""
    with Image.open(io.BytesIO(data)) as image:
        if image.width <= FIT[0] and image.height <= FIT[1]:
            return data
        image.thumbnail(FIT, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if media_type == "image/png":
            image.save(out, "PNG", optimize=True)
        else:
            image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    smaller = out.getvalue()
    return smaller if len(smaller) < len(data) else data


def _organisation(session: Session) -> Organisation:
    org = session.scalar(select(Organisation).order_by(Organisation.id).limit(1)
                         .with_for_update())
    if org is None:
        raise NotFound("Le centre n'est pas encore créé : faites d'abord la mise en service.")
    return org


def set_logo(actor: Actor, data: bytes) -> None:
    """A manager puts up the centre's logo (a PNG or JPEG of at most 4 MB), kept scaled
    down to what a mail shows."""
    actor.require_manager()
    media_type = media_type_of(data)
    kept = fitted(data, media_type)
    with transaction() as session:
        org = _organisation(session)
        org.logo, org.logo_type = kept, media_type
        audit.record(session, actor, "update_logo", "organisation", org.id,
                     media_type=media_type, size=len(kept), uploaded=len(data))


def remove_logo(actor: Actor) -> bool:
    """A manager takes the logo down; returns whether there was one."""
    actor.require_manager()
    with transaction() as session:
        org = _organisation(session)
        if org.logo is None:
            return False
        org.logo, org.logo_type = None, ""
        audit.record(session, actor, "remove_logo", "organisation", org.id)
        return True


def get_logo() -> Logo | None:
    """The centre's logo, if one was put up."""
    with read() as session:
        row = session.execute(select(Organisation.logo, Organisation.logo_type)
                              .order_by(Organisation.id).limit(1)).first()
    if row is None or row.logo is None:
        return None
    return Logo(bytes(row.logo), row.logo_type)
