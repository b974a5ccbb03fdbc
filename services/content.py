"""The centre's own words for families: contact, welcome message, booking memo, canteen notice
and news. Anyone reads them (the contact and legal notice also signed out); managers write."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import NewsItem, Organisation
from services import audit, validate
from services.organisation import Profile, get_profile
from services.actor import Actor
from services.errors import InvalidInput, NotFound

MAX_TEXT = 4000
MAX_NEWS_BODY = 2000


@dataclass(frozen=True)
class News:
    id: int
    title: str
    body: str
    published_on: date


@dataclass(frozen=True)
class FamilyTexts:
    """The texts managers write for families."""

    welcome_message: str = ""
    booking_memo: str = ""
    canteen_notice: str = ""
    canteen_url: str = ""


@dataclass(frozen=True)
class Welcome:
    """The families' Accueil page: contact, texts and published news, newest first."""

    contact: Profile
    texts: FamilyTexts
    news: list[News]


def _organisation(session: Session) -> Organisation | None:
    # One organisation per installation: the first one created.
    return session.scalar(select(Organisation).order_by(Organisation.id).limit(1))


def _texts(org: Organisation | None) -> FamilyTexts:
    if org is None:
        return FamilyTexts()
    return FamilyTexts(org.welcome_message, org.booking_memo, org.canteen_notice, org.canteen_url)


def get_contact() -> Profile:
    """The centre's contact and legal notice: public, read also before signing in (the cached
    profile every page's footer reads, not a query of its own)."""
    return get_profile()


def get_canteen_notice() -> tuple[str, str]:
    """The canteen notice and its link out: public, also shown on the sign-in page."""
    with read() as session:
        texts = _texts(_organisation(session))
    return texts.canteen_notice, texts.canteen_url


def _news(session: Session, org_id: int, today: date | None) -> list[News]:
    query = select(NewsItem).where(NewsItem.organisation_id == org_id)
    if today is not None:
        query = query.where(NewsItem.published_on <= today)
    query = query.order_by(NewsItem.published_on.desc(), NewsItem.id.desc())
    return [News(n.id, n.title, n.body, n.published_on) for n in session.scalars(query)]


def get_welcome(actor: Actor, today: date) -> Welcome:
    """The Accueil page of a signed-in user: news published up to `today`, newest first."""
    with read() as session:
        org = _organisation(session)
        news = _news(session, org.id, today) if org else []
        return Welcome(get_profile(), _texts(org), news)


def list_news(actor: Actor) -> list[News]:
    """Every news item, also those dated in the future (managers)."""
    actor.require_manager()
    with read() as session:
        org = _organisation(session)
        return _news(session, org.id, None) if org else []


def get_family_texts(actor: Actor) -> FamilyTexts:
    """The texts as managers edit them."""
    actor.require_manager()
    with read() as session:
        return _texts(_organisation(session))


def _required_org(session: Session) -> Organisation:
    org = _organisation(session)
    if org is None:
        raise NotFound("Le centre n'est pas encore configuré.")
    return org


def _checked_texts(texts: FamilyTexts) -> FamilyTexts:
    canteen_url = validate.text(texts.canteen_url, "Lien de la cantine", max_len=300)
    if canteen_url and not canteen_url.lower().startswith(("https://", "http://")):
        raise InvalidInput("« Lien de la cantine » doit commencer par https:// (exemple : "
                           "https://www.ville.fr/cantine).")
    if canteen_url and (" " in canteen_url or len(canteen_url) < 12):
        raise InvalidInput("« Lien de la cantine » n'est pas une adresse web valide.")
    return FamilyTexts(
        validate.text(texts.welcome_message, "Message d'accueil", max_len=MAX_TEXT,
                      multiline=True),
        validate.text(texts.booking_memo, "Message aux parents (mémo réservation)",
                      max_len=MAX_TEXT, multiline=True),
        validate.text(texts.canteen_notice, "Info cantine", max_len=MAX_TEXT, multiline=True),
        canteen_url)


def update_family_texts(actor: Actor, texts: FamilyTexts) -> FamilyTexts:
    """Replace the welcome message, booking memo and canteen notice (managers)."""
    actor.require_manager()
    cleaned = _checked_texts(texts)
    with transaction() as session:
        org = _required_org(session)
        org.welcome_message, org.booking_memo = cleaned.welcome_message, cleaned.booking_memo
        org.canteen_notice, org.canteen_url = cleaned.canteen_notice, cleaned.canteen_url
        audit.record(session, actor, "update_family_texts", "organisation", org.id,
                     welcome=len(cleaned.welcome_message), memo=len(cleaned.booking_memo),
                     canteen=len(cleaned.canteen_notice), canteen_url=cleaned.canteen_url)
    return cleaned


def _checked_news(title: str, body: str, published_on: date | None) -> tuple[str, str, date]:
    return (validate.text(title, "Titre de l'actualité", max_len=200, required=True),
            validate.text(body, "Texte de l'actualité", max_len=MAX_NEWS_BODY, multiline=True),
            validate.day(published_on, "Date de publication", earliest=date(2000, 1, 1),
                         latest=date(2100, 12, 31)))


def create_news(actor: Actor, title: str, body: str, published_on: date | None) -> int:
    """Publish a news item on the families' Accueil from `published_on` (managers)."""
    actor.require_manager()
    title, body, published_on = _checked_news(title, body, published_on)
    with transaction() as session:
        org = _required_org(session)
        item = NewsItem(organisation_id=org.id, title=title, body=body,
                        published_on=published_on)
        session.add(item)
        session.flush()
        audit.record(session, actor, "create_news", "news_item", item.id, title=title,
                     published_on=published_on)
        return item.id


def update_news(actor: Actor, news_id: int, title: str, body: str,
                published_on: date | None) -> None:
    """Change a news item's title, text or date (managers)."""
    actor.require_manager()
    title, body, published_on = _checked_news(title, body, published_on)
    with transaction() as session:
        item = session.get(NewsItem, news_id)
        if item is None:
            raise NotFound("Cette actualité n'existe plus.")
        item.title, item.body, item.published_on = title, body, published_on
        audit.record(session, actor, "update_news", "news_item", item.id, title=title,
                     published_on=published_on)


def delete_news(actor: Actor, news_id: int) -> None:
    """Remove a news item (managers)."""
    actor.require_manager()
    with transaction() as session:
        item = session.get(NewsItem, news_id)
        if item is None:
            raise NotFound("Cette actualité n'existe plus.")
        audit.record(session, actor, "delete_news", "news_item", item.id, title=item.title)
        session.delete(item)


def get_rules_pdf() -> bytes | None:
    """The règlement intérieur kept as a PDF, if the centre gave one (families download it)."""
    with read() as session:
        org = _organisation(session)
        return org.rules_pdf if org else None
