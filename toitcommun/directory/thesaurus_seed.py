"""The region's starting thesaurus: expressions people use for the same need.

Each group is a list of equivalent expressions (several words allowed); a search holding one
finds the others. The categories' names stand in the groups of their field, so that a person's
own words find the category's services. The region edits the groups afterwards (staff page).
"""

from __future__ import annotations

from typing import Any

SYNONYMS: list[list[str]] = [
    ["aide alimentaire", "banque alimentaire", "dépannage alimentaire", "comptoir alimentaire",
     "épicerie solidaire", "épicerie", "alimentation", "nourriture", "manger", "denrées", "panier de Noël",
     "food"],
    ["cuisine collective", "cuisines collectives", "repas communautaire", "popote roulante"],
    ["impôts", "impôt", "rapport d'impôt", "déclaration de revenus", "clinique d'impôts", "taxes"],
    ["budget", "consultation budgétaire", "dettes", "endettement", "faillite"],
    ["loyer", "bail", "logement", "appartement", "HLM", "habitation à loyer modique"],
    ["droits des locataires", "défense des locataires", "Tribunal administratif du logement", "TAL",
     "Régie du logement", "hausse de loyer", "augmentation de loyer", "expulsion", "plainte"],
    ["santé mentale", "détresse", "anxiété", "dépression", "crise", "écoute"],
    ["dépendance", "dépendances", "toxicomanie", "alcool", "drogue", "jeu compulsif"],
    ["emploi", "travail", "job", "chercher un emploi", "curriculum vitae", "CV"],
    ["aînés", "personnes âgées", "aîné", "âge d'or", "retraités"],
    ["transport", "accompagnement-transport", "transport adapté", "déplacement", "rendez-vous médical"],
    ["francisation", "cours de français", "immigrants"],
    ["soutien à domicile", "maintien à domicile", "aide à domicile", "SAD"],
    ["famille", "parents", "enfants", "parentalité"],
]


def seed_synonyms(group_model: Any) -> None:
    """Create the starting groups when the thesaurus is empty (a migration, the demo and the tests call it)."""
    if group_model.objects.exists():
        return
    group_model.objects.bulk_create([group_model(expressions=group) for group in SYNONYMS])
