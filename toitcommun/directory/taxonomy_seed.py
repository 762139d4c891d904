"""The region's starting taxonomy: service categories and clienteles.

Stable ids (UUID5 of the code) so that every installation, and every HSDS
export, names the same term the same way. The region edits its categories
afterwards; the clienteles follow the housing domain.
"""

from __future__ import annotations

import uuid
from typing import Any

NAMESPACE = uuid.UUID("5b1e0c7e-7a8e-4f0b-9f0e-2c6f1b3d4a10")
CATEGORIES_TAXONOMY = uuid.uuid5(NAMESPACE, "taxonomy:categories")
CLIENTELES_TAXONOMY = uuid.uuid5(NAMESPACE, "taxonomy:clienteles")

# code, French name, English name, description
CATEGORIES = [
    ("food", "Alimentation", "Food", "Aide alimentaire, épiceries solidaires, cuisines collectives, popotes."),
    ("housing", "Logement", "Housing", "Recherche de logement, logement social, soutien communautaire en logement."),
    ("employment", "Emploi", "Employment", "Recherche d'emploi, intégration socioprofessionnelle, formation."),
    ("mental_health", "Santé mentale", "Mental health", "Écoute, soutien psychosocial, intervention de crise."),
    ("addiction", "Dépendances", "Addiction", "Alcool, drogues, jeu : prévention, soutien et traitement."),
    ("family", "Famille", "Family", "Soutien aux parents, activités familiales, petite enfance."),
    ("seniors", "Aînés", "Seniors", "Services et activités pour les personnes aînées, maintien à domicile."),
    ("legal_rights", "Droits et défense des locataires", "Legal aid and tenants' rights",
     "Information juridique, droits des locataires, recours."),
    ("budget_debt", "Budget et endettement", "Budget and debt", "Consultation budgétaire, endettement, impôts."),
    ("transport", "Transport", "Transport", "Transport adapté, collectif, accompagnement-transport."),
    ("education", "Éducation", "Education", "Alphabétisation, francisation, éducation des adultes."),
    ("recreation", "Loisirs", "Recreation", "Loisirs, sports, culture, vie communautaire."),
    ("health", "Santé", "Health", "Services de santé et services sociaux de première ligne."),
]

CLIENTELES = [
    ("seniors", "Aînés", "Seniors"),
    ("families", "Familles", "Families"),
    ("singles", "Personnes seules", "Single persons"),
    ("youth", "Jeunes", "Youth"),
    ("disabilities", "Personnes handicapées", "Persons with disabilities"),
]


def term_id(kind: str, code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{code}")


def seed_taxonomy(taxonomy_model: Any, term_model: Any) -> None:
    """Create the two taxonomies and their terms where missing (a migration and the tests call it)."""
    categories, _ = taxonomy_model.objects.get_or_create(
        id=CATEGORIES_TAXONOMY,
        defaults={"name": "Toit commun — catégories de services",
                  "description": "Catégories du répertoire régional des ressources.", "version": "1"},
    )
    clienteles, _ = taxonomy_model.objects.get_or_create(
        id=CLIENTELES_TAXONOMY,
        defaults={"name": "Toit commun — clientèles", "description": "Clientèles desservies.", "version": "1"},
    )
    for code, name, name_en, description in CATEGORIES:
        term_model.objects.get_or_create(id=term_id("category", code), defaults={
            "taxonomy": categories, "code": code, "name": name, "name_en": name_en, "description": description})
    for code, name, name_en in CLIENTELES:
        term_model.objects.get_or_create(id=term_id("clientele", code), defaults={
            "taxonomy": clienteles, "code": code, "name": name, "name_en": name_en, "description": name})
