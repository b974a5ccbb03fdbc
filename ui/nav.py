"""Each role's menu. Home.py hands the result to st.navigation; nothing else does."""
from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from db.states import Role
from services import first_run
from services.actor import Actor
from services.errors import PortalError
from services.messages.threads import count_unread

# (file, French title, url path, material icon), grouped by menu section.
ANONYMOUS = [
    ("pages/sign_in.py", "Connexion", "connexion", "login"),
    ("pages/set_password.py", "Choisir mon mot de passe", "mot_de_passe", "key"),
    ("pages/setup.py", "Mise en service", "mise_en_service", "rocket_launch"),
    ("pages/privacy.py", "Confidentialité", "confidentialite", "shield"),
]
HELP = ("pages/portal_help.py", "Comment utiliser le portail ?", "aide", "help")
# What the portal keeps, why and how long (RGPD): public, and in every role's menu.
PRIVACY = ANONYMOUS[3]
# Families land on their dashboard; the Accueil page comes first in their menu, as in the
# tutorial's portal.
LANDING = "pages/family_home.py"
FAMILY = {
    "Mon espace": [
        ("pages/family_welcome.py", "Accueil", "bienvenue", "cottage"),
        ("pages/family_home.py", "Mon tableau de bord", "tableau_de_bord", "home"),
        ("pages/family_messages.py", "Messages", "messages", "mail"),
    ],
    "Mes inscriptions": [
        ("pages/family_registration_new.py", "Nouvelle inscription", "nouvelle_inscription",
         "add_circle"),
        ("pages/family_bookings.py", "Mes réservations", "reservations", "calendar_month"),
    ],
    "Mon dossier": [
        ("pages/family_members.py", "Ma famille", "ma_famille", "family_restroom"),
        ("pages/family_contact.py", "Mes coordonnées", "coordonnees", "contact_mail"),
        ("pages/family_documents.py", "Mes documents", "mes_documents", "upload_file"),
        ("pages/family_account.py", "Mon compte", "mon_compte", "account_balance_wallet"),
    ],
    "Aide": [HELP, PRIVACY],
}
STAFF = {
    "Accueil": [
        ("pages/staff_home.py", "Tableau de bord de l'accueil", "accueil", "dashboard"),
        ("pages/staff_queue.py", "File de validation", "validation", "checklist"),
        ("pages/staff_messages.py", "Messages des familles", "messagerie", "forum"),
        ("pages/staff_waitlist.py", "Listes d'attente", "listes_attente", "hourglass_top"),
        ("pages/staff_families.py", "Familles", "familles", "family_restroom"),
        ("pages/staff_attendance.py", "Pointage", "pointage", "fact_check"),
        ("pages/staff_outbox.py", "Mails envoyés", "mails", "mail"),
        ("pages/staff_payments.py", "Encaissements", "encaissements", "point_of_sale"),
        ("pages/staff_changes.py", "Demandes de modification", "demandes_modification",
         "edit_note"),
        ("pages/staff_audit.py", "Journal des actions", "journal", "history"),
        HELP,
        PRIVACY,
    ],
    "Tableaux de bord": [
        ("pages/dashboard_occupancy.py", "Occupation des places", "occupation", "event_seat"),
        ("pages/dashboard_waitlist.py", "Indicateurs d'attente", "pression_attente",
         "hourglass_top"),
        ("pages/dashboard_attendance.py", "Présences et absences", "presences", "fact_check"),
        ("pages/dashboard_money.py", "Facturation et impayés", "facturation", "euro"),
        ("pages/dashboard_funder.py", "Bilan CAF", "bilan_caf", "summarize"),
    ],
}
MANAGER_HOME = {
    "Direction": [
        ("pages/manager_home.py", "Tableau de bord de la direction", "direction", "insights"),
    ],
}
MANAGER_EXTRA: dict[str, list[tuple[str, str, str, str]]] = {
    "Configuration": [
        ("pages/manager_offer.py", "Périodes", "periodes", "date_range"),
        ("pages/manager_units.py", "Unités et tarifs", "unites", "euro"),
        ("pages/manager_places.py", "Places", "places", "event_seat"),
        ("pages/manager_closures.py", "Fermetures et congés", "fermetures", "event_busy"),
        ("pages/manager_centre.py", "Mon centre", "mon_centre", "domain"),
        ("pages/manager_family_texts.py", "Accueil des familles", "accueil_familles",
         "campaign"),
        ("pages/manager_documents.py", "Pièces à fournir", "pieces", "description"),
        ("pages/manager_consents.py", "Autorisations parentales", "autorisations",
         "verified_user"),
        ("pages/manager_sites.py", "Lieux d'accueil", "lieux", "location_on"),
        ("pages/manager_activities.py", "Activités", "activites", "category"),
        ("pages/manager_ages.py", "Tranches d'âge", "tranches_age", "cake"),
        ("pages/manager_brackets.py", "Tranches de QF", "tranches_qf", "stairs"),
        ("pages/manager_accounts.py", "Comptes du personnel", "comptes", "manage_accounts"),
    ],
}

MENUS = (FAMILY, STAFF, MANAGER_HOME, MANAGER_EXTRA)  # every signed-in page is in one


# The pages whose menu title carries the count of threads with an unread message.
MESSAGE_PAGES = ("pages/family_messages.py", "pages/staff_messages.py")


def _with_unread(groups: dict[str, list[tuple[str, str, str, str]]],
                 actor: Actor) -> dict[str, list[tuple[str, str, str, str]]]:
    """The menus, the messages page titled with its unread count (« Messages (2) »)."""
    try:
        unread = count_unread(actor)
    except PortalError:  # the menu still draws when the count cannot be read
        unread = 0
    if not unread:
        return groups
    return {section: [(path, f"{title} ({unread})", url, icon) if path in MESSAGE_PAGES
                      else (path, title, url, icon) for path, title, url, icon in specs]
            for section, specs in groups.items()}


def _page(spec: tuple[str, str, str, str], default: bool = False) -> st.Page:  # type: ignore[name-defined]
    path, title, url, icon = spec
    return st.Page(path, title=title, url_path=url, icon=f":material/{icon}:", default=default)


def _sections(groups: dict[str, list[tuple[str, str, str, str]]]) -> dict[str, list]:  # type: ignore[type-arg]
    paths = [spec[0] for specs in groups.values() for spec in specs]
    landing = LANDING if LANDING in paths else paths[0]
    return {section: [_page(spec, default=spec[0] == landing) for spec in specs]
            for section, specs in groups.items()}


def _signed_out() -> list:  # type: ignore[type-arg]
    """Every signed-in address, signed out, shows the sign-in (not Streamlit's "Page not
    found"); the address stays, so that after signing in the user lands on that page."""
    public = {spec[2] for spec in ANONYMOUS}
    urls = dict.fromkeys(url for groups in MENUS for specs in groups.values()
                         for _, _, url, _ in specs if url not in public)
    return [st.Page(ANONYMOUS[0][0], title="Connexion", url_path=url, visibility="hidden")
            for url in urls]


def asked_path(url: str | None) -> str:
    """The page path of an address if it is one of the menus' pages, else '' (the home)."""
    path = urlsplit(url or "").path.strip("/")
    known = {u for groups in MENUS for specs in groups.values() for _, _, u, _ in specs}
    return path if path in known else ""


def pages_for(actor: Actor | None) -> dict[str, list] | list:  # type: ignore[type-arg]
    """The pages this actor may open; anything else is unreachable by URL."""
    if actor is None:
        if first_run.needs_setup():  # a new installation: setting up is all there is to do
            return [_page(ANONYMOUS[2], default=True)]
        return [_page(ANONYMOUS[0], default=True), _page(ANONYMOUS[1]), _page(PRIVACY),
                *_signed_out()]
    if actor.role == Role.FAMILY:
        return _sections(_with_unread(FAMILY, actor))
    if actor.role != Role.MANAGER:
        return _sections(_with_unread(STAFF, actor))
    groups = {**MANAGER_HOME, **STAFF}  # the direction lands on its own page
    for section, specs in MANAGER_EXTRA.items():
        groups[section] = groups.get(section, []) + specs
    return _sections(_with_unread(groups, actor))


def url_of(path: str) -> str:
    """The address of a page file of any menu ('' if none has it)."""
    for groups in MENUS:
        for specs in groups.values():
            for file, _, url, _ in specs:
                if file == path:
                    return url
    return ""
