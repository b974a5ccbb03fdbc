"""The tabs of a family file at the desk: the file, bookings, booking for the family,
balance and mails."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from services import registrations
from services.actor import Actor
from services.booking.reserve import reserve
from services.errors import PortalError
from services.families.accounts import GuardianForm
from services.staff import choices, family_edit, family_files
from services.staff.family_files import FamilyFile
from services.staff.mails import list_outbox
from ui import tables
from ui.failure import show_error
from ui.family_forms import DOCUMENTS
from ui.format import day, euros, moment
from ui.safe import md
from services.families.names import full_name
from services import clock

REG_STATES = {"requested": "? En attente de validation", "validated": "Validée",
              "refused": "Refusée", "cancelled": "Annulée"}
WEEKDAYS = {"1": "lundi", "2": "mardi", "3": "mercredi", "4": "jeudi", "5": "vendredi"}


def flash(text: str) -> None:
    st.session_state["family_flash"] = text
    st.rerun()


def the_file(actor: Actor, file: FamilyFile) -> None:
    """Guardians, contacts, children, documents, portal accounts and the invitation."""
    place = " ".join(p for p in (file.address, file.postal_code, file.city) if p)
    parts = [place, file.phone, file.email or "pas d’e-mail",
             f"QF : {file.qf if file.qf is not None else 'non renseigné'}"]
    st.markdown(" · ".join(md(p) for p in parts if p))
    for g in file.guardians:
        st.markdown(f"- **{md(g.first_name)} {md(g.last_name)}** "
                    f"({md(g.relationship or 'Responsable')}) · "
                    f"{md(g.email or '')} {md(g.phone or '')}")
    for c in file.children:
        st.markdown(f"- Enfant : **{md(full_name(c.first_name, c.last_name))}**, "
                    f"né(e) le {day(c.birth_date)}"
                    f"{' · ' + md(c.school) if c.school else ''}")
    docs = ", ".join(f"{md(d.kind)} ({day(d.received_on)})" for d in file.documents
                     if d.received_on)
    st.markdown(f"Pièces reçues : {docs or 'aucune'}")  # kinds escaped above
    for a in file.accounts:
        status = ("mot de passe choisi" if a.has_password else
                  "invitation envoyée, en attente" if a.invited else "invitation jamais envoyée")
        st.caption(f"Compte portail {md(a.email)} : {status}")
    label = "Renvoyer le lien d'invitation" if any(a.invited for a in file.accounts) else \
        "Envoyer le lien d'invitation"
    if st.button(label, icon=":material/send:", key="invite"):
        try:
            n = family_edit.invite_family(actor, file.id)
        except PortalError as error:
            show_error(error)
        else:
            flash(f"Lien envoyé ({n} compte(s)). Il est valable 48 heures et ne sert qu'une fois.")
    with st.expander("Ajouter un contact ou une pièce reçue"):
        with st.form("add_contact"):
            cols = st.columns(3)
            first = cols[0].text_input("Prénom du contact")
            last = cols[1].text_input("Nom du contact")
            phone = cols[2].text_input("Téléphone du contact")
            if st.form_submit_button("Ajouter le contact"):
                _run(lambda: family_edit.add_guardian(actor, file.id, GuardianForm(
                    first, last, "", phone, family_edit.CONTACT)), "Contact ajouté.")
        with st.form("add_document"):
            kind = st.selectbox("Pièce", DOCUMENTS)
            until = st.date_input("Valable jusqu'au (facultatif)", value=None,
                                  format="DD/MM/YYYY")
            if st.form_submit_button("Noter la pièce reçue aujourd'hui"):
                _run(lambda: family_edit.record_document(actor, file.id, kind, clock.today(),
                                                         valid_until=until), "Pièce notée.")


def _run(call, success: str) -> None:  # type: ignore[no-untyped-def]
    try:
        call()
    except PortalError as error:
        show_error(error)
    else:
        flash(success)


def bookings(actor: Actor, file: FamilyFile) -> None:
    """Registrations and reservations (from 30 days ago)."""
    regs = family_files.list_family_registrations(actor, file.id)
    st.markdown("**Inscriptions**")
    if regs.empty:
        st.write("Aucune inscription sur vos lieux d'accueil.")
    else:
        regs["État"] = regs["État"].map(REG_STATES)
        tables.table(regs.drop(columns=["id", "activity_id"]), hide_index=True,
                     width="stretch")
    st.markdown("**Réservations**")
    table = family_files.list_family_reservations(actor, file.id,
                                                  since=clock.today() - timedelta(days=30))
    if table.empty:
        st.write("Aucune réservation.")
    else:
        tables.table(table, hide_index=True, width="stretch")


def register_child(actor: Actor, file: FamilyFile) -> None:
    """Ask a registration for a child (the paper request brought to the desk)."""
    if not file.children:
        return
    with st.form("staff_registration"):
        kids = {full_name(c.first_name, c.last_name): c.id for c in file.children}
        child = st.selectbox("Enfant", list(kids), key="staff_registration_child")
        periods = {p.label: p.id for p in choices.list_periods(actor)}
        period = st.selectbox("Période", list(periods))
        if st.form_submit_button("Enregistrer la demande d'inscription"):
            _run(lambda: registrations.request_registration(actor, kids[child], periods[period],
                                                            file.id),
                 "Demande d'inscription enregistrée : validez-la dans la file de validation.")


def book_for_family(actor: Actor, file: FamilyFile) -> None:
    """Réservation facilitée: staff book days for the family, shown as such to it."""
    regs = family_files.validated_registrations(actor, file.id)
    if regs.empty:
        st.info("Aucune inscription validée : la réservation se fait après validation.")
        return
    options = {label: int(i) for i, label in zip(regs["id"], regs["Choix"])}
    picked = st.selectbox("Inscription", list(options), key="book_reg")
    reg_id = options[picked]
    row = regs[regs["id"] == reg_id].iloc[0]
    units = choices.list_units(actor, int(row["activity_id"]))
    with st.form("book_for_family"):
        start = st.date_input("Du", value=max(clock.today(), row["Début"]),
                              min_value=row["Début"], max_value=row["Fin"], format="DD/MM/YYYY")
        end = st.date_input("Au", value=max(clock.today(), row["Début"]), min_value=row["Début"],
                            max_value=row["Fin"], format="DD/MM/YYYY")
        weekdays = st.multiselect("Jours", list(WEEKDAYS), default=list(WEEKDAYS),
                                  format_func=WEEKDAYS.get, placeholder="Choisir…")
        unit_names = st.multiselect("Unités", [u.label for u in units], placeholder="Choisir…")
        submitted = st.form_submit_button("Réserver pour la famille", type="primary")
    if submitted:
        days = [start + timedelta(days=n) for n in range(max(0, (end - start).days + 1))]
        cells = [(d, u.id) for d in days if str(d.isoweekday()) in weekdays
                 for u in units if u.label in unit_names]
        try:
            result = reserve(actor, reg_id, cells, by_staff=True)
        except PortalError as error:
            show_error(error)
        else:
            for cell in result.cells:
                st.write(f"{day(cell.day)} · {md(cell.unit_name)} : {md(cell.describe())}")


def money_and_mails(actor: Actor, file: FamilyFile) -> None:
    """Balance (read-only) and the mails sent to the family."""
    balance = family_files.get_balance(actor, file.id)
    cols = st.columns(3)
    cols[0].metric("Prestations", euros(balance.due_cents))
    cols[1].metric("Réglé", euros(balance.paid_cents))
    cols[2].metric("Reste à payer", euros(balance.balance_cents))
    for mail in list_outbox(actor, family_id=file.id, limit=50):
        with st.expander(f"{moment(mail.created_at)} · {md(mail.subject)}"):
            st.caption(f"À {md(mail.recipient)} · {md(mail.state)}")
            st.text(mail.body)
