"""The demo's resource directory: what the MRC des Appalaches' organizations offer.

The organizations are those of the local inter-sector table (DESIGN.md), plus
the provincial federation of HLM tenants. The services are the kinds of help
these organizations give; every description, schedule, address, coordinate,
contact title and verification date is ours, written for the demonstration.
Telephone numbers are fictitious (the 555-0100 to 555-0199 range, reserved for
fiction), except 811, the real Info-Social line. No person is named: contacts
are titles.

Every record has a stable id (UUID5 of a slug), so loading twice changes
nothing: rows are found by id first and created only when missing.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from toitcommun.directory.models import (
    Address,
    Contact,
    DirectoryOrganization,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    SynonymGroup,
    TaxonomyTerm,
)
from toitcommun.directory.search import index_services
from toitcommun.directory.services import location_place
from toitcommun.directory.taxonomy_seed import CATEGORIES_TAXONOMY
from toitcommun.directory.taxonomy_seed import NAMESPACE as TAXONOMY_NAMESPACE
from toitcommun.directory.thesaurus_seed import seed_synonyms
from toitcommun.organizations.models import Organization
from toitcommun.territory.models import Municipality
from toitcommun.territory.selectors import territory_get

NAMESPACE = uuid.uuid5(TAXONOMY_NAMESPACE, "demo:directory")

THETFORD, LEVIS, ST_JOSEPH, MONTREAL = "31084", "25213", "27043", "66023"
APPALACHES, BEAUCE_CENTRE, ETCHEMINS, BEAUCE_SARTIGAN = "310", "270", "280", "290"
REGION, LEVIS_TE, PROVINCE = "12", "TE25", "QC"

FEDERATION = "Fédération des locataires d'habitations à loyer modique du Québec (FLHLMQ)"
WEEKDAYS = "MO,TU,WE,TH,FR"
LANGUAGES = {"fr": "français", "en": "anglais"}


def demo_id(kind: str, slug: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{slug}")


@dataclass(frozen=True)
class Provider:
    slug: str
    organization: str  # our Organization's name
    name: str
    description: str
    alternate_name: str = ""


@dataclass(frozen=True)
class Place:
    slug: str
    provider: str
    name: str
    municipality: str | None
    address: str = ""
    postal_code: str = ""
    lat: str = ""
    lng: str = ""
    location_type: str = "physical"
    transportation: str = ""
    accessibility: str = ""


@dataclass(frozen=True)
class Hours:
    byday: str
    opens: str
    closes: str
    description: str = ""
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


@dataclass(frozen=True)
class Offer:
    slug: str
    provider: str
    name: str
    description: str
    categories: tuple[str, ...]
    clienteles: tuple[str, ...]
    areas: tuple[str, ...]
    places: tuple[str, ...]
    hours: tuple[Hours, ...]
    phone: str
    contact: str
    verified: datetime.date
    languages: tuple[str, ...] = ("fr",)
    application_process: str = ""
    fees: str = "Gratuit."
    eligibility: str = ""
    accessibility: str = ""
    minimum_age: int | None = None
    alternate_name: str = ""
    alert: str = ""


PROVIDERS: list[Provider] = [
    Provider("reseaux-entraide", "Réseaux d'entraide des Appalaches", "Réseaux d'entraide des Appalaches",
             "Organisme communautaire de Thetford Mines : aide alimentaire, cuisines collectives, activités "
             "pour les familles, accompagnement et travail de proximité dans les milieux de vie."),
    Provider("acef", "ACEF Appalaches-Beauce-Etchemin", "ACEF Appalaches-Beauce-Etchemin",
             "Association coopérative d'économie familiale : consultation budgétaire, information sur "
             "l'endettement et les droits des consommateurs, ateliers sur le budget.",
             alternate_name="ACEF A-B-E"),
    Provider("cdc", "CDC des Appalaches", "Corporation de développement communautaire des Appalaches",
             "Regroupement des organismes communautaires de la MRC des Appalaches : concertation, "
             "information sur les ressources du milieu, projets collectifs.", alternate_name="CDC des Appalaches"),
    Provider("cisss", "CISSS de Chaudière-Appalaches", "CISSS de Chaudière-Appalaches",
             "Centre intégré de santé et de services sociaux : CLSC, santé mentale, soutien à domicile, "
             "dépendances, pour toute la région de la Chaudière-Appalaches."),
    Provider("emploi-quebec", "Emploi-Québec, Chaudière-Appalaches", "Emploi-Québec, Chaudière-Appalaches",
             "Services publics d'emploi : aide à la recherche d'emploi, orientation, formation et mesures "
             "d'intégration au marché du travail."),
    Provider("commission-scolaire", "Commission scolaire des Appalaches", "Commission scolaire des Appalaches",
             "Éducation des adultes : formation de base, préparation aux études professionnelles et francisation."),
    Provider("omh-thetford", "Office municipal d'habitation de Thetford Mines",
             "Office municipal d'habitation de Thetford Mines",
             "Gère 191 logements HLM sur 11 sites à Thetford Mines, pour aînés, familles et personnes seules.",
             alternate_name="OMH de Thetford Mines"),
    Provider("flhlmq", FEDERATION, FEDERATION,
             "Regroupement provincial des associations de locataires de HLM. Informe les locataires de leurs "
             "droits et soutient leur participation à la vie de leur immeuble et de leur office.",
             alternate_name="FLHLMQ"),
]

PLACES: list[Place] = [
    Place("re-local", "reseaux-entraide", "Réseaux d'entraide — local principal", THETFORD,
          "290, boulevard Frontenac Est", "G6G 1N1", "46.101000", "-71.298000",
          transportation="Arrêt d'autobus urbain à proximité.", accessibility="Entrée de plain-pied."),
    Place("acef-thetford", "acef", "ACEF — bureau de Thetford Mines", THETFORD,
          "37, rue Notre-Dame Est, bureau 200", "G6G 2R8", "46.092500", "-71.303000",
          accessibility="Bureau à l'étage, ascenseur."),
    Place("acef-st-joseph", "acef", "ACEF — point de service de Saint-Joseph-de-Beauce", ST_JOSEPH,
          "795, avenue du Palais", "G0S 2V0", "46.305000", "-70.877000"),
    Place("cdc-local", "cdc", "CDC des Appalaches", THETFORD,
          "125, rue Notre-Dame Ouest", "G6G 1J4", "46.089800", "-71.310500"),
    Place("clsc-thetford", "cisss", "CLSC de Thetford Mines", THETFORD,
          "1717, rue Notre-Dame Est", "G6G 2V4", "46.104000", "-71.287000",
          transportation="Stationnement gratuit; arrêt d'autobus devant l'entrée.",
          accessibility="Accessible en fauteuil roulant."),
    Place("clsc-levis", "cisss", "CLSC de Lévis", LEVIS,
          "99, route du Président-Kennedy", "G6V 6C8", "46.801000", "-71.180000",
          accessibility="Accessible en fauteuil roulant."),
    Place("cisss-beauce", "cisss", "Point de service de Saint-Joseph-de-Beauce", ST_JOSEPH,
          "1050, avenue du Palais", "G0S 2V0", "46.309000", "-70.872000"),
    Place("emploi-thetford", "emploi-quebec", "Bureau de Services Québec de Thetford Mines", THETFORD,
          "350, boulevard Frontenac Ouest", "G6G 6N6", "46.086000", "-71.319000"),
    Place("cea-thetford", "commission-scolaire", "Centre d'éducation des adultes de Thetford Mines", THETFORD,
          "499, rue Labbé", "G6G 1Z7", "46.095000", "-71.293500"),
    Place("omh-bureau", "omh-thetford", "Bureau de l'Office municipal d'habitation", THETFORD,
          "555, rue Saint-Alphonse Sud", "G6G 3V9", "46.088000", "-71.300000"),
    Place("salle-saint-maurice", "omh-thetford", "Salle communautaire des Habitations Saint-Maurice", THETFORD,
          "155, rue Saint-Maurice", "G6G 5B2", "46.094100", "-71.305200"),
    Place("salle-saint-alphonse", "omh-thetford", "Salle communautaire de la Résidence Saint-Alphonse", THETFORD,
          "420, rue Saint-Alphonse Nord", "G6G 3X8", "46.097800", "-71.300900",
          accessibility="Accessible en fauteuil roulant."),
    Place("flhlmq-ligne", "flhlmq", "Ligne d'information de la FLHLMQ", None, location_type="virtual"),
]

D = datetime.date

OFFERS: list[Offer] = [
    # Réseaux d'entraide des Appalaches
    Offer("depannage-alimentaire", "reseaux-entraide", "Dépannage alimentaire",
          "Aide alimentaire d'urgence : un panier de denrées pour les personnes et les familles qui manquent "
          "de nourriture ce mois-ci. Sur rendez-vous, sans jugement.",
          ("food",), ("families", "singles", "seniors"), (APPALACHES,), ("re-local",),
          (Hours("TU,TH", "13:00", "16:00"),), "418-555-0110", "Responsable du dépannage alimentaire",
          D(2026, 9, 15), alternate_name="Aide alimentaire d'urgence",
          application_process="Téléphoner pour prendre rendez-vous; apporter une preuve de résidence.",
          eligibility="Résider dans la MRC des Appalaches. Une aide par mois, plus en cas d'urgence."),
    Offer("epicerie-solidaire", "reseaux-entraide", "Épicerie solidaire Cœur-des-Appalaches",
          "Fruits, légumes et produits de base à prix réduit, pour étirer le budget d'épicerie. "
          "Les membres font leurs achats eux-mêmes, comme dans une épicerie ordinaire.",
          ("food", "budget_debt"), ("families", "singles", "seniors"), (THETFORD,), ("re-local",),
          (Hours(WEEKDAYS, "09:30", "16:30"),), "418-555-0111", "Coordination de l'épicerie",
          D(2026, 10, 2), fees="Carte de membre annuelle à faible coût; produits à prix réduit.",
          eligibility="Ménages à faible revenu de Thetford Mines (déclaration du revenu à l'inscription)."),
    Offer("cuisines-collectives", "reseaux-entraide", "Cuisines collectives",
          "En petits groupes, on planifie, on cuisine et on partage des repas à bas coût, puis chacun repart "
          "avec des portions pour la semaine. Une façon de briser l'isolement et d'apprendre des recettes "
          "économiques.",
          ("food", "family"), ("families", "singles", "seniors"), (APPALACHES,), ("re-local", "salle-saint-maurice"),
          (Hours("WE", "09:00", "13:00"),), "418-555-0112", "Animatrice des cuisines collectives",
          D(2025, 5, 14), fees="Contribution de quelques dollars par portion.",
          application_process="S'inscrire par téléphone; les groupes se forment à l'automne et en hiver."),
    Offer("activites-familles", "reseaux-entraide", "Activités pour les familles",
          "Ateliers parents-enfants, sorties, fêtes de quartier et activités de loisir dans les milieux de vie, "
          "dont les habitations à loyer modique. Les familles proposent elles-mêmes une partie du programme.",
          ("family", "recreation"), ("families", "youth"), (APPALACHES,), ("re-local", "salle-saint-maurice"),
          (Hours("SA", "09:30", "12:00"), Hours("WE", "18:30", "20:00", "Ateliers parents-enfants")),
          "418-555-0113", "Intervenante famille", D(2026, 8, 20),
          fees="Gratuit; certaines sorties demandent une petite contribution."),
    Offer("accompagnement-transport", "reseaux-entraide", "Accompagnement-transport bénévole",
          "Des bénévoles conduisent et accompagnent à leurs rendez-vous médicaux les personnes qui n'ont pas "
          "d'autre moyen de s'y rendre, à Thetford Mines, à Québec ou à Lévis.",
          ("transport", "seniors", "health"), ("seniors", "disabilities"), (APPALACHES,), ("re-local",),
          (Hours(WEEKDAYS, "08:00", "16:00", "Réservations"),), "418-555-0114",
          "Coordination de l'accompagnement-transport", D(2026, 6, 3),
          fees="Contribution selon le kilométrage parcouru.",
          application_process="Réserver au moins 48 heures avant le rendez-vous.",
          accessibility="Préciser à la réservation si vous utilisez une aide à la mobilité."),
    # ACEF Appalaches-Beauce-Etchemin
    Offer("consultation-budgetaire", "acef", "Consultation budgétaire",
          "Une conseillère fait le point avec vous sur vos revenus, vos dépenses et vos dettes, vous explique "
          "vos options (entente avec les créanciers, dépôt volontaire, faillite) et vous aide à établir un "
          "budget réaliste. Confidentiel.",
          ("budget_debt",), ("families", "singles", "seniors"),
          (APPALACHES, BEAUCE_CENTRE, BEAUCE_SARTIGAN, ETCHEMINS), ("acef-thetford", "acef-st-joseph"),
          (Hours("MO,TU,WE,TH", "08:30", "16:30"),), "418-555-0120", "Conseillère budgétaire",
          D(2026, 11, 10), application_process="Sur rendez-vous, au bureau ou par téléphone."),
    Offer("ateliers-budget", "acef", "Ateliers Budget et consommation",
          "Ateliers de groupe sur le budget, le crédit, les frais bancaires et les achats à crédit. "
          "Offerts aussi sur demande aux groupes communautaires et aux associations de locataires.",
          ("budget_debt", "education"), ("families", "singles", "seniors", "youth"),
          (APPALACHES, BEAUCE_CENTRE), ("acef-thetford", "acef-st-joseph"),
          (Hours("WE", "13:30", "15:30", "Session d'automne et d'hiver", D(2026, 9, 1), D(2027, 5, 31)),),
          "418-555-0121", "Animatrice en éducation budgétaire", D(2026, 8, 28)),
    Offer("clinique-impots", "acef", "Clinique d'impôts bénévole",
          "Des bénévoles remplissent gratuitement les déclarations de revenus fédérale et provinciale des "
          "personnes et des ménages à faible revenu, pour recevoir les crédits et le supplément auxquels ils "
          "ont droit.",
          ("budget_debt",), ("families", "singles", "seniors"), (APPALACHES,), ("acef-thetford",),
          (Hours("MO,WE", "09:00", "12:00", "De mars à avril", D(2027, 3, 1), D(2027, 4, 30)),),
          "418-555-0122", "Coordination de la clinique d'impôts", D(2026, 11, 12),
          application_process="Sur rendez-vous; apporter ses feuillets et l'avis de cotisation de l'an dernier.",
          eligibility="Revenu modeste, situation fiscale simple (pas de revenu d'entreprise ni de location)."),
    # CDC des Appalaches
    Offer("info-logement-social", "cdc", "Information sur le logement social et communautaire",
          "Où trouver un logement à loyer modique, une coopérative ou un OBNL d'habitation dans la MRC, "
          "comment s'inscrire sur les listes d'attente, à qui s'adresser pour un supplément au loyer.",
          ("housing",), ("families", "singles", "seniors", "disabilities"), (APPALACHES,), ("cdc-local",),
          (Hours(WEEKDAYS, "09:00", "16:00"),), "418-555-0130", "Agente de liaison", D(2025, 3, 20)),
    # CISSS de Chaudière-Appalaches
    Offer("accueil-psychosocial-thetford", "cisss", "Accueil psychosocial — CLSC de Thetford Mines",
          "Une intervenante sociale vous reçoit sans rendez-vous pour une difficulté personnelle, familiale "
          "ou financière, une crise, un deuil, et vous oriente vers le bon service du réseau ou du milieu "
          "communautaire.",
          ("mental_health", "health"), ("families", "singles", "seniors", "youth"), (APPALACHES,),
          ("clsc-thetford",), (Hours(WEEKDAYS, "08:30", "16:30"),), "418-555-0140", "Accueil psychosocial",
          D(2026, 10, 21), languages=("fr", "en"),
          application_process="Sans rendez-vous, ou par téléphone."),
    Offer("soutien-a-domicile", "cisss", "Soutien à domicile",
          "Soins infirmiers, aide à l'hygiène, réadaptation et soutien aux proches aidants, à domicile, pour "
          "les personnes aînées ou ayant une incapacité qui veulent rester chez elles, en HLM comme ailleurs.",
          ("seniors", "health"), ("seniors", "disabilities"), (APPALACHES,), ("clsc-thetford",),
          (Hours(WEEKDAYS, "08:00", "16:00", "Demandes de service"),), "418-555-0141",
          "Guichet d'accès au soutien à domicile", D(2026, 7, 9), languages=("fr", "en"),
          application_process="Demande par l'accueil du CLSC, par votre médecin ou par un proche.",
          eligibility="Évaluation des besoins par une intervenante du CLSC."),
    Offer("sante-mentale-adulte", "cisss", "Services de santé mentale pour adultes",
          "Suivi individuel, groupes de soutien et accompagnement dans la communauté pour les adultes qui "
          "vivent avec un trouble de santé mentale; soutien à leurs proches.",
          ("mental_health",), ("singles", "families", "seniors"), (APPALACHES,), ("clsc-thetford",),
          (Hours(WEEKDAYS, "08:30", "16:30"),), "418-555-0142", "Équipe de santé mentale adulte",
          D(2026, 4, 16), minimum_age=18, application_process="Par l'accueil psychosocial du CLSC."),
    Offer("info-social-811", "cisss", "Info-Social 811",
          "Une intervenante psychosociale répond au téléphone jour et nuit : inquiétude, détresse, conflit, "
          "question sur un proche. Composer le 811, puis choisir l'option Info-Social.",
          ("mental_health", "health"), ("families", "singles", "seniors", "youth"), (PROVINCE,), (),
          (Hours("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59:59", "24 heures sur 24, 7 jours sur 7"),), "811",
          "Info-Social", D(2026, 2, 5), languages=("fr", "en")),
    Offer("accueil-psychosocial-levis", "cisss", "Accueil psychosocial — CLSC de Lévis",
          "Accueil sans rendez-vous pour toute difficulté psychosociale; évaluation et orientation vers les "
          "services du CISSS et les ressources communautaires de Lévis.",
          ("mental_health", "health"), ("families", "singles", "seniors", "youth"), (LEVIS_TE,),
          ("clsc-levis",), (Hours(WEEKDAYS, "08:00", "20:00"),), "418-555-0143", "Accueil psychosocial",
          D(2026, 9, 30), languages=("fr", "en")),
    Offer("dependances-beauce", "cisss", "Services en dépendance — Beauce",
          "Évaluation et suivi pour les personnes aux prises avec une dépendance à l'alcool, aux drogues ou "
          "au jeu, et soutien à leur entourage.",
          ("addiction", "health"), ("singles", "families", "youth"), (BEAUCE_CENTRE, BEAUCE_SARTIGAN),
          ("cisss-beauce",), (Hours(WEEKDAYS, "08:30", "16:30"),), "418-555-0144",
          "Équipe dépendances", D(2026, 5, 27), application_process="Par l'accueil psychosocial ou directement."),
    # Emploi-Québec
    Offer("aide-recherche-emploi", "emploi-quebec", "Aide à la recherche d'emploi",
          "Salle multiservice (ordinateurs, offres d'emploi, télécopieur), aide au curriculum vitae et "
          "rencontres avec un agent d'aide à l'emploi pour un retour au travail ou aux études.",
          ("employment",), ("singles", "families", "youth"), (APPALACHES,), ("emploi-thetford",),
          (Hours(WEEKDAYS, "08:30", "16:30"),), "418-555-0150", "Agent d'aide à l'emploi", D(2026, 3, 12),
          languages=("fr", "en")),
    # Commission scolaire des Appalaches
    Offer("formation-generale-adultes", "commission-scolaire", "Formation générale des adultes",
          "Terminer son secondaire, obtenir les préalables pour une formation professionnelle ou le cégep, "
          "à son rythme, de jour ou de soir.",
          ("education", "employment"), ("youth", "singles", "families"), (APPALACHES,), ("cea-thetford",),
          (Hours(WEEKDAYS, "08:15", "15:45"), Hours("MO,TU,WE,TH", "18:00", "21:00", "Cours du soir")),
          "418-555-0160", "Secrétariat du centre", D(2026, 8, 25), minimum_age=16),
    Offer("francisation", "commission-scolaire", "Francisation des adultes",
          "Cours de français pour les personnes immigrantes, du niveau débutant au niveau avancé, et "
          "initiation à la vie au Québec.",
          ("education",), ("families", "singles"), (APPALACHES,), ("cea-thetford",),
          (Hours("MO,TU,WE,TH", "08:30", "14:30"),), "418-555-0161", "Conseillère en francisation",
          D(2025, 8, 28), languages=("fr", "en"), minimum_age=16),
    # Office municipal d'habitation de Thetford Mines
    Offer("soutien-communautaire-hlm", "omh-thetford", "Soutien communautaire en HLM",
          "Accompagnement des locataires des HLM de Thetford Mines : accueil des nouveaux locataires, aide "
          "pour les démarches, médiation entre voisins, soutien au comité de locataires et aux activités "
          "collectives dans les salles communautaires.",
          ("housing", "family", "seniors"), ("seniors", "families", "singles"), (THETFORD,),
          ("omh-bureau", "salle-saint-maurice", "salle-saint-alphonse"),
          (Hours(WEEKDAYS, "08:30", "16:30"),), "418-555-0170", "Intervenante en soutien communautaire",
          D(2026, 10, 14), eligibility="Locataires des HLM de l'Office."),
    Offer("demande-logement-hlm", "omh-thetford", "Demande de logement à loyer modique (HLM)",
          "Inscription sur la liste d'attente des 191 logements HLM de Thetford Mines : aînés, familles et "
          "personnes seules. Le loyer correspond à 25 % du revenu du ménage.",
          ("housing",), ("seniors", "families", "singles", "disabilities"), (THETFORD,), ("omh-bureau",),
          (Hours("MO,TU,WE,TH", "08:30", "12:00"), Hours("MO,TU,WE,TH", "13:00", "16:30")),
          "418-555-0171", "Technicienne en location", D(2026, 11, 3),
          application_process="Remplir le formulaire de demande au bureau ou le recevoir par la poste; "
                              "joindre les preuves de revenu.",
          eligibility="Ménage à faible revenu, résidant au Québec; critères du règlement d'attribution.",
          fees="Gratuit. Loyer de 25 % du revenu une fois logé."),
    # FLHLMQ
    Offer("droits-locataires-hlm", "flhlmq", "Information sur les droits des locataires de HLM",
          "Réponses aux questions des locataires de HLM sur leur bail, le calcul du loyer, l'entretien et "
          "les réparations, les transferts et les plaintes; aide pour fonder une association de locataires "
          "ou un comité consultatif de résidants.",
          ("legal_rights", "housing"), ("seniors", "families", "singles", "disabilities"), (PROVINCE,),
          ("flhlmq-ligne",), (Hours(WEEKDAYS, "09:00", "17:00"),), "514-555-0180",
          "Équipe d'information aux locataires", D(2026, 1, 22),
          eligibility="Locataires de HLM et leurs associations, partout au Québec."),
]


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def load_demo_directory(orgs: Mapping[str, Organization]) -> list[Service]:
    """Load the demo directory (idempotent); return its services, indexed for search.

    ``orgs`` maps our organizations' names to their rows; the federation is
    created among our organizations when missing.
    """
    seed_synonyms(SynonymGroup)  # a database emptied since its migrations gets the thesaurus back
    orgs = dict(orgs)
    if FEDERATION not in orgs:
        orgs[FEDERATION], _ = Organization.objects.get_or_create(
            name_key=Organization.key_for(FEDERATION),
            defaults={"name": FEDERATION, "kind": "federation",
                      "municipality": Municipality.objects.filter(code=MONTREAL).first()},
        )
    providers: dict[str, DirectoryOrganization] = {}
    for p in PROVIDERS:
        providers[p.slug], _ = DirectoryOrganization.objects.get_or_create(
            id=demo_id("organization", p.slug),
            defaults={"organization": orgs[p.organization], "name": p.name, "alternate_name": p.alternate_name,
                      "description": p.description, "email": f"{p.slug}@demo.toitcommun.invalid"},
        )
    places = _load_places(providers)
    area_names = {code: territory_get(code).name for code in {c for o in OFFERS for c in o.areas}}
    categories = {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy_id=CATEGORIES_TAXONOMY)}
    services = [_load_offer(o, providers[o.provider], places, area_names, categories) for o in OFFERS]
    index_services(Service.objects.filter(pk__in=[s.pk for s in services])
                   .select_related("directory_organization").prefetch_related("categories"))
    return services


def _load_places(providers: Mapping[str, DirectoryOrganization]) -> dict[str, Location]:
    municipalities = {m.code: m for m in Municipality.objects.filter(
        code__in={p.municipality for p in PLACES if p.municipality})}
    places: dict[str, Location] = {}
    for p in PLACES:
        location = Location.objects.filter(id=demo_id("location", p.slug)).first()
        if location is None:
            location = Location(id=demo_id("location", p.slug), directory_organization=providers[p.provider],
                                name=p.name, location_type=p.location_type, transportation=p.transportation,
                                accessibility=p.accessibility,
                                municipality=municipalities[p.municipality] if p.municipality else None)
            # A place of the demo without coordinates stands at its municipality, marked approximate.
            location_place(location, Decimal(p.lat) if p.lat else None, Decimal(p.lng) if p.lng else None)
            location.save()
        places[p.slug] = location
        if p.address and p.municipality:
            Address.objects.get_or_create(
                id=demo_id("address", p.slug),
                defaults={"location": location, "address_1": p.address,
                          "city": municipalities[p.municipality].name, "region": "Chaudière-Appalaches",
                          "postal_code": p.postal_code},
            )
    return places


def _load_offer(o: Offer, provider: DirectoryOrganization, places: Mapping[str, Location],
                area_names: Mapping[str, str], categories: Mapping[str, TaxonomyTerm]) -> Service:
    service, _ = Service.objects.get_or_create(
        id=demo_id("service", o.slug),
        defaults={"directory_organization": provider, "name": o.name, "alternate_name": o.alternate_name,
                  "description": o.description, "email": provider.email,
                  "application_process": o.application_process, "fees_description": o.fees,
                  "eligibility_description": o.eligibility, "accessibility": o.accessibility,
                  "minimum_age": o.minimum_age, "alert": o.alert, "clienteles": list(o.clienteles),
                  "last_verified_on": o.verified, "verified_by_label": "Démo (illustratif)"},
    )
    service.categories.add(*(categories[code] for code in o.categories))
    key = o.slug
    for code in o.areas:
        ServiceArea.objects.get_or_create(id=demo_id("area", f"{key}:{code}"),
                                          defaults={"service": service, "territory_code": code,
                                                    "name": area_names[code]})
    for slug in o.places:
        ServiceAtLocation.objects.get_or_create(id=demo_id("service-at-location", f"{key}:{slug}"),
                                                defaults={"service": service, "location": places[slug]})
    for index, h in enumerate(o.hours):
        Schedule.objects.get_or_create(id=demo_id("schedule", f"{key}:{index}"), defaults={
            "service": service, "freq": "WEEKLY", "byday": h.byday, "opens_at": _time(h.opens),
            "closes_at": _time(h.closes), "description": h.description,
            "valid_from": h.valid_from, "valid_to": h.valid_to})
    for code in o.languages:
        Language.objects.get_or_create(id=demo_id("language", f"{key}:{code}"),
                                       defaults={"service": service, "name": LANGUAGES[code], "code": code})
    Phone.objects.get_or_create(id=demo_id("phone", key), defaults={
        "service": service, "number": o.phone, "type": "voice"})
    Contact.objects.get_or_create(id=demo_id("contact", key), defaults={
        "service": service, "title": o.contact, "department": provider.name})
    return service
