"""The demo's community-support record: tenants of the Thetford Mines housing office followed by the
working committee (the office's rental technician, the Réseaux d'entraide's proximity worker, the
CISSS community organizer).

Every name is visibly fictional (« Démo » in each family name) and every phone uses 555. Dates run
over the year before today, so that the caseload shows follow-ups due and overdue. Everything is
written through the services, as the committee would: audited, with consents checked.
Loading twice changes nothing: the first demo tenant is looked for first.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from toitcommun.directory.models import Service, ServiceStatus
from toitcommun.housing.models import Building
from toitcommun.organizations.models import Organization
from toitcommun.people.models import Person
from toitcommun.people.services import (
    consent_record,
    consent_revoke,
    household_add_member,
    household_create,
    person_register,
)
from toitcommun.support.models import InterventionCategory, Referral, ReferralEvent
from toitcommun.support.services import (
    case_review_add_person,
    case_review_create,
    case_review_note_write,
    intervention_record,
    referral_accept,
    referral_close,
    referral_create,
    referral_decline,
    referral_send,
    referral_start,
)

OMH_TM = "Office municipal d'habitation de Thetford Mines"
ENTRAIDE = "Réseaux d'entraide des Appalaches"
CISSS = "CISSS de Chaudière-Appalaches"

FIRST_NAMES = ["Ginette", "Réjean", "Lucie", "Gaétan", "Monique", "Normand", "Francine", "Yvon", "Diane",
               "Sylvain", "Carole", "Denis", "Nathalie", "Luc", "Johanne", "Mario", "Chantal", "Serge",
               "Manon", "Alain", "Sylvie", "Daniel", "Line", "Robert", "Josée", "Pierre", "Suzanne", "Michel",
               "Hélène", "André", "Louise", "Guy", "Nicole", "Claude", "Martine", "Jacques"]
FAMILY_NAMES = ["Lessard", "Poulin", "Giguère", "Vachon", "Rodrigue", "Grondin", "Veilleux", "Morin",
                "Cloutier", "Nadeau"]
SUMMARIES = {
    "welcome": "Accueil dans le logement : visite des lieux, présentation du comité de locataires.",
    "referral": "Information sur les ressources du secteur et prise de rendez-vous.",
    "accompaniment": "Accompagnement à un rendez-vous au CLSC.",
    "conflict": "Médiation entre voisins au sujet du bruit.",
    "crisis": "Intervention de crise : soutien immédiat et orientation vers les services.",
    "committee_support": "Soutien à la préparation de la réunion du comité de locataires.",
    "community_organizing": "Préparation d'une activité collective avec les résidents.",
    "outreach": "Visite de proximité dans l'immeuble.",
}


def _demo_name(index: int) -> tuple[str, str]:
    return FIRST_NAMES[index % len(FIRST_NAMES)], f"{FAMILY_NAMES[index % len(FAMILY_NAMES)]}-Démo"


def load_demo_support(orgs: Mapping[str, Organization]) -> int:
    """Register the demo tenants and their year of follow-up; the number of tenants added."""
    if Person.objects.filter(last_name__endswith="-Démo").exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["technicienne", "intervenante", "oc.cisss"])}
    tech, tp, oc = users["technicienne"], users["intervenante"], users["oc.cisss"]
    office, entraide, cisss = orgs[OMH_TM], orgs[ENTRAIDE], orgs[CISSS]
    buildings = list(Building.objects.filter(organization=office).order_by("name"))
    services = {org: list(Service.objects.filter(directory_organization__organization=org,
                                                 status=ServiceStatus.ACTIVE).order_by("name"))
                for org in (entraide, cisss)}
    rng = random.Random(2015)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    categories = list(InterventionCategory.values)
    persons: list[Person] = []
    for index in range(36):
        first, last = _demo_name(index)
        building = buildings[index % len(buildings)]
        person, _duplicates = person_register(
            actor=tech, first_name=first, last_name=last, phone=f"418 555-{100 + index:04d}",
            languages="français" if index % 7 else "français, anglais", building_id=building.pk,
            unit=str(100 + index), clientele="")
        persons.append(person)

    # Two households of two tenants each.
    for head, member in ((persons[1], persons[11]), (persons[2], persons[12])):
        household = household_create(actor=tech, person_id=head.pk)
        household_add_member(actor=tech, household_id=household.pk, person_id=member.pk)
    # A tenant registered twice (the same name in the same building): the duplicates page shows them.
    first_name, family_name = _demo_name(0)
    person_register(actor=tech, first_name=first_name, last_name=family_name, phone="",
                    building_id=buildings[0].pk, unit="")

    def consent_for(person: Person, *, start: datetime.date, receivers: list[Organization], what: list[str],
                    method: str = "signed") -> Any:
        return consent_record(actor=tech, person_id=person.pk, receiving_organization_ids=[o.pk for o in receivers],
                              categories=what, purpose="Suivi concerté par le comité de travail de Thetford Mines.",
                              given_by="person", method=method, witness_name="Témoin Démo" if method == "verbal" else "",
                              starts_on=start, ends_on=start + datetime.timedelta(days=364))

    consented = []
    for index, person in enumerate(persons[:30]):
        start = today - datetime.timedelta(days=rng.randint(30, 300))
        what = ["identity", "housing", "interventions", "referrals"] + (["notes"] if index % 5 == 0 else [])
        consent_for(person, start=start, receivers=[entraide, cisss], what=what,
                    method="verbal" if index % 6 == 1 else "signed")
        consented.append(person)
    # One consent revoked, one expired (a year and a month ago, for a year).
    revoked_person, expired_person = persons[30], persons[31]
    revoked = consent_for(revoked_person, start=today - datetime.timedelta(days=200), receivers=[entraide, cisss],
                          what=["identity", "interventions"])
    consent_for(expired_person, start=today - datetime.timedelta(days=400), receivers=[entraide],
                what=["identity", "interventions"])

    # A year of interventions, in every category, by the three workers.
    for day_offset in range(0, 365, 4):
        day = today - datetime.timedelta(days=day_offset)
        person = consented[day_offset % len(consented)]
        category = categories[(day_offset // 4) % len(categories)]
        worker = (tech, tp, oc)[(day_offset // 4) % 3]
        follow = day + datetime.timedelta(days=rng.choice([7, 14, 21])) if (day_offset // 4) % 4 < 2 else None
        if day_offset == 0:
            follow = today  # one follow-up due today, whatever the day of the week
        if category in ("committee_support", "community_organizing"):
            group = [p.pk for p in consented[day_offset % 10: day_offset % 10 + 4]]
        else:
            group = [person.pk]
        intervention_record(actor=worker, person_ids=group, category=category, date=day,
                            duration_minutes=rng.choice([20, 30, 45, 60, 90]), summary=SUMMARIES[category],
                            notes="Note de travail fictive (démo)." if day_offset % 8 == 0 else "",
                            follow_up_on=follow)
    for person in (revoked_person, expired_person):
        intervention_record(actor=tech, person_ids=[person.pk], category="welcome",
                            date=today - datetime.timedelta(days=190), duration_minutes=45,
                            summary=SUMMARIES["welcome"])

    # Referrals to the partners' directory services, with outcomes.
    outcomes = ["service_received", "service_received", "tenant_declined", "unreachable", "ineligible", "other"]
    for index, person in enumerate(consented[:18]):
        receiver = (entraide, cisss)[index % 2]
        if not services[receiver]:
            continue
        service = services[receiver][index % len(services[receiver])]
        referral = referral_create(actor=tech, person_id=person.pk, service_id=service.pk,
                                   reason="Besoin d'aide repéré lors d'une visite (démo).")
        if index % 9 == 8:
            continue  # a draft
        referral_send(actor=tech, referral_id=referral.pk)
        answer = tp if receiver == entraide else oc
        if index % 6 == 5:
            referral_decline(actor=answer, referral_id=referral.pk, reason="Hors de notre territoire (démo).")
        elif index % 4 != 3:
            referral_accept(actor=answer, referral_id=referral.pk)
            if index % 3 != 2:
                referral_start(actor=answer, referral_id=referral.pk)
                referral_close(actor=answer, referral_id=referral.pk, outcome=outcomes[index % len(outcomes)])
        # Spread the sending dates over the last months (a few open ones are past 30 days).
        sent = timezone.now() - datetime.timedelta(days=10 + index * 7)
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent)
        ReferralEvent.objects.filter(referral=referral).update(at=sent)
    if services[entraide]:
        # An open referral under the consent about to be revoked: it is suspended with it.
        suspended = referral_create(actor=tech, person_id=revoked_person.pk, service_id=services[entraide][0].pk,
                                    reason="Accompagnement demandé (démo).")
        referral_send(actor=tech, referral_id=suspended.pk)
    load_demo_case_review(tech, tp, oc, [*consented[:4], revoked_person], entraide, cisss, today)
    consent_revoke(actor=tech, consent_id=revoked.pk, method="written", reason="Demande de la personne (démo).")
    return len(persons)


def load_demo_case_review(tech: Any, tp: Any, oc: Any, persons: list[Person], entraide: Organization,
                          cisss: Organization, today: datetime.date) -> None:
    """The working committee's case review: the office's technician convenes it; the last person's
    consent is revoked afterwards, so the partners see them withdrawn, unnamed."""
    review = case_review_create(actor=tech, held_on=today - datetime.timedelta(days=7),
                                title="Comité de travail de Thetford Mines (démo)",
                                organization_ids=[entraide.pk, cisss.pk], categories=["interventions"])
    for index, person in enumerate(persons):
        item = case_review_add_person(actor=tech, review_id=review.pk, person_id=person.pk)
        writer = (tp, oc, tech)[index % 3]
        case_review_note_write(actor=writer, review_id=review.pk, item_id=item.pk,
                               text="Suivi concerté convenu en comité (note fictive, démo).")
