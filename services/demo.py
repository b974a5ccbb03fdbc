"""The demo centre, from the reference tutorial, with dates relative to today.

Loaded through the same services staff and families use, so the demo obeys every rule.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from db.engine import read, transaction
from db.models import AuditEntry, CapacitySlot, Organisation, Period, Registration, Unit
from db.states import Role
from services import audit, content
from services import demo_health
from services import demo_history as history
from services import registrations
from services.actor import SYSTEM, Actor
from services.booking.reserve import reserve
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.catalogue.setup import UnitSpec
from services.config import closures
from services.documents import types as document_types
from services.families import accounts
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.families.queries import child_ids

DEMO_PASSWORDS = {
    "direction@csjacquard.example": "Boussole-Ambre-58",
    "accueil@csjacquard.example": "Pupitre-Lavande-37",
    "accueil.stgabriel@csjacquard.example": "Pupitre-Lavande-37",
    "famille.tavernier@example.org": "Cerf-Volant-Bleu-24",
    "famille.martin@example.org": "Cerf-Volant-Bleu-24",
    "famille.benali@example.org": "Cerf-Volant-Bleu-24",
}

AGE_GROUPS = [("2/3 ans", 2, 3), ("4/5 ans", 4, 5), ("6/12 ans", 6, 12)]


def _units(evening_places: int) -> list[UnitSpec]:
    return [
        UnitSpec("ACCUEIL RELAI MATIN", time(7, 30), time(9, 0), 150, capacity=8),
        UnitSpec("MATIN AVEC REPAS", time(9, 0), time(13, 30), 420, has_meal=True, capacity=12,
                 meal_cents=320),
        UnitSpec("APRES-MIDI", time(13, 30), time(17, 0), 280, capacity=12),
        UnitSpec("ACCUEIL RELAI SOIR", time(17, 0), time(18, 30), 150, capacity=evening_places),
    ]


DEMO_ORGANISATION = "Centre Social Albert Jacquard"
EMPTY, LOADED, PARTIAL, OTHER = "empty", "loaded", "partial", "other"
MARK = "demo_loaded"  # the audit entry load() writes last
# Demos loaded before the mark existed end with MARTIN's cheque: its audit entry stands for it.
LAST_STEP_BEFORE_MARK = "record_desk_payment"


def status() -> str:
    """EMPTY (nothing yet), LOADED, PARTIAL (a first load was interrupted) or OTHER (a
    centre's own data: the demo never goes there)."""
    with read() as session:
        names = set(session.scalars(select(Organisation.name)))
        if not names:
            return EMPTY
        if DEMO_ORGANISATION not in names:
            return OTHER
        done = session.scalar(select(AuditEntry.id).where(
            AuditEntry.action.in_([MARK, LAST_STEP_BEFORE_MARK])).limit(1))
    return LOADED if done is not None else PARTIAL


def is_loaded() -> bool:
    return status() != EMPTY


def _years_ago(today: date, years: int, days: int = 40) -> date:
    return date(today.year - years, today.month, min(today.day, 28)) - timedelta(days=days)


def load(today: date | None = None) -> None:
    """Create the demo centre in an empty database (anything else is left alone); the
    audit entry MARK, written last, says the load went to its end."""
    if status() != EMPTY:
        return
    today = today or datetime.now(LOCAL).date()
    actor = SYSTEM
    org = setup.create_organisation(
        actor, "Centre Social Albert Jacquard", "113-115 rue Saint Gabriel, 59800 Lille",
        "03 20 51 90 47", "contact@csjacquard.example",
        "Du lundi au vendredi, de 9h à 12h30 et de 13h30 à 17h",
        "Attestation d'assurance civile, jugement en cas de divorce, mutuelle.")
    gabriel = setup.create_site(actor, org, "Saint Gabriel", "113-115 rue Saint Gabriel, Lille")
    chats = setup.create_site(actor, org, "Les Chats Perchés", "140 rue du Buisson, Lille")
    alsh = setup.ensure_activity_type(actor, "ALSH", "ALSH")
    peri = setup.ensure_activity_type(actor, "PERI", "Périscolaire")
    groups = {label: setup.create_age_group(actor, org, label, lo, hi)
              for label, lo, hi in AGE_GROUPS}

    start = today.replace(day=1) - timedelta(days=30)
    end = (today.replace(day=1) + timedelta(days=130)).replace(day=1) - timedelta(days=1)
    opened = datetime.combine(start - timedelta(days=14), time(7), tzinfo=LOCAL)
    summer = date(today.year + (1 if today.month > 6 else 0), 7, 6)
    summer_end = summer + timedelta(days=25)
    label = f"{start:%m/%Y} à {end:%m/%Y}"
    offer = [  # site, type, activity, weekdays, dates, evening places, staff validation
        (chats, peri, "CHATS PERCHES PERISCOLAIRE", "1245", (start, end), 2, False, "Péri"),
        (chats, peri, "CHATS PERCHES MERCREDI PERI", "3", (start, end), 10, False, "Mercredi"),
        (gabriel, peri, "ST GABRIEL MERCREDI PERI", "3", (start, end), 10, True, "Mercredi"),
        (chats, alsh, "CHATS PERCHES ETE", "12345", (summer, summer_end), 10, False, "Été"),
        (gabriel, alsh, "SAINT GABRIEL ETE", "12345", (summer, summer_end), 10, False, "Été"),
    ]
    periods: dict[tuple[str, str], int] = {}
    for site, kind, name, weekdays, (first, last), evening, staff_validates, short in offer:
        activity = setup.create_activity(actor, site, kind, name, _units(evening))
        if kind == peri:  # after school and Wednesdays follow the school calendar
            _school_holidays(actor, site, activity, start, end)
        for group_label, group_id in groups.items():
            when = label if short != "Été" else f"{first.year}"
            periods[(name, group_label)] = setup.create_period(
                actor, activity, group_id, f"{short} {group_label} {when}", first, last, opened,
                weekdays=weekdays, auto_validate=not staff_validates,
                partial_payment=short == "Été")
    _tariffs(actor, org)
    _family_texts(actor, today)
    document_types.ensure_defaults(actor)
    _people(actor, org, gabriel, chats, today, periods)
    with transaction() as session:
        audit.record(session, actor, MARK, "organisation", org)


def christmas_holidays(year: int) -> tuple[date, date]:
    """The school's Christmas holidays around 25 December of `year`: from the Saturday
    before Christmas week to the Sunday two weeks later (as the national calendar sets)."""
    christmas = date(year, 12, 25)
    start = christmas - timedelta(days=christmas.weekday() + 2)
    return start, start + timedelta(days=15)


def _school_holidays(actor: Actor, site: int, activity: int, first: date, last: date) -> None:
    """Close an after-school activity on the Christmas holidays its period covers."""
    for year in (first.year - 1, first.year, last.year):
        start, end = christmas_holidays(year)
        if start <= last and end >= first:
            closures.add_closure(actor, site, max(start, first), min(end, last),
                                 "Vacances de Noël", activity_id=activity)


def _tariffs(actor: Actor, org: int) -> None:
    with read() as session:
        units = list(session.execute(select(Unit.id, Unit.price_cents)).all())
    for label, lo, hi, ratio in [("QF 0 à 700", 0, 700, 0.5), ("QF 701 à 1200", 701, 1200, 0.75),
                                 ("QF plus de 1200", 1201, 100_000, 1.0)]:
        setup.create_bracket(actor, org, label, lo, hi,
                             {uid: int(round(price * ratio)) for uid, price in units})


# The tutorial's own words: its canteen notice and its message to parents.
CANTEEN = ("INFO CANTINE MIDI : Pour les inscriptions à la cantine (mercredis / vacances "
           "associatifs), il faut s'inscrire au Pass Enfant de la ville de Lille, à la Mairie de "
           "votre Quartier via le DFU, infos et demandes à passenfant@marie-lille.fr – "
           "03.20.49.51.51 ou sur https://espace-famille.lille.fr/")


def _family_texts(actor: Actor, today: date) -> None:
    content.update_family_texts(actor, content.FamilyTexts(
        welcome_message=("Bienvenue dans le portail famille du Centre Social Albert Jacquard.\n"
                         "Inscrivez vos enfants, réservez leurs jours d'accueil et réglez en "
                         "ligne. L'accueil répond à vos demandes du lundi au vendredi."),
        booking_memo=("Chers Parents,\nPour les nouveaux arrivants le dossier doit se faire en "
                      "format papier, par la suite nous vous enverrons votre identifiant pour "
                      "la 1ère connexion."),
        canteen_notice=CANTEEN, canteen_url="https://espace-famille.lille.fr/"))
    content.create_news(actor, "Les réservations de l'été sont ouvertes",
                        "Les accueils de loisirs d'été de Saint Gabriel et des Chats Perchés "
                        "sont ouverts aux réservations. Pensez à vérifier la tranche d'âge de "
                        "votre enfant avant d'envoyer votre demande.", today - timedelta(days=3))


def _people(actor: Actor, org: int, gabriel: int, chats: int, today: date,
            periods: dict[tuple[str, str], int]) -> None:
    accounts.create_staff_user(actor, "direction@csjacquard.example", "Direction", Role.MANAGER,
                               [], DEMO_PASSWORDS["direction@csjacquard.example"])
    accounts.create_staff_user(actor, "accueil@csjacquard.example", "Accueil", Role.STAFF,
                               [gabriel, chats], DEMO_PASSWORDS["accueil@csjacquard.example"])
    accounts.create_staff_user(actor, "accueil.stgabriel@csjacquard.example",
                               "Accueil Saint Gabriel", Role.STAFF, [gabriel],
                               DEMO_PASSWORDS["accueil.stgabriel@csjacquard.example"])
    tavernier, (lyn, _noe) = _family(actor, org, "TAVERNIER", "famille.tavernier@example.org", "Sophie", 650,
                        [("Lyn", _years_ago(today, 9), "F"), ("Noé", _years_ago(today, 4), "M")])
    martin, (emma, _hugo) = _family(actor, org, "MARTIN", "famille.martin@example.org", "Julien", 1100,
                     [("Emma", _years_ago(today, 7), "F"), ("Hugo", _years_ago(today, 3), "M")])
    benali, (ines,) = _family(actor, org, "BENALI", "famille.benali@example.org", "Nadia", 1500,
                     [("Inès", _years_ago(today, 11), "F")])
    demo_health.seed(actor, [tavernier, martin, benali], emma)

    # TAVERNIER: Lyn registered at the Chats Perchés after school.
    lyn_peri = _registered(actor, lyn, periods[("CHATS PERCHES PERISCOLAIRE", "6/12 ans")])
    fam_actor = Actor(user_id=None, role=Role.FAMILY, label="démo", family_id=tavernier)
    # MARTIN: a request waiting for reception's decision (shown with "?").
    registrations.request_registration(
        Actor(user_id=None, role=Role.FAMILY, label="démo", family_id=martin), emma,
        periods[("ST GABRIEL MERCREDI PERI", "6/12 ans")])
    # BENALI: registered for Wednesdays and after school, nothing booked ahead yet.
    ines_wed = _registered(actor, ines, periods[("CHATS PERCHES MERCREDI PERI", "6/12 ans")])
    ines_peri = _registered(actor, ines, periods[("CHATS PERCHES PERISCOLAIRE", "6/12 ans")])
    # MARTIN: Emma also goes after school at the Chats Perchés (three children share its
    # 2-place evening unit: enough to show the waiting list).
    emma_peri = _registered(actor, emma, periods[("CHATS PERCHES PERISCOLAIRE", "6/12 ans")])

    # The past weeks, for the dashboards: days attended (some absences), then TAVERNIER
    # pays by card, MARTIN by cheque at the desk, and BENALI has not paid (overdue).
    history.book_and_mark(actor, [lyn_peri, emma_peri, ines_peri, ines_wed], today)
    history.backdate_due_dates(actor, [tavernier, martin, benali], today)
    history.pay_by_card(tavernier, lyn_peri, today)
    history.pay_at_desk(actor, martin)
    # TAVERNIER: validated days ahead, left to pay (the card payment journey pays them).
    reserve(fam_actor, lyn_peri, _next_open_cells(lyn_peri, today, count=4))


def _family(actor: Actor, org: int, name: str, email: str, first: str, qf: int,
            children: list[tuple[str, date, str]]) -> tuple[int, list[int]]:
    """Create a family with a guardian account (demo password); returns it and its children."""
    family = accounts.create_family(actor, org, FamilyForm(
        name=name, guardians=[GuardianForm(first, name, email, "06 12 34 56 78")],
        children=[ChildForm(c, name, born, sex, "École Jules Simon") for c, born, sex in children],
        address="12 rue des Postes", postal_code="59000", city="Lille", qf=qf))
    for user_id in accounts.account_ids(family):
        accounts.set_password_directly(actor, user_id, DEMO_PASSWORDS[email])
    return family, child_ids(family)


def _registered(actor: Actor, child_id: int, period_id: int) -> int:
    request = registrations.request_registration(actor, child_id, period_id)
    registrations.decide(actor, request, validate=True)
    return request


def _next_open_cells(registration_id: int, today: date, count: int) -> list[tuple[date, int]]:
    """The first `count` bookable days after tomorrow, morning and afternoon units."""
    with read() as session:
        period = session.scalar(select(Period).join(Registration,
                                                    Registration.period_id == Period.id)
                                .where(Registration.id == registration_id))
        assert period is not None
        units = list(session.scalars(select(Unit.id).where(Unit.activity_id == period.activity_id)
                                     .order_by(Unit.position)))
        days = sorted(set(session.scalars(
            select(CapacitySlot.day).where(CapacitySlot.unit_id == units[0],
                                           CapacitySlot.age_group_id == period.age_group_id,
                                           CapacitySlot.day > today + timedelta(days=2)))))[:count]
    return [(d, u) for d in days for u in (units[1], units[2])]
