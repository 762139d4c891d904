"""A province-sized synthetic resource directory, beside the housing stock in the bench database.

    .venv/bin/python bench/generate_directory.py [--force] [--database-url URL]

About 20,000 services of some 6,000 organizations at 30,000 places, across
the 1,100+ local municipalities, drawn from a fixed seed: names and
descriptions from French vocabulary pools per kind of organization and per
category, categories, clienteles, service areas (municipality, MRC, region or
the whole province), opening hours, languages and telephone numbers (all in
the fictitious 555-01xx range). Rows are written with bulk_create; the search
text is computed as ``search.text_of`` would and the SQLite FTS5 index is
filled by one INSERT ... SELECT, not service by service.

It runs after the housing stock (bench/generate.py), which deletes the SQLite
file when it regenerates: the directory then follows. A directory that
already holds exactly the planned counts is kept, unless --force.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
import uuid
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import generate  # noqa: E402

SEED = 2026
N_SERVICES = 20_000
N_LOCATIONS = 30_000
# Share of services whose area is a municipality, an MRC, a region, the province.
AREA_LEVEL_SHARE = {"municipality": 0.50, "mrc": 0.35, "region": 0.13, "province": 0.02}
STATUS_SHARE = {"active": 0.95, "inactive": 0.02, "temporarily closed": 0.015, "defunct": 0.015}
AREA_CODES = {"01": "418", "02": "418", "03": "418", "04": "819", "05": "819", "06": "514", "07": "819",
              "08": "819", "09": "418", "10": "819", "11": "418", "12": "418", "13": "450", "14": "450",
              "15": "450", "16": "450", "17": "819"}

# --- The vocabulary ----------------------------------------------------------------------------
# Per category: sentences a description is made of. Search words are drawn from these and from
# the offers' names, so that a bench query finds what a person typing it would.
PHRASES: dict[str, list[str]] = {
    "food": [
        "Aide alimentaire d'urgence pour les personnes et les familles à faible revenu.",
        "Paniers de denrées non périssables, fruits et légumes frais une fois par mois.",
        "Épicerie solidaire : produits de base à prix réduit pour les membres.",
        "Cuisines collectives : on planifie, on cuisine et on partage des repas économiques.",
        "Repas chauds livrés à domicile par des bénévoles (popote roulante).",
        "Frigo-partage ouvert à tous pour réduire le gaspillage alimentaire.",
        "Jardin communautaire et ateliers de saine alimentation.",
        "Bons d'achat pour l'épicerie en cas de besoin urgent.",
    ],
    "housing": [
        "Recherche de logement abordable et inscription sur les listes d'attente.",
        "Logement à loyer modique : le loyer correspond à 25 % du revenu du ménage.",
        "Soutien communautaire aux locataires : accueil, médiation entre voisins, vie associative.",
        "Programme de supplément au loyer dans un logement du marché privé.",
        "Aide pour trouver un logement adapté aux personnes à mobilité réduite.",
        "Information sur les coopératives et les organismes sans but lucratif d'habitation.",
        "Hébergement temporaire et accompagnement vers un logement stable.",
    ],
    "employment": [
        "Aide à la recherche d'emploi : curriculum vitae, lettre de présentation, entrevue.",
        "Orientation professionnelle et retour aux études.",
        "Intégration socioprofessionnelle des personnes éloignées du marché du travail.",
        "Salle multiservice avec ordinateurs, offres d'emploi et imprimante.",
        "Stages en entreprise et accompagnement en emploi.",
        "Soutien au démarrage d'entreprise et au travail autonome.",
    ],
    "mental_health": [
        "Écoute téléphonique et intervention de crise, en toute confidentialité.",
        "Suivi psychosocial individuel et groupes de soutien.",
        "Accompagnement dans la communauté des personnes vivant avec un trouble de santé mentale.",
        "Soutien aux proches et aux familles d'une personne atteinte.",
        "Prévention du suicide et intervention auprès des personnes en détresse.",
        "Groupes d'entraide pour briser l'isolement et reprendre du pouvoir sur sa vie.",
    ],
    "addiction": [
        "Évaluation et traitement des dépendances à l'alcool, aux drogues et au jeu.",
        "Réadaptation externe et suivi après une cure.",
        "Prévention des dépendances auprès des jeunes et dans les écoles.",
        "Soutien à l'entourage des personnes dépendantes.",
        "Réduction des méfaits et distribution de matériel de consommation sécuritaire.",
    ],
    "family": [
        "Ateliers parents-enfants et activités de stimulation pour les tout-petits.",
        "Halte-garderie pour offrir du répit aux parents.",
        "Soutien aux parents : écoute, conseils et rencontres de groupe.",
        "Relevailles : aide à domicile après la naissance d'un enfant.",
        "Joujouthèque et prêt de matériel pour bébé.",
        "Activités familiales, sorties et fêtes de quartier.",
    ],
    "seniors": [
        "Maintien à domicile des personnes aînées : entretien ménager, courses, repas.",
        "Visites d'amitié et appels de sécurité pour les aînés seuls.",
        "Soutien aux proches aidants et répit.",
        "Activités physiques adaptées et loisirs pour les aînés.",
        "Information sur les droits des aînés et prévention de la maltraitance.",
    ],
    "legal_rights": [
        "Information juridique gratuite sur le bail, les hausses de loyer et les réparations.",
        "Défense des droits des locataires et accompagnement au Tribunal administratif du logement.",
        "Aide pour remplir les formulaires et déposer une plainte.",
        "Droits des personnes assistées sociales et recours en cas de refus.",
        "Soutien à la création d'associations de locataires.",
    ],
    "budget_debt": [
        "Consultation budgétaire individuelle et confidentielle.",
        "Information sur l'endettement, le dépôt volontaire et la faillite.",
        "Ateliers sur le budget, le crédit et la consommation responsable.",
        "Clinique d'impôts bénévole pour les personnes à revenu modeste.",
        "Aide financière de dernier recours et prestations spéciales.",
    ],
    "transport": [
        "Accompagnement-transport bénévole pour les rendez-vous médicaux.",
        "Transport adapté pour les personnes ayant une limitation fonctionnelle.",
        "Transport collectif rural sur réservation.",
        "Covoiturage organisé vers les centres de services.",
    ],
    "education": [
        "Alphabétisation et formation de base pour adultes.",
        "Francisation des personnes immigrantes.",
        "Formation générale des adultes : terminer son secondaire à son rythme.",
        "Aide aux devoirs et soutien scolaire.",
        "Ateliers d'informatique et de littératie numérique.",
    ],
    "recreation": [
        "Loisirs, sports et activités culturelles pour tous les âges.",
        "Camp de jour estival et activités de relâche.",
        "Milieu de vie pour adolescents : jeux, projets, discussions.",
        "Fêtes de quartier et activités intergénérationnelles.",
        "Ateliers d'art, de musique et de théâtre.",
    ],
    "health": [
        "Services de santé et services sociaux de première ligne.",
        "Soins infirmiers, vaccination et prélèvements sur rendez-vous.",
        "Clinique sans rendez-vous pour les problèmes de santé courants.",
        "Nutrition, saines habitudes de vie et prévention.",
        "Services aux jeunes en difficulté et à leurs familles.",
    ],
}

GENERIC = [
    "Accueil chaleureux et sans jugement.", "Service gratuit et confidentiel.", "Sur rendez-vous seulement.",
    "Sans rendez-vous aux heures d'ouverture.", "Bénévoles formés et personnel qualifié.",
    "Référence vers les ressources du milieu au besoin.", "Places limitées : inscription requise.",
]
ELIGIBILITY = [
    "Résider sur le territoire desservi.", "Personnes et familles à faible revenu.",
    "Aucune condition : le service est ouvert à tous.", "Sur référence d'un intervenant ou directement.",
    "Preuve de résidence et de revenu demandée à l'inscription.", "Personnes de 65 ans et plus.",
]

CLIENTELE_CODES = ("seniors", "families", "singles", "youth", "disabilities")


@dataclass(frozen=True)
class Offer:
    name: str
    categories: tuple[str, ...]
    clienteles: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    name: str
    weight: float
    offers: tuple[Offer, ...]
    sites: float = 1.0  # how many places it tends to have, relative to others
    area_share: tuple[float, float, float, float] | None = None  # municipality, MRC, region, province


def _o(name: str, categories: str, clienteles: str = "") -> Offer:
    return Offer(name, tuple(categories.split()), tuple(clienteles.split()))


KINDS: list[Kind] = [
    Kind("Comptoir alimentaire", 12, (_o("Dépannage alimentaire", "food", "families singles"),
                                      _o("Épicerie solidaire", "food budget_debt", "families singles seniors"),
                                      _o("Frigo-partage", "food"), _o("Paniers de Noël", "food", "families"))),
    Kind("Centre d'action bénévole", 12, (_o("Popote roulante", "food seniors", "seniors disabilities"),
                                          _o("Accompagnement-transport bénévole", "transport seniors health",
                                             "seniors disabilities"),
                                          _o("Visites d'amitié", "seniors", "seniors"),
                                          _o("Clinique d'impôts bénévole", "budget_debt", "seniors singles"),
                                          _o("Appels de sécurité", "seniors", "seniors")), sites=1.5),
    Kind("Maison de la famille", 10, (_o("Halte-garderie", "family", "families"),
                                      _o("Ateliers parents-enfants", "family education", "families"),
                                      _o("Cuisines collectives", "food family", "families singles"),
                                      _o("Joujouthèque", "family recreation", "families youth"),
                                      _o("Relevailles", "family health", "families"))),
    Kind("Carrefour jeunesse-emploi", 5, (_o("Aide à la recherche d'emploi", "employment", "youth"),
                                          _o("Retour aux études", "education employment", "youth"),
                                          _o("Entrepreneuriat jeunesse", "employment", "youth"),
                                          _o("Projets d'engagement jeunesse", "recreation employment", "youth")),
         area_share=(0.2, 0.7, 0.1, 0.0)),
    Kind("Centre de femmes", 5, (_o("Écoute et accompagnement", "mental_health", "singles families"),
                                 _o("Ateliers d'éducation populaire", "education"),
                                 _o("Défense collective des droits", "legal_rights"))),
    Kind("Association coopérative d'économie familiale", 2,
         (_o("Consultation budgétaire", "budget_debt", "families singles seniors"),
          _o("Ateliers budget et consommation", "budget_debt education"),
          _o("Information sur l'endettement", "budget_debt legal_rights")), sites=2.0,
         area_share=(0.05, 0.55, 0.4, 0.0)),
    Kind("Comité logement", 3, (_o("Information sur les droits des locataires", "legal_rights housing"),
                                _o("Aide à la recherche de logement", "housing", "families singles"),
                                _o("Accompagnement au Tribunal administratif du logement", "legal_rights housing"))),
    Kind("Office d'habitation", 6, (_o("Demande de logement à loyer modique", "housing",
                                       "seniors families singles"),
                                    _o("Soutien communautaire en logement", "housing", "seniors families singles"),
                                    _o("Programme de supplément au loyer", "housing budget_debt")), sites=2.0),
    Kind("CLSC", 5, (_o("Accueil psychosocial", "mental_health health"),
                     _o("Soutien à domicile", "seniors health", "seniors disabilities"),
                     _o("Santé mentale adulte", "mental_health", "singles families"),
                     _o("Services jeunesse et famille", "family health", "families youth"),
                     _o("Prélèvements et soins infirmiers", "health"),
                     _o("Services en dépendance", "addiction health")), sites=5.0,
         area_share=(0.1, 0.7, 0.2, 0.0)),
    Kind("Maison des jeunes", 6, (_o("Milieu de vie pour adolescents", "recreation", "youth"),
                                  _o("Prévention des dépendances", "addiction", "youth"),
                                  _o("Aide aux devoirs", "education", "youth"))),
    Kind("Centre d'éducation des adultes", 3, (_o("Formation générale des adultes", "education employment"),
                                               _o("Francisation", "education", "families singles"),
                                               _o("Alphabétisation", "education")), sites=2.0,
         area_share=(0.1, 0.8, 0.1, 0.0)),
    Kind("Club des aînés", 6, (_o("Activités et loisirs pour aînés", "recreation seniors", "seniors"),
                               _o("Repas communautaires", "food seniors", "seniors"),
                               _o("Exercices en groupe", "recreation health", "seniors"))),
    Kind("Transport adapté et collectif", 3, (_o("Transport adapté", "transport", "disabilities seniors"),
                                              _o("Transport collectif rural", "transport")),
         area_share=(0.2, 0.8, 0.0, 0.0)),
    Kind("Groupe d'entraide en santé mentale", 3, (_o("Groupe d'entraide", "mental_health", "singles"),
                                                   _o("Ligne d'écoute", "mental_health"),
                                                   _o("Soutien aux proches", "mental_health family", "families"))),
    Kind("Centre de réadaptation en dépendance", 1, (_o("Réadaptation en dépendance", "addiction health"),
                                                     _o("Soutien à l'entourage", "addiction family", "families")),
         sites=3.0, area_share=(0.0, 0.3, 0.6, 0.1)),
    Kind("Bureau de Services Québec", 2, (_o("Services publics d'emploi", "employment"),
                                          _o("Aide financière de dernier recours", "budget_debt")),
         sites=2.0, area_share=(0.0, 0.8, 0.2, 0.0)),
    Kind("Centre communautaire de loisirs", 4, (_o("Camp de jour", "recreation family", "youth families"),
                                                _o("Activités sportives", "recreation"),
                                                _o("Ateliers culturels", "recreation education"))),
    Kind("Regroupement provincial", 0.3, (_o("Ligne d'information", "legal_rights"),
                                          _o("Soutien aux associations membres", "legal_rights housing")),
         area_share=(0.0, 0.0, 0.0, 1.0)),
]

SECTORS = ["du Centre", "de l'Est", "de l'Ouest", "du Nord", "du Sud", "des Rives", "du Vieux-Bourg"]
STREETS = ["rue Principale", "rue Notre-Dame", "rue Saint-Jean", "boulevard Laurier", "avenue du Parc",
           "rue de l'Église", "rang Saint-Joseph", "rue King", "rue des Érables", "chemin du Lac"]
SCHEDULES = [
    ("MO,TU,WE,TH,FR", "08:30", "16:30"), ("MO,TU,WE,TH", "09:00", "16:00"), ("TU,TH", "13:00", "16:00"),
    ("WE", "09:00", "12:00"), ("SA", "09:30", "12:00"), ("MO,WE,FR", "18:00", "21:00"),
    ("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59:59"),
]
VERIFIED_FROM = datetime.date(2024, 6, 1)
VERIFIED_DAYS = 880  # to early November 2026


def query_phrases(category: str) -> list[str]:
    """What a person may type to find this category: its sentences and the names of its offers."""
    return PHRASES[category] + [o.name for k in KINDS for o in k.offers if o.categories[0] == category]


# --- The plan -----------------------------------------------------------------------------------


@dataclass
class Muni:
    code: str
    name: str
    population: int
    mrc: str
    region: str


@dataclass
class OrgPlan:
    name: str
    kind: int
    municipality: str
    locations: list[int]


@dataclass
class LocationPlan:
    org: int
    name: str
    municipality: str
    address: str
    postal_code: str
    lat: float
    lng: float


@dataclass
class ServicePlan:
    org: int
    name: str
    description: str
    eligibility: str
    categories: tuple[str, ...]
    clienteles: list[str]
    areas: list[str]
    locations: list[int]
    schedules: list[tuple[str, str, str]]
    languages: list[str]
    phone: str
    status: str
    verified: datetime.date


@dataclass
class Plan:
    munis: dict[str, Muni]
    orgs: list[OrgPlan]
    locations: list[LocationPlan]
    services: list[ServicePlan]

    def counts(self) -> dict[str, int]:
        return {
            "organizations": len(self.orgs),
            "services": len(self.services),
            "locations": len(self.locations),
            "addresses": len(self.locations),
            "services_at_locations": sum(len(s.locations) for s in self.services),
            "service_areas": sum(len(s.areas) for s in self.services),
            "service_categories": sum(len(s.categories) for s in self.services),
            "schedules": sum(len(s.schedules) for s in self.services),
            "languages": sum(len(s.languages) for s in self.services),
            "phones": len(self.services),
            "indexed": len(self.services),
            "text_length": sum(len(s.name) + len(s.description) for s in self.services),
        }


def _weighted(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def make_plan(munis: list[Muni], seed: int = SEED) -> Plan:
    """The synthetic directory, from every local municipality (code, name, population, MRC, region)."""
    rng = random.Random(seed)
    local = sorted(munis, key=lambda m: m.code)
    by_code = {m.code: m for m in local}
    in_mrc: dict[str, list[Muni]] = {}
    for m in local:
        in_mrc.setdefault(m.mrc, []).append(m)
    weights = [max(m.population, 50) ** 0.8 for m in local]  # big cities have more, not proportionally more
    kind_weights = [k.weight for k in KINDS]
    orgs: list[OrgPlan] = []
    services: list[ServicePlan] = []
    used_names: set[str] = set()
    # Every municipality first gets one organization, then they go where people live, until the
    # services are all given out.
    homes = iter([m.code for m in local])
    while len(services) < N_SERVICES:
        home = next(homes, None) or rng.choices(local, weights=weights)[0].code
        kind_index = rng.choices(range(len(KINDS)), weights=kind_weights)[0]
        kind = KINDS[kind_index]
        name = _org_name(kind.name, by_code[home].name, used_names)
        org_index = len(orgs)
        orgs.append(OrgPlan(name=name, kind=kind_index, municipality=home, locations=[]))
        wanted = min(len(kind.offers), max(1, round(rng.triangular(1, len(kind.offers) + 1, 3))))
        for offer in rng.sample(kind.offers, wanted):
            if len(services) >= N_SERVICES:
                break
            services.append(_service(rng, org_index, offer, kind, by_code[home], name, in_mrc))
    locations = _locations(rng, orgs, by_code, in_mrc)
    for service in services:
        own = orgs[service.org].locations
        extra = [i for i in own[1:] if rng.random() < 0.25][:2]
        service.locations = [own[0], *extra]
    return Plan(munis=by_code, orgs=orgs, locations=locations, services=services)


def _of(place: str) -> str:
    """'de' before a place name, contracted as French wants: des Îles-de-la-Madeleine, du Bic."""
    if place.startswith("Les "):
        return f"des {place[4:]}"
    if place.startswith("Le "):
        return f"du {place[3:]}"
    return f"de {place}"


def _org_name(kind: str, place: str, used: set[str]) -> str:
    of = _of(place)
    candidates = [f"{kind} {of}", *(f"{kind} {sector} {of}" for sector in SECTORS)]
    candidates += [f"{kind} {of} no {n}" for n in range(2, 1000)]
    name = next(c for c in candidates if c not in used)
    used.add(name)
    return name


def _service(rng: random.Random, org: int, offer: Offer, kind: Kind, home: Muni, org_name: str,
             in_mrc: dict[str, list[Muni]]) -> ServicePlan:
    first = offer.categories[0]
    extra = [c for c in PHRASES if c not in offer.categories and rng.random() < 0.04]
    categories = (*offer.categories, *extra[:1])
    sentences = rng.sample(PHRASES[first], min(2, len(PHRASES[first])))
    for category in categories[1:]:
        sentences.append(rng.choice(PHRASES[category]))
    sentences.append(rng.choice(GENERIC))
    clienteles = set(offer.clienteles) or set(rng.sample(CLIENTELE_CODES, rng.randint(1, 3)))
    if rng.random() < 0.2:
        clienteles.add(rng.choice(CLIENTELE_CODES))
    share = kind.area_share or tuple(AREA_LEVEL_SHARE.values())
    level = rng.choices(list(AREA_LEVEL_SHARE), weights=share)[0]
    area = {"municipality": home.code, "mrc": home.mrc, "region": home.region, "province": "QC"}[level]
    areas = [area]
    if level == "municipality" and rng.random() < 0.2 and len(in_mrc[home.mrc]) > 1:
        neighbour = rng.choice(in_mrc[home.mrc])
        if neighbour.code != home.code:
            areas.append(neighbour.code)
    schedules = [rng.choice(SCHEDULES[:-1]) if level != "province" else rng.choice(SCHEDULES)]
    if rng.random() < 0.25:
        second = rng.choice(SCHEDULES[:-1])
        if second != schedules[0]:
            schedules.append(second)
    languages = ["fr"] + (["en"] if rng.random() < 0.2 else []) + (["es"] if rng.random() < 0.02 else [])
    return ServicePlan(
        org=org, name=f"{offer.name} — {org_name}", description=" ".join(sentences),
        eligibility=rng.choice(ELIGIBILITY), categories=categories, clienteles=sorted(clienteles),
        areas=areas, locations=[], schedules=schedules, languages=languages,
        phone=f"{AREA_CODES.get(home.region, '418')}-555-01{rng.randint(0, 99):02d}",
        status=_weighted(rng, STATUS_SHARE),
        verified=VERIFIED_FROM + datetime.timedelta(days=rng.randrange(VERIFIED_DAYS)),
    )


def _locations(rng: random.Random, orgs: list[OrgPlan], by_code: dict[str, Muni],
               in_mrc: dict[str, list[Muni]]) -> list[LocationPlan]:
    """One place per organization, at home; the rest where the bigger organizations have branches."""
    extra = rng.choices(range(len(orgs)), weights=[KINDS[o.kind].sites for o in orgs], k=N_LOCATIONS - len(orgs))
    owners = sorted([*range(len(orgs)), *extra])
    locations: list[LocationPlan] = []
    for org_index in owners:
        org = orgs[org_index]
        home = by_code[org.municipality]
        if org.locations:
            nearby = in_mrc[home.mrc]
            muni = rng.choices(nearby, weights=[max(m.population, 50) ** 0.8 for m in nearby])[0]
            name = f"{org.name} — point de service {muni.name}"
        else:
            muni, name = home, org.name
        base_lat, base_lng = _centre(muni.code)
        org.locations.append(len(locations))
        locations.append(LocationPlan(
            org=org_index, name=name, municipality=muni.code,
            address=f"{rng.randint(1, 2999)}, {rng.choice(STREETS)}",
            postal_code=f"{rng.choice('GHJ')}{rng.randint(0, 9)}{rng.choice('ABCEGHJKLMNPRSTVXY')} "
                        f"{rng.randint(1, 9)}{rng.choice('ABCEGHJKLMNPRSTVXY')}{rng.randint(0, 9)}",
            lat=round(base_lat + rng.uniform(-0.02, 0.02), 6), lng=round(base_lng + rng.uniform(-0.03, 0.03), 6),
        ))
    return locations


def _centre(code: str) -> tuple[float, float]:
    """An invented but stable point for a municipality, in southern Québec."""
    r = random.Random(code)
    return r.uniform(45.1, 49.0), r.uniform(-79.0, -64.5)


# --- Writing it -----------------------------------------------------------------------------------


def local_municipalities() -> list[Muni]:
    from toitcommun.territory.models import Municipality

    rows = Municipality.objects.values_list("code", "name", "population", "designation", "mrc__code",
                                            "mrc__region__code").order_by("code")
    return [Muni(code, name, population or 0, mrc, region)
            for code, name, population, designation, mrc, region in rows if generate.is_local(designation)]


def database_counts() -> dict[str, int]:
    from django.db import connection
    from django.db.models import Sum
    from django.db.models.functions import Length

    from toitcommun.directory.models import (
        Address,
        DirectoryOrganization,
        Language,
        Location,
        Phone,
        Schedule,
        Service,
        ServiceArea,
        ServiceAtLocation,
    )

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM directory_service_fts")
            indexed = cursor.fetchone()[0]
    else:
        indexed = Service.objects.exclude(search_text="").count()
    lengths = Service.objects.aggregate(n=Sum(Length("name") + Length("description")))["n"] or 0
    return {
        "organizations": DirectoryOrganization.objects.count(),
        "services": Service.objects.count(),
        "locations": Location.objects.count(),
        "addresses": Address.objects.count(),
        "services_at_locations": ServiceAtLocation.objects.count(),
        "service_areas": ServiceArea.objects.count(),
        "service_categories": Service.categories.through.objects.count(),
        "schedules": Schedule.objects.count(),
        "languages": Language.objects.count(),
        "phones": Phone.objects.count(),
        "indexed": indexed,
        "text_length": lengths,
    }


def _clear() -> None:
    """Empty the directory (not its taxonomy) with one DELETE per table: no cascade row by row."""
    from django.db import connection, transaction

    from toitcommun.directory import models as d

    tables = [m._meta.db_table for m in (d.Schedule, d.Phone, d.Contact, d.Language, d.ServiceArea,
                                         d.ServiceAtLocation, d.Service.categories.through, d.Address,
                                         d.Location, d.Service, d.DirectoryOrganization)]
    if connection.vendor == "sqlite":
        tables.insert(0, "directory_service_fts")
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")


def search_text(parts: list[str]) -> str:
    """As toitcommun.directory.search.text_of normalizes a service's text (same parts, same order)."""
    from toitcommun.directory.search import MAX_INDEXED, normalized

    return normalized(" ".join(p for p in parts if p))[:MAX_INDEXED]


def _write(plan: Plan, seed: int) -> None:
    from decimal import Decimal

    from django.db import connection, transaction

    from toitcommun.directory import models as d
    from toitcommun.directory.taxonomy_seed import CATEGORIES_TAXONOMY
    from toitcommun.organizations.models import Organization
    from toitcommun.territory.models import Mrc, Municipality, Region

    ids = random.Random(seed + 1)

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=ids.getrandbits(128), version=4)

    batch = 2000
    terms = {t.code: t for t in d.TaxonomyTerm.objects.filter(taxonomy_id=CATEGORIES_TAXONOMY)}
    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    names = {code: m.name for code, m in plan.munis.items()}
    area_names = {**names, "QC": "Québec"}
    area_names |= dict(Mrc.objects.values_list("code", "name")) | dict(Region.objects.values_list("code", "name"))
    times = {t: datetime.time.fromisoformat(t) for _, o, c in SCHEDULES for t in (o, c)}
    with transaction.atomic():
        # Every provider is an organization of the registry: found by its name, or added to it.
        keys = {o.name: Organization.key_for(o.name) for o in plan.orgs}
        registry = dict(Organization.objects.filter(name_key__in=set(keys.values())).values_list("name_key", "pk"))
        missing = {keys[o.name]: Organization(name=o.name, name_key=keys[o.name], kind="community_organization",
                                              municipality_id=municipality_ids[o.municipality])
                   for o in plan.orgs if keys[o.name] not in registry}
        Organization.objects.bulk_create(list(missing.values()), batch_size=batch)
        registry |= dict(Organization.objects.filter(name_key__in=set(missing)).values_list("name_key", "pk"))
        orgs = [d.DirectoryOrganization(id=new_id(), name=o.name, organization_id=registry[keys[o.name]],
                                        description=f"{KINDS[o.kind].name} au service"
                                        f" de la population {_of(names[o.municipality])}.") for o in plan.orgs]
        d.DirectoryOrganization.objects.bulk_create(orgs, batch_size=batch)
        locations = [d.Location(id=new_id(), directory_organization_id=orgs[p.org].pk, name=p.name,
                                latitude=Decimal(f"{p.lat:.6f}"), longitude=Decimal(f"{p.lng:.6f}"),
                                municipality_id=municipality_ids[p.municipality]) for p in plan.locations]
        d.Location.objects.bulk_create(locations, batch_size=batch)
        d.Address.objects.bulk_create(
            [d.Address(id=new_id(), location_id=loc.pk, address_1=p.address, city=names[p.municipality],
                       postal_code=p.postal_code) for loc, p in zip(locations, plan.locations, strict=True)],
            batch_size=batch)
        services = []
        for s in plan.services:
            categories = sorted((terms[c] for c in s.categories), key=lambda t: t.name)  # TaxonomyTerm's ordering
            places = [plan.locations[i] for i in s.locations]
            text = search_text([s.description, s.eligibility, plan.orgs[s.org].name,
                                *(x for p in places for x in (p.name, names[p.municipality]))])
            category_text = search_text([*(t.name for t in categories), *(t.name_en for t in categories if t.name_en)])
            services.append(d.Service(
                id=new_id(), directory_organization_id=orgs[s.org].pk, name=s.name, description=s.description,
                eligibility_description=s.eligibility, status=s.status, clienteles=s.clienteles,
                last_verified_on=s.verified, verified_by_label="Synthétique (banc d'essai)", search_text=text,
                search_name=search_text([s.name]), search_categories=category_text,
            ))
        d.Service.objects.bulk_create(services, batch_size=batch)
        through = d.Service.categories.through
        d.Service.categories.through.objects.bulk_create(
            [through(service_id=row.pk, taxonomyterm_id=terms[c].pk)
             for row, s in zip(services, plan.services, strict=True) for c in s.categories], batch_size=batch)
        d.ServiceAtLocation.objects.bulk_create(
            [d.ServiceAtLocation(id=new_id(), service_id=row.pk, location_id=locations[i].pk)
             for row, s in zip(services, plan.services, strict=True) for i in s.locations], batch_size=batch)
        d.ServiceArea.objects.bulk_create(
            [d.ServiceArea(id=new_id(), service_id=row.pk, territory_code=code, name=area_names[code])
             for row, s in zip(services, plan.services, strict=True) for code in s.areas], batch_size=batch)
        d.Schedule.objects.bulk_create(
            [d.Schedule(id=new_id(), service_id=row.pk, byday=day, opens_at=times[o], closes_at=times[c])
             for row, s in zip(services, plan.services, strict=True) for day, o, c in s.schedules],
            batch_size=batch)
        language_names = {"fr": "français", "en": "anglais", "es": "espagnol"}
        d.Language.objects.bulk_create(
            [d.Language(id=new_id(), service_id=row.pk, code=code, name=language_names[code])
             for row, s in zip(services, plan.services, strict=True) for code in s.languages], batch_size=batch)
        d.Phone.objects.bulk_create(
            [d.Phone(id=new_id(), service_id=row.pk, number=s.phone, type="voice")
             for row, s in zip(services, plan.services, strict=True)], batch_size=batch)
        if connection.vendor == "sqlite":
            # The whole index in one statement, from the stored text; then merge its segments,
            # as a long-lived index ends up after FTS5's automatic merges.
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO directory_service_fts (rowid, service_id, name, categories, body) "
                               "SELECT rowid, id, search_name || ' ' || search_alternate_name, search_categories,"
                               " search_text FROM directory_service")
                cursor.execute("INSERT INTO directory_service_fts (directory_service_fts) VALUES ('optimize')")


def check_text_of(sample: int = 25) -> list[str]:
    """Names of sampled services whose stored text differs from what search.text_of computes."""
    from toitcommun.directory.models import Service
    from toitcommun.directory.search import text_of

    qs = Service.objects.select_related("directory_organization").order_by("id")
    step = max(1, qs.count() // sample)
    return [s.name for s in qs[::step][:sample]
            if (s.search_name, s.search_alternate_name, s.search_categories, s.search_text) != astuple(text_of(s))]


def ensure(url: str, *, force: bool = False, seed: int = SEED, quiet: bool = False) -> dict[str, int]:
    """Make the configured bench database hold the planned directory; returns its counts.

    Call after configure(url) and generate.ensure(url): the housing generator may delete the file.
    """
    from django.db import connection

    say = (lambda *a: None) if quiet else print
    started = time.perf_counter()
    plan = make_plan(local_municipalities(), seed)
    wanted = plan.counts()
    found = database_counts()
    if found == wanted and not force and not check_text_of(5):  # text normalized as search.text_of does now
        say(f"Bench directory up to date: {_format(found)}.")
        return found
    if any(found.values()):
        _clear()
    say(f"Generating the synthetic directory (seed {seed})...")
    _write(plan, seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    found = database_counts()
    if found != wanted:
        raise RuntimeError(f"generated directory counts {found} differ from the plan {wanted}")
    differ = check_text_of()
    if differ:
        raise RuntimeError(f"stored search text differs from search.text_of for: {', '.join(differ[:5])}")
    say(f"Generated in {time.perf_counter() - started:.1f} s: {_format(found)}.")
    return found


def _format(counts: dict[str, Any]) -> str:
    return ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items() if k != "text_length")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="regenerate even if the counts match")
    parser.add_argument("--database-url", help="default: sqlite:///var/bench.sqlite3")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    url = generate.configure(args.database_url)
    generate.ensure(url)
    ensure(url, force=args.force, seed=args.seed)


if __name__ == "__main__":
    main()
