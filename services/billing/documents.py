"""PDFs on request: monthly invoices (issued once, see invoices.py), registration certificates, and the
yearly tax certificate for childcare costs of children under 6 (amounts paid in the year)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from db.engine import read, transaction
from db.models import (Activity, Charge, Child, Family, Invoice, Organisation, Payment,
                       PaymentAllocation, Period, Registration, Site)
from db.states import PaymentMethod, PaymentState
from services import organisation
from services.actor import Actor
from services.billing import invoices
from services.billing.accounts import family_scope
from services.billing.invoice_render import month_name
from services.billing.pdf import Document, euros
from services.booking.rules import LOCAL
from services.errors import InvalidInput, NotFound
from services.families.households import children_of, household_for
from services.families.scope import visible_child
from services.registrations import age_on
from services.staff import scope
from services.families.names import full_name

def _letterhead(session: Session, family: Family) -> tuple[str, str]:
    org = session.get(Organisation, family.organisation_id)
    assert org is not None
    profile = organisation.profile_of(org)
    return profile.name, profile.letterhead


def _family(session: Session, family_id: int) -> Family:
    family = session.get(Family, family_id)
    if family is None:
        raise NotFound("Cette famille n'existe pas.")
    return family


def invoice_pdf(actor: Actor, month: date, family_id: int | None = None) -> bytes:
    """The family's invoice for a month, issued (numbered and frozen) at the first request,
    then the very same PDF at every download (services/billing/invoices.py)."""
    family_id = family_scope(actor, family_id)
    first = month.replace(day=1)
    with read() as session:
        issued = invoices.find_issued(session, family_id, first)
        if issued is not None and issued.pdf is not None:
            return issued.pdf
    if not invoices.may_issue(first):
        raise InvalidInput(f"La facture de {month_name(first)} sera établie à partir du "
                           f"1er {month_name(first)}.")
    with transaction() as session:
        pdf = invoices.issue(session, actor, _family(session, family_id), first).pdf
        assert pdf is not None
        return pdf


def invoice_months(actor: Actor, family_id: int | None = None) -> list[date]:
    """First days of the months in which the family has charges or an issued invoice,
    latest first."""
    family_id = family_scope(actor, family_id)
    with read() as session:
        days = set(session.scalars(select(Charge.day).where(Charge.family_id == family_id,
                                                            Charge.cancelled_at.is_(None))))
        issued = session.scalars(select(Invoice.month).where(Invoice.family_id == family_id))
        return sorted({d.replace(day=1) for d in days} | set(issued), reverse=True)


def opening_month(months: list[date], today: date) -> int:
    """Index of the month an invoice picker opens on: the current month, else the latest
    past one (days booked ahead make future months that are not to be paid yet)."""
    this_month = today.replace(day=1)
    past = [i for i, m in enumerate(months) if m <= this_month]
    return max(past, key=lambda i: months[i]) if past else 0


def _registration(session: Session, actor: Actor,
                  registration_id: int) -> tuple[Registration, Child, Period, Activity, Site]:
    row = session.execute(
        select(Registration, Child, Period, Activity, Site)
        .join(Child, Child.id == Registration.child_id)
        .join(Period, Period.id == Registration.period_id)
        .join(Activity, Activity.id == Period.activity_id)
        .join(Site, Site.id == Activity.site_id)
        .where(Registration.id == registration_id)).first()
    if row is None:
        raise NotFound("Cette inscription n'existe pas.")
    scope.require_registration(session, actor, registration_id)
    return row[0], row[1], row[2], row[3], row[4]


def registration_certificate_pdf(actor: Actor, registration_id: int) -> bytes:
    """Attestation d'inscription of a validated registration."""
    with read() as session:
        registration, child, period, activity, site = _registration(session, actor,
                                                                    registration_id)
        if registration.state != "validated":
            raise InvalidInput("Seule une inscription validée peut faire l'objet "
                               "d'une attestation.")
        family = _family(session, registration.family_id)
        doc = Document(*_letterhead(session, family), "Attestation d'inscription")
        name = full_name(child.first_name, child.last_name)
        doc.para(f"{doc.organisation} atteste que l'enfant {name}, "
                 f"né(e) le {child.birth_date:%d/%m/%Y}, est inscrit(e) à l'activité "
                 f"« {activity.name} » – {period.name}, au lieu d'accueil {site.name} "
                 f"({site.address}), du {period.start_date:%d/%m/%Y} au "
                 f"{period.end_date:%d/%m/%Y}.")
        doc.para(f"Responsable : famille {family.name}, {family.address} {family.postal_code} "
                 f"{family.city}.")
        doc.para("Attestation délivrée pour servir et valoir ce que de droit.")
        doc.signature(organisation.get_profile().city, datetime.now(LOCAL).date())
        return doc.render()


def tax_children(actor: Actor, year: int, family_id: int | None = None) -> list[tuple[int, str]]:
    """Children who were under 6 on 1 January of `year` (the tax rule) and for whom something
    was paid that year (no certificate of 0,00 €), as (id, name)."""
    family_id = family_scope(actor, family_id)
    with read() as session:
        children = list(session.scalars(select(Child).where(children_of(family_id))
                                        .order_by(Child.birth_date)))
        return [(c.id, full_name(c.first_name, c.last_name)) for c in children
                if age_on(c.birth_date, date(year, 1, 1)) < 6 and c.birth_date.year <= year
                and paid_in_year(session, c.id, year, family_id).total_cents > 0]


@dataclass(frozen=True)
class PaidForCare:
    """What a family paid in a year for a child's care, and the meals' part of it."""

    total_cents: int
    meal_cents: int
    cesu_cents: int = 0  # paid with CESU titles: the employer's part is not the family's cost

    @property
    def declarable_cents(self) -> int:
        """Meals (frais de nourriture) do not count as childcare costs for the tax credit."""
        return self.total_cents - self.meal_cents


def paid_in_year(session: Session, child_id: int, year: int,
                 family_id: int | None = None) -> PaidForCare:
    """Cents paid in `year` for the child's childcare actually charged (live charges), by
    one household if given (each declares what it paid); a charge paid in part counts its
    meal in proportion."""
    start = datetime.combine(date(year, 1, 1), time(0), tzinfo=LOCAL)
    end = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=LOCAL)
    rows = session.execute(
        select(PaymentAllocation.amount_cents, Charge.amount_cents, Charge.meal_cents,
               Payment.method)
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .join(Charge, Charge.id == PaymentAllocation.charge_id)
        .join(Registration, Registration.id == Charge.registration_id)
        .where(Registration.child_id == child_id, Charge.cancelled_at.is_(None),
               Payment.state == PaymentState.PAID.value, Payment.paid_at >= start,
               Payment.paid_at < end,
               Charge.family_id == family_id if family_id is not None else true())).all()
    total = sum(paid for paid, _, _, _ in rows)
    meals = sum(paid * meal // amount for paid, amount, meal, _ in rows if amount)
    cesu = sum(paid for paid, _, _, method in rows if method == PaymentMethod.CESU.value)
    return PaidForCare(total, meals, cesu)


def tax_certificate_pdf(actor: Actor, child_id: int, year: int,
                        family_id: int | None = None) -> bytes:
    """Attestation fiscale de frais de garde for a child under 6, for the amounts one of its
    households (the caller's; staff may name one) paid in `year`."""
    with read() as session:
        child = visible_child(session, actor, child_id)
        household = household_for(session, actor, child, family_id)
        if age_on(child.birth_date, date(year, 1, 1)) >= 6:
            raise InvalidInput(f"{child.first_name} avait 6 ans ou plus au 1er janvier {year} : "
                               "pas d'attestation de frais de garde.")
        family = _family(session, household)
        paid = paid_in_year(session, child_id, year, household)
        meals = (f", dont {euros(paid.meal_cents)} de frais de repas, qui ne sont pas des frais "
                 "de garde" if paid.meal_cents else "")
        doc = Document(*_letterhead(session, family), f"Attestation de frais de garde {year}")
        doc.para(f"{doc.organisation} atteste avoir reçu de la famille {family.name} "
                 f"({family.address} {family.postal_code} {family.city}), au cours de l'année "
                 f"{year}, la somme de {euros(paid.total_cents)}{meals}, au titre de la garde "
                 f"de l'enfant {full_name(child.first_name, child.last_name)}, né(e) le "
                 f"{child.birth_date:%d/%m/%Y}, âgé(e) de moins de 6 ans au 1er janvier de "
                 "l'année.")
        doc.para(f"Montant à déclarer (frais de garde des enfants de moins de 6 ans, hors "
                 f"frais de repas) : {euros(paid.declarable_cents)}", bold=True)
        if paid.cesu_cents:
            # CESU préfinancés are employer aid: the family deducts the employer's part,
            # which only the family's employer statement gives.
            doc.para(f"Dont {euros(paid.cesu_cents)} réglés en CESU préfinancés : la part "
                     "financée par votre employeur est à déduire du montant déclaré.")
        doc.para("Attestation établie pour la déclaration des revenus (crédit d'impôt pour "
                 "frais de garde des jeunes enfants).", size=9)
        doc.signature(organisation.get_profile().city, datetime.now(LOCAL).date())
        return doc.render()
