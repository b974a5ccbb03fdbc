"""First run on both engines: the centre, its first site and its first manager are created
once, with a single-use set-password link; a second or concurrent setup is refused, and bad
input changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import read
from db.models import AuditEntry, LinkToken, Mail, Organisation, Site, UserAccount
from db.states import Role
from services import first_run, organisation
from services.auth import links, login
from services.errors import InvalidInput, PortalError
from services.organisation import ProfileForm
from tests.invariants import at_once

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def tilleuls(**changes: object) -> first_run.SetupForm:
    """A centre that is not the demo's."""
    profile = ProfileForm(
        name="Maison de l'Enfance des Tilleuls", address="4 allée des Tilleuls",
        postal_code="35000", city="Rennes", phone="02 99 00 11 22",
        email="accueil@tilleuls.example", opening_hours="du lundi au vendredi, 8h30-18h",
        website="https://tilleuls.example", legal_notice="Association loi 1901.",
        rules_url="https://tilleuls.example/reglement.pdf",
        documents_required="Attestation d'assurance.")
    values: dict[str, object] = dict(profile=profile, site_name="Les Tilleuls",
                                     site_address="4 allée des Tilleuls, Rennes",
                                     manager_name="Claire Morvan",
                                     manager_email="direction@tilleuls.example")
    values.update(changes)
    return first_run.SetupForm(**values)  # type: ignore[arg-type]


def _counts() -> tuple[int, int, int, int]:
    with read() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))  # type: ignore[return-value]
                     for model in (Organisation, Site, UserAccount, Mail))


def test_setup_creates_the_centre_its_site_and_a_manager_who_sets_a_password(database, capsys):
    assert first_run.needs_setup()
    done = first_run.set_up(tilleuls(rules_pdf=PDF))
    assert not first_run.needs_setup() and not done.mailed
    profile = organisation.get_profile()
    assert (profile.name, profile.city, profile.postal_code, profile.website) == (
        "Maison de l'Enfance des Tilleuls", "Rennes", "35000", "https://tilleuls.example")
    assert profile.has_rules_pdf and organisation.rules_pdf() == PDF
    with read() as session:
        site = session.scalars(select(Site)).one()
        manager = session.scalars(select(UserAccount)).one()
        mail = session.scalars(select(Mail)).one()
        actions = set(session.scalars(select(AuditEntry.action)))
        assert session.scalar(select(func.count()).select_from(LinkToken)) == 1
    assert (site.name, site.organisation_id) == ("Les Tilleuls", done.organisation_id)
    assert (manager.role, manager.password_hash) == (Role.MANAGER.value, None)
    assert {"setup_organisation", "invitation_sent"} <= actions
    # The mail carries the link (masked in the stored body, written on the console without
    # SMTP) and the new centre's name, never a password.
    assert mail.recipient == "direction@tilleuls.example" and done.link not in mail.body
    assert done.link in capsys.readouterr().err
    assert mail.body.rstrip().endswith("Maison de l'Enfance des Tilleuls")
    assert "mot de passe :" in mail.body and "Jacquard" not in mail.body
    token = done.link.split("jeton=")[1]
    links.redeem(token, "Boussole-Marine-73")
    assert login.sign_in("direction@tilleuls.example", "Boussole-Marine-73").actor.role == Role.MANAGER
    with pytest.raises(PortalError):
        links.redeem(token, "Girouette-Ocre-19")  # single use


def test_setup_happens_once(database):
    first_run.set_up(tilleuls())
    before = _counts()
    with pytest.raises(first_run.AlreadySetUp) as refused:
        first_run.set_up(tilleuls(manager_email="autre@tilleuls.example"))
    assert "déjà mis en service" in refused.value.message
    assert _counts() == before


def test_two_submits_at_once_create_one_centre(database):
    results = at_once([lambda i=i: first_run.set_up(tilleuls(manager_email=f"d{i}@t.example"))
                       for i in range(4)])
    created = [r for r in results if isinstance(r, first_run.SetupDone)]
    refused = [r for r in results if isinstance(r, first_run.AlreadySetUp)]
    assert len(created) == 1 and len(refused) == 3, results
    assert _counts()[:3] == (1, 1, 1)


@pytest.mark.parametrize("changes, message", [
    (dict(profile=ProfileForm(name="  ")), "« Nom de la structure » est obligatoire"),
    (dict(site_name=""), "« Nom du lieu d'accueil » est obligatoire"),
    (dict(manager_name=""), "« Nom de la personne de direction » est obligatoire"),
    (dict(manager_email="direction@"), "n'est pas une adresse e-mail valide"),
    (dict(profile=ProfileForm(name="X", postal_code="3500")), "5 chiffres"),
    (dict(profile=ProfileForm(name="X", website="tilleuls.example")), "https://"),
    (dict(profile=ProfileForm(name="X", phone="appelez-nous")), "numéro de téléphone"),
    (dict(profile=ProfileForm(name="X", email="accueil")), "adresse e-mail valide"),
    (dict(profile=ProfileForm(name="Centre\x00")), "caractère non autorisé"),
    (dict(profile=ProfileForm(name="Centre ☀")), "ne s'imprime pas"),
    (dict(profile=ProfileForm(name="X" * 201)), "200 caractères"),
    (dict(rules_pdf=b"<html>pas un pdf</html>"), "fichier PDF"),
])
def test_bad_input_is_refused_in_french_and_changes_nothing(database, changes, message):
    with pytest.raises(InvalidInput) as refused:
        first_run.set_up(tilleuls(**changes))
    assert message in refused.value.message
    assert _counts() == (0, 0, 0, 0) and first_run.needs_setup()


def test_the_manager_edits_the_profile_and_every_reader_sees_it(database):
    manager = login.resolve_session(_signed_in_manager(first_run.set_up(tilleuls())))
    assert organisation.get_profile().city == "Rennes"  # now cached
    changed = organisation.update_profile(manager, ProfileForm(
        name="MEF des Tilleuls", city="Saint-Malo", postal_code="35400",
        opening_hours="mardi et jeudi, 9h-17h"), rules_pdf=PDF)
    assert "name" in changed and "rules_pdf" in changed
    profile = organisation.get_profile()
    assert (profile.name, profile.city, profile.address) == ("MEF des Tilleuls", "Saint-Malo", "")
    assert profile.hours_sentence == " (mardi et jeudi, 9h-17h)" and profile.has_rules_pdf
    with read() as session:
        assert "update_organisation" in set(session.scalars(select(AuditEntry.action)))
    organisation.update_profile(manager, ProfileForm(name="MEF des Tilleuls"),
                                drop_rules_pdf=True)
    assert organisation.rules_pdf() is None


def test_profile_edits_are_for_managers_and_bad_values_change_nothing(database):
    manager = login.resolve_session(_signed_in_manager(first_run.set_up(tilleuls())))
    with pytest.raises(InvalidInput, match="https://"):
        organisation.update_profile(manager, ProfileForm(name="Autre", website="ftp://x"))
    with pytest.raises(InvalidInput, match="PDF"):
        organisation.update_profile(manager, ProfileForm(name="Autre"), rules_pdf=b"GIF89a")
    assert organisation.get_profile().name == "Maison de l'Enfance des Tilleuls"
    staff = manager.__class__(user_id=manager.user_id, role=Role.STAFF, label="accueil")
    with pytest.raises(PortalError):
        organisation.update_profile(staff, ProfileForm(name="Autre"))
    assert organisation.get_profile().name == "Maison de l'Enfance des Tilleuls"


def _signed_in_manager(done: first_run.SetupDone) -> str:
    links.redeem(done.link.split("jeton=")[1], "Boussole-Marine-73")
    return login.sign_in("direction@tilleuls.example", "Boussole-Marine-73").token
