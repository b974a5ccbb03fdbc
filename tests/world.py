"""The shared test world, built only through services: an organisation, two sites,
periscolaire and Wednesday activities, periods, staff, and two families."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from db.states import Role
from services.actor import SYSTEM, Actor
from services.auth import login
from services.booking.rules import LOCAL
from services.catalogue import setup
from services.catalogue.queries import unit_ids
from services.catalogue.setup import UnitSpec
from services.families import accounts
from services.families.accounts import ChildForm, FamilyForm, GuardianForm
from services.families.queries import child_ids
from services.health import pickup
from services.health.forms import PickupForm

PASSWORD = "Tulipe-Verte-8421"
UNITS = ["ACCUEIL RELAI MATIN", "MATIN AVEC REPAS", "APRES-MIDI", "ACCUEIL RELAI SOIR"]


@dataclass(frozen=True)
class World:
    today: date
    organisation: int
    site_chats: int
    site_gabriel: int
    age_groups: dict[str, int]
    activity_peri: int
    activity_wed: int
    units_peri: list[int]
    units_wed: list[int]
    period_peri: int        # Chats Perchés périscolaire 6/12, validates by itself
    period_peri_small: int  # Chats Perchés périscolaire 4/5
    period_wed: int         # Saint Gabriel mercredis 6/12, staff validate
    first_day: date         # first open day of the periods (a Monday two weeks ahead)
    manager: Actor
    staff: Actor            # both sites
    staff_gabriel: Actor    # Saint Gabriel only
    family_a: Actor
    family_b: Actor
    family_a_id: int
    family_b_id: int
    lea: int                # family A, 8 years old
    tom: int                # family A, 4 years old
    zoe: int                # family B, 9 years old


def _born(today: date, years: int) -> date:
    return date(today.year - years, 1, 15)


def build(capacity: int = 2) -> World:
    today = datetime.now(LOCAL).date()
    a = SYSTEM
    org = setup.create_organisation(a, "Centre Social Albert Jacquard")
    chats = setup.create_site(a, org, "Les Chats Perchés", "140 rue du Buisson, Lille")
    gabriel = setup.create_site(a, org, "Saint Gabriel", "113-115 rue Saint Gabriel, Lille")
    peri_type = setup.ensure_activity_type(a, "PERI", "Périscolaire")
    groups = {lbl: setup.create_age_group(a, org, lbl, lo, hi)
              for lbl, lo, hi in [("2/3 ans", 2, 3), ("4/5 ans", 4, 5), ("6/12 ans", 6, 12)]}
    specs = [UnitSpec(name, time(7 + 3 * i), time(9 + 3 * i), 100 * (i + 1), capacity=capacity)
             for i, name in enumerate(UNITS)]
    peri = setup.create_activity(a, chats, peri_type, "CHATS PERCHES PERISCOLAIRE", specs)
    wed = setup.create_activity(a, gabriel, peri_type, "ST GABRIEL MERCREDI PERI", specs)
    first = today + timedelta(days=14 - today.weekday())
    last = first + timedelta(days=55)
    opened = datetime.combine(today - timedelta(days=10), time(7), tzinfo=LOCAL)
    p_peri = setup.create_period(a, peri, groups["6/12 ans"], "Péri 6/12 ans", first, last, opened,
                                 weekdays="1245")
    p_small = setup.create_period(a, peri, groups["4/5 ans"], "Péri 4/5 ans", first, last, opened,
                                  weekdays="1245")
    p_wed = setup.create_period(a, wed, groups["6/12 ans"], "Mercredi 6/12 ans", first, last,
                                opened, weekdays="3", auto_validate=False)
    accounts.create_staff_user(a, "direction@test.example", "Direction",
                                            Role.MANAGER, [], PASSWORD)
    accounts.create_staff_user(a, "accueil@test.example", "Accueil", Role.STAFF,
                               [chats, gabriel], PASSWORD)
    accounts.create_staff_user(a, "gabriel@test.example", "Accueil Gabriel", Role.STAFF,
                               [gabriel], PASSWORD)
    fam_a = accounts.create_family(a, org, FamilyForm(
        "DUPONT", [GuardianForm("Claire", "DUPONT", "dupont@test.example")],
        [ChildForm("Léa", "DUPONT", _born(today, 8)), ChildForm("Tom", "DUPONT", _born(today, 4))],
        qf=650))
    fam_b = accounts.create_family(a, org, FamilyForm(
        "DURAND", [GuardianForm("Marc", "DURAND", "durand@test.example")],
        [ChildForm("Zoé", "DURAND", _born(today, 9))], qf=1500))
    for fam in (fam_a, fam_b):
        for user in accounts.account_ids(fam):
            accounts.set_password_directly(a, user, PASSWORD)
    for fam, contact in ((fam_a, "Mamie DUPONT"), (fam_b, "Papi DURAND")):
        pickup.add_pickup_person(a, fam, PickupForm(contact, "Grand-parent", "06 00 00 00 00",
                                                    emergency=True))
    lea, tom = _children(fam_a)
    (zoe,) = child_ids(fam_b)
    return World(
        today, org, chats, gabriel, groups, peri, wed, unit_ids(peri), unit_ids(wed),
        p_peri, p_small, p_wed, first,
        manager=sign_in("direction@test.example"), staff=sign_in("accueil@test.example"),
        staff_gabriel=sign_in("gabriel@test.example"),
        family_a=sign_in("dupont@test.example"), family_b=sign_in("durand@test.example"),
        family_a_id=fam_a, family_b_id=fam_b, lea=lea, tom=tom, zoe=zoe)


def _children(family_id: int) -> tuple[int, int]:
    ids = child_ids(family_id)  # eldest first
    return ids[0], ids[1]


def sign_in(email: str) -> Actor:
    return login.sign_in(email, PASSWORD).actor


def add_child(world: World, family_id: int, first_name: str, years: int) -> int:
    """Add a child to a family through the staff service."""
    from services.families.children import add_child as add

    return add(world.staff, family_id, ChildForm(first_name, "TEST", _born(world.today, years)))
