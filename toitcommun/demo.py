"""The demo scenario: Chaudière-Appalaches (region 12), 2013–2016.

Published facts (DESIGN.md): the housing office of Thetford Mines owns 191 HLM
units on 11 sites, 106 for seniors, 73 for families, 12 for single persons, two
of them adapted; the organizations of the MRC des Appalaches local
inter-sector table. The split of the 191 units across the 11 sites, the
addresses, coordinates and every vacancy figure are ours, as are the Lévis and
Beauce-Centre (Robert-Cliche) stocks, which are marked illustrative.

Loading twice changes nothing: every record is found by its natural key first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from toitcommun.access.models import Role, RoleAssignment
from toitcommun.access.services import audit_record
from toitcommun.demo_activities import load_demo_activities
from toitcommun.demo_collective import load_demo_collective
from toitcommun.demo_directory import load_demo_directory
from toitcommun.demo_privacy import load_demo_privacy
from toitcommun.demo_support import load_demo_support
from toitcommun.housing.models import AvailabilitySnapshot, Building, UnitGroup
from toitcommun.housing.rollups import rollups_refresh
from toitcommun.organizations.models import Membership, Organization
from toitcommun.territory.models import Municipality

THETFORD = "31084"
LEVIS = "25213"
ST_JOSEPH = "27043"
BEAUCEVILLE = "27028"

# (name, kind, municipality code, illustrative)
ORGANIZATIONS: list[tuple[str, str, str | None, bool]] = [
    ("Office municipal d'habitation de Thetford Mines", "housing_office", THETFORD, False),
    ("Office municipal d'habitation de Saint-Jacques-de-Leeds", "housing_office", "31140", False),
    ("Office municipal d'habitation de Beaulac-Garthby", "housing_office", "31008", False),
    ("Office municipal d'habitation de Saint-Pierre-de-Broughton", "housing_office", "31135", False),
    ("Office municipal d'habitation d'Adstock", "housing_office", "31056", False),
    ("CISSS de Chaudière-Appalaches", "public_network", LEVIS, False),
    ("Emploi-Québec, Chaudière-Appalaches", "government_agency", THETFORD, False),
    ("ACEF Appalaches-Beauce-Etchemin", "community_organization", THETFORD, False),
    ("CDC des Appalaches", "community_organization", THETFORD, False),
    ("Commission scolaire des Appalaches", "school", THETFORD, False),
    ("Réseaux d'entraide des Appalaches", "community_organization", THETFORD, False),
    ("Société d'habitation du Québec", "government_agency", None, False),
    ("Association des locataires des HLM de Thetford Mines", "tenant_association", THETFORD, False),
    ("Office municipal d'habitation de Lévis", "housing_office", LEVIS, True),
    ("Coopérative d'habitation du Fleuve (illustratif)", "housing_coop", LEVIS, True),
    ("Habitations Entre-Deux-Rives, OBNL (illustratif)", "housing_nonprofit", LEVIS, True),
    ("Office municipal d'habitation de Beauceville", "housing_office", BEAUCEVILLE, True),
    ("Habitations de la Chaudière, OBNL (illustratif)", "housing_nonprofit", ST_JOSEPH, True),
    ("Coopérative d'habitation La Beauceronne (illustratif)", "housing_coop", ST_JOSEPH, True),
]


@dataclass(frozen=True)
class Site:
    owner: str
    municipality: str
    name: str
    address: str
    tenure: str
    form: str
    common_room: bool
    lat: str
    lng: str
    # (clientele, bedrooms, units, adapted)
    groups: tuple[tuple[str, int, int, int], ...]
    illustrative: bool = False


OMH_TM = "Office municipal d'habitation de Thetford Mines"
SITES: list[Site] = [
    # Thetford Mines: 191 HLM units on 11 sites (106 seniors, 73 families, 12 singles, 2 adapted).
    Site(OMH_TM, THETFORD, "Habitations Saint-Maurice", "155, rue Saint-Maurice", "hlm", "multi_unit", True,
         "46.094100", "-71.305200", (("families", 2, 14, 0), ("families", 3, 10, 0))),
    Site(OMH_TM, THETFORD, "Résidence Saint-Alphonse", "420, rue Saint-Alphonse Nord", "hlm", "multi_unit", True,
         "46.097800", "-71.300900", (("seniors", 1, 32, 1),)),
    Site(OMH_TM, THETFORD, "Habitations Notre-Dame", "85, rue Notre-Dame Ouest", "hlm", "multi_unit", True,
         "46.090300", "-71.309800", (("seniors", 1, 28, 0),)),
    Site(OMH_TM, THETFORD, "Pavillon du Lac-Noir", "1200, boulevard Frontenac Ouest", "hlm", "multi_unit", True,
         "46.071500", "-71.330400", (("seniors", 1, 26, 1),)),
    Site(OMH_TM, THETFORD, "Habitations Dumais", "310, rue Dumais", "hlm", "multi_unit", False,
         "46.101200", "-71.295600", (("seniors", 1, 20, 0),)),
    Site(OMH_TM, THETFORD, "Habitations Saint-Noël", "640, rue Saint-Noël", "hlm", "multi_unit", True,
         "46.085900", "-71.297300", (("families", 2, 12, 0), ("families", 3, 8, 0))),
    Site(OMH_TM, THETFORD, "Habitations Mitchell", "95, rue Mitchell", "hlm", "multi_unit", False,
         "46.099400", "-71.312800", (("families", 2, 10, 0), ("families", 3, 6, 0))),
    Site(OMH_TM, THETFORD, "Duplex Lapierre", "27, rue Lapierre", "hlm", "duplex", False,
         "46.088600", "-71.316100", (("families", 3, 2, 0),)),
    Site(OMH_TM, THETFORD, "Duplex Bélanger", "112, rue Bélanger", "hlm", "duplex", False,
         "46.104300", "-71.305900", (("families", 3, 2, 0),)),
    Site(OMH_TM, THETFORD, "Maisons du secteur Black Lake", "rue Saint-Désiré (secteur Black Lake)", "hlm",
         "single_family", False, "46.046900", "-71.364200", (("families", 3, 5, 0), ("families", 4, 4, 0))),
    Site(OMH_TM, THETFORD, "Habitations Saint-Désiré", "505, rue Saint-Désiré", "hlm", "multi_unit", False,
         "46.079800", "-71.321500", (("singles", 1, 12, 0),)),
    # Lévis: illustrative.
    Site("Office municipal d'habitation de Lévis", LEVIS, "Habitations du Vieux-Lévis", "25, rue Wolfe", "hlm",
         "multi_unit", True, "46.805600", "-71.178300", (("seniors", 1, 60, 3),), True),
    Site("Office municipal d'habitation de Lévis", LEVIS, "Habitations Desjardins", "2100, boulevard Guillaume-Couture",
         "hlm", "multi_unit", True, "46.790400", "-71.203900", (("families", 2, 24, 1), ("families", 3, 16, 0)), True),
    Site("Coopérative d'habitation du Fleuve (illustratif)", LEVIS, "Coop du Fleuve", "480, rue Saint-Laurent",
         "coop", "multi_unit", True, "46.812200", "-71.170100", (("families", 2, 14, 0), ("families", 3, 10, 0)), True),
    Site("Habitations Entre-Deux-Rives, OBNL (illustratif)", LEVIS, "Maison Entre-Deux-Rives",
         "1450, route des Rivières", "obnl", "multi_unit", True, "46.703800", "-71.286400",
         (("seniors", 1, 30, 2), ("singles", 1, 12, 0)), True),
    # Beauce-Centre (the evaluation's MRC Robert-Cliche): illustrative.
    Site("Office municipal d'habitation de Beauceville", BEAUCEVILLE, "Habitations Beauceville",
         "650, boulevard Renault", "hlm", "multi_unit", True, "46.211800", "-70.778600", (("seniors", 1, 20, 1),), True),
    Site("Habitations de la Chaudière, OBNL (illustratif)", ST_JOSEPH, "Résidence de la Chaudière",
         "780, avenue du Palais", "obnl", "multi_unit", True, "46.306200", "-70.875600", (("seniors", 1, 18, 1),), True),
    Site("Coopérative d'habitation La Beauceronne (illustratif)", ST_JOSEPH, "Coop La Beauceronne",
         "215, rue Sainte-Christine", "coop", "multi_unit", False, "46.302300", "-70.880900",
         (("families", 2, 8, 0), ("families", 3, 4, 0)), True),
]

# Illustrative vacancy figures, quarter by quarter in 2015: (vacant, waiting) per clientele.
QUARTERS = [datetime.date(2015, 3, 31), datetime.date(2015, 6, 30), datetime.date(2015, 9, 30),
            datetime.date(2015, 12, 31)]


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    first_name: str
    last_name: str
    role: str
    organization: str | None = None
    territory: str = ""
    title: str = ""


ACCOUNTS: list[Account] = [
    Account("admin", "Toit-commun-admin-2015", "Administration", "régionale", Role.ADMINISTRATOR),
    Account("coordination", "Grand-rassemblement-Scott", "Claire", "Coordination", Role.REGIONAL_COORDINATOR,
            territory="12", title="Coordonnatrice régionale"),
    Account("omh.thetford", "Cent-quatre-vingt-onze-HLM", "Marc", "Gosselin", Role.ORGANIZATION_STAFF,
            organization=OMH_TM, title="Directeur"),
    Account("technicienne", "Technicienne-location-TM", "Julie", "Roy", Role.WORKER,
            organization=OMH_TM, title="Technicienne en location"),
    Account("intervenante", "Travail-de-proximite-TM", "Sophie", "Lachance", Role.WORKER,
            organization="Réseaux d'entraide des Appalaches", title="Travailleuse de proximité (TP)"),
    Account("oc.cisss", "Organisation-communautaire", "Louis", "Poulin", Role.WORKER,
            organization="CISSS de Chaudière-Appalaches", title="Organisateur communautaire (OC)"),
    Account("rprp.omh", "Protection-des-renseignements-TM", "Hélène", "Fortin", Role.PRIVACY_OFFICER,
            organization=OMH_TM, title="Responsable de la protection des renseignements personnels (RPRP)"),
    Account("chercheure", "Evaluation-2012-2015", "Anne", "Bérubé", Role.RESEARCHER, title="Chercheure"),
    Account("locataires.tm", "Association-fondee-2015", "Gilles", "Paré", Role.TENANT_REPRESENTATIVE,
            organization="Association des locataires des HLM de Thetford Mines", title="Président du CA"),
    Account("secretaire.tm", "Proces-verbal-adopte-2015", "Hélène", "Fictive", Role.TENANT_REPRESENTATIVE,
            organization="Association des locataires des HLM de Thetford Mines", title="Secrétaire du CA"),
]


def _vacancy(site_index: int, quarter: int, clientele: str, units: int) -> tuple[int, int]:
    # Small, varied, plausible figures: seniors' lists are longer, families' vacancies rarer.
    vacant = (site_index * 3 + quarter * 2) % 4 if units >= 10 else (site_index + quarter) % 2
    vacant = min(vacant, max(0, units // 8))
    base = {"seniors": 9, "families": 6, "singles": 4}[clientele]
    waiting = base + (site_index * 5 + quarter * 3) % 7
    return vacant, waiting


@transaction.atomic
def load_demo() -> list[Account]:
    """Load the scenario; return the demo accounts (with passwords) so the caller can print them."""
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in={THETFORD, LEVIS, ST_JOSEPH, BEAUCEVILLE,
                                                                             "31140", "31008", "31135", "31056"})}
    if len(municipalities) < 8:
        raise RuntimeError("Load the territory first: python manage.py load_territory")
    orgs: dict[str, Organization] = {}
    for name, kind, code, illustrative in ORGANIZATIONS:
        org, _ = Organization.objects.get_or_create(
            name_key=Organization.key_for(name),
            defaults={"name": name, "kind": kind, "municipality": municipalities.get(code) if code else None,
                      "is_illustrative": illustrative},
        )
        orgs[name] = org
    User = get_user_model()
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"first_name": account.first_name, "last_name": account.last_name,
                      "email": f"{account.username}@demo.toitcommun.invalid"},
        )
        if created or not user.check_password(account.password):
            user.set_password(account.password)
            user.is_staff = user.is_superuser = account.role == Role.ADMINISTRATOR
            user.save()
        member_of: Organization | None = orgs[account.organization] if account.organization else None
        RoleAssignment.objects.get_or_create(user=user, role=account.role, organization=member_of,
                                             territory_code=account.territory)
        if member_of is not None:
            Membership.objects.get_or_create(organization=member_of, full_name=f"{account.first_name} {account.last_name}",
                                             defaults={"user": user, "title": account.title, "is_contact": True})
    reporter = User.objects.get(username="omh.thetford")
    created_sites = 0
    for index, site in enumerate(SITES):
        building, created = Building.objects.get_or_create(
            organization=orgs[site.owner], municipality=municipalities[site.municipality], name=site.name,
            defaults={"address": site.address, "tenure": site.tenure, "form": site.form,
                      "has_common_room": site.common_room, "latitude": Decimal(site.lat),
                      "longitude": Decimal(site.lng), "is_illustrative": site.illustrative},
        )
        created_sites += created
        per_clientele: dict[str, int] = {}
        for clientele, bedrooms, units, adapted in site.groups:
            UnitGroup.objects.get_or_create(building=building, clientele=clientele, bedrooms=bedrooms,
                                            defaults={"units": units, "adapted_units": adapted})
            per_clientele[clientele] = per_clientele.get(clientele, 0) + units
        for quarter, as_of in enumerate(QUARTERS):
            for clientele, units in per_clientele.items():
                vacant, waiting = _vacancy(index, quarter, clientele, units)
                AvailabilitySnapshot.objects.get_or_create(
                    building=building, clientele=clientele, as_of=as_of,
                    defaults={"vacant_units": vacant, "waiting_list": waiting,
                              "reported_by": reporter if site.owner == OMH_TM else None,
                              "reported_by_label": "Marc Gosselin (OMH Thetford Mines)" if site.owner == OMH_TM
                              else "Démo (illustratif)"},
                )
    rollups_refresh(municipality_ids={m.pk for m in municipalities.values()})
    if created_sites:
        audit_record(actor=None, action="demo.load", object_type="demo", object_id="chaudiere-appalaches",
                     object_label="Chaudière-Appalaches 2013–2016", after={"sites": created_sites})
    load_demo_directory(orgs)
    load_demo_support(orgs)
    load_demo_privacy(orgs)
    load_demo_collective(orgs)
    load_demo_activities()
    return ACCOUNTS


def demo_totals() -> dict[str, Any]:
    """The published Thetford Mines figures, for tests and the console."""
    return {"units": 191, "sites": 11, "seniors": 106, "families": 73, "singles": 12, "adapted": 2}
