"""The audit log as a person reads it: one sentence per event, and what changed, old → new.

Each known action has a translatable sentence; an action nobody described yet
still reads as a sentence, built from its verb and the object's kind. Field
names come from the models' verbose names; related records are named, read in
one query per kind of record for a whole page.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent

# action code → (short label for the filter, sentence); %(actor)s and %(object)s in the sentence.
ACTIONS: dict[str, tuple[Promise, Promise]] = {
    "building.create": (gettext_lazy("Immeuble ajouté"), gettext_lazy("%(actor)s a ajouté l'immeuble « %(object)s »")),
    "building.update": (gettext_lazy("Immeuble modifié"),
                        gettext_lazy("%(actor)s a modifié l'immeuble « %(object)s »")),
    "unit_group.set": (gettext_lazy("Groupe de logements fixé"),
                       gettext_lazy("%(actor)s a fixé le groupe de logements « %(object)s »")),
    "availability.report": (gettext_lazy("Disponibilités signalées"),
                            gettext_lazy("%(actor)s a signalé les disponibilités « %(object)s »")),
    "housing.import": (gettext_lazy("Parc de logements importé"),
                       gettext_lazy("%(actor)s a importé le parc de logements du fichier « %(object)s »")),
    "organization.create": (gettext_lazy("Organisation ajoutée"),
                            gettext_lazy("%(actor)s a ajouté l'organisation « %(object)s »")),
    "organization.update": (gettext_lazy("Organisation modifiée"),
                            gettext_lazy("%(actor)s a modifié l'organisation « %(object)s »")),
    "membership.add": (gettext_lazy("Membre ajouté"), gettext_lazy("%(actor)s a ajouté le membre « %(object)s »")),
    "membership.end": (gettext_lazy("Adhésion terminée"),
                       gettext_lazy("%(actor)s a mis fin à l'adhésion de « %(object)s »")),
    "role.assign": (gettext_lazy("Rôle attribué"), gettext_lazy("%(actor)s a attribué le rôle « %(object)s »")),
    "role.revoke": (gettext_lazy("Rôle retiré"), gettext_lazy("%(actor)s a retiré le rôle « %(object)s »")),
    "api_token.issue": (gettext_lazy("Jeton d'API émis"), gettext_lazy("%(actor)s a obtenu un jeton d'API")),
    "api_token.revoke": (gettext_lazy("Jeton d'API révoqué"),
                         gettext_lazy("%(actor)s a révoqué le jeton d'API « %(object)s »")),
    "api_token.revoke_all": (gettext_lazy("Jetons d'API révoqués"),
                             gettext_lazy("%(actor)s a révoqué tous les jetons d'API de « %(object)s »")),
    "user.password_set": (gettext_lazy("Mot de passe changé"),
                          gettext_lazy("%(actor)s a changé le mot de passe de « %(object)s »")),
    "login_lock.release": (gettext_lazy("Verrouillage de connexion levé"),
                           gettext_lazy("%(actor)s a levé le verrouillage de connexion de « %(object)s »")),
    "collective.group.create": (gettext_lazy("Groupe créé"),
                                gettext_lazy("%(actor)s a créé le groupe « %(object)s »")),
    "collective.mandate.start": (gettext_lazy("Mandat commencé"),
                                 gettext_lazy("%(actor)s a noté le mandat « %(object)s »")),
    "collective.mandate.end": (gettext_lazy("Mandat terminé"),
                               gettext_lazy("%(actor)s a terminé le mandat « %(object)s »")),
    "collective.meeting.create": (gettext_lazy("Réunion planifiée"),
                                  gettext_lazy("%(actor)s a planifié la réunion « %(object)s »")),
    "collective.meeting.convene": (gettext_lazy("Réunion convoquée"),
                                   gettext_lazy("%(actor)s a convoqué la réunion « %(object)s »")),
    "collective.meeting.hold": (gettext_lazy("Réunion tenue"),
                                gettext_lazy("%(actor)s a noté que la réunion « %(object)s » a eu lieu")),
    "collective.meeting.cancel": (gettext_lazy("Réunion annulée"),
                                  gettext_lazy("%(actor)s a annulé la réunion « %(object)s »")),
    "collective.agenda.add": (gettext_lazy("Point ajouté à l'ordre du jour"),
                              gettext_lazy("%(actor)s a ajouté un point à l'ordre du jour « %(object)s »")),
    "collective.attendance.record": (gettext_lazy("Présence notée"),
                                     gettext_lazy("%(actor)s a noté une présence « %(object)s »")),
    "collective.attendance.count": (gettext_lazy("Participants comptés"),
                                    gettext_lazy("%(actor)s a compté les participants de la réunion « %(object)s »")),
    "collective.decision.record": (gettext_lazy("Décision notée"),
                                   gettext_lazy("%(actor)s a noté la décision « %(object)s »")),
    "collective.follow_up.add": (gettext_lazy("Suivi ajouté"),
                                 gettext_lazy("%(actor)s a ajouté le suivi « %(object)s »")),
    "collective.follow_up.status": (gettext_lazy("Suivi mis à jour"),
                                    gettext_lazy("%(actor)s a changé l'état du suivi « %(object)s »")),
    "collective.minutes.draft": (gettext_lazy("Procès-verbal commencé"),
                                 gettext_lazy("%(actor)s a commencé le procès-verbal « %(object)s »")),
    "collective.minutes.edit": (gettext_lazy("Procès-verbal modifié"),
                                gettext_lazy("%(actor)s a modifié le procès-verbal « %(object)s »")),
    "collective.minutes.submit": (gettext_lazy("Procès-verbal soumis"),
                                  gettext_lazy("%(actor)s a soumis aux membres le procès-verbal « %(object)s »")),
    "collective.minutes.adopt": (gettext_lazy("Procès-verbal adopté"),
                                 gettext_lazy("%(actor)s a noté l'adoption du procès-verbal « %(object)s »")),
    "collective.minutes.publish": (gettext_lazy("Procès-verbal publié"),
                                   gettext_lazy("%(actor)s a publié le procès-verbal « %(object)s »")),
    "collective.recommendation.adopt": (gettext_lazy("Recommandation adoptée"),
                                        gettext_lazy("%(actor)s a noté la recommandation « %(object)s »")),
    "collective.recommendation.edit": (gettext_lazy("Recommandation modifiée"),
                                       gettext_lazy("%(actor)s a modifié la recommandation « %(object)s »")),
    "collective.recommendation.send": (gettext_lazy("Recommandation envoyée"),
                                       gettext_lazy("%(actor)s a envoyé la recommandation « %(object)s »")),
    "collective.recommendation.acknowledge": (gettext_lazy("Réception de recommandation"),
                                              gettext_lazy("%(actor)s a accusé réception de la recommandation « %(object)s »")),
    "collective.recommendation.answer": (gettext_lazy("Recommandation répondue"),
                                         gettext_lazy("%(actor)s a répondu à la recommandation « %(object)s »")),
    "person.register": (gettext_lazy("Personne inscrite"), gettext_lazy("%(actor)s a inscrit « %(object)s »")),
    "person.merge": (gettext_lazy("Personnes fusionnées"),
                     gettext_lazy("%(actor)s a fusionné un doublon dans « %(object)s »")),
    "consent.record": (gettext_lazy("Consentement consigné"),
                       gettext_lazy("%(actor)s a consigné le « %(object)s »")),
    "consent.revoke": (gettext_lazy("Consentement révoqué"), gettext_lazy("%(actor)s a révoqué le « %(object)s »")),
    "consent.scan_attach": (gettext_lazy("Formulaire signé joint"),
                            gettext_lazy("%(actor)s a joint le formulaire signé au « %(object)s »")),
    "incident.record": (gettext_lazy("Incident de confidentialité inscrit"),
                        gettext_lazy("%(actor)s a inscrit l'« %(object)s » au registre des incidents")),
    "incident.update": (gettext_lazy("Incident de confidentialité complété"),
                        gettext_lazy("%(actor)s a modifié l'« %(object)s » du registre des incidents")),
    "retention.apply": (gettext_lazy("Règles de conservation appliquées"),
                        gettext_lazy("%(actor)s a appliqué les règles de conservation « %(object)s »")),
    "intervention.record": (gettext_lazy("Intervention consignée"),
                            gettext_lazy("%(actor)s a consigné l'« %(object)s »")),
    "referral.create": (gettext_lazy("Référence préparée"), gettext_lazy("%(actor)s a préparé la « %(object)s »")),
    "referral.send": (gettext_lazy("Référence envoyée"), gettext_lazy("%(actor)s a envoyé la « %(object)s »")),
    "referral.accept": (gettext_lazy("Référence acceptée"), gettext_lazy("%(actor)s a accepté la « %(object)s »")),
    "referral.decline": (gettext_lazy("Référence refusée"), gettext_lazy("%(actor)s a refusé la « %(object)s »")),
    "referral.start": (gettext_lazy("Référence commencée"),
                       gettext_lazy("%(actor)s a commencé à donner suite à la « %(object)s »")),
    "referral.close": (gettext_lazy("Référence fermée"), gettext_lazy("%(actor)s a fermé la « %(object)s »")),
    "referral.withdraw": (gettext_lazy("Référence retirée"), gettext_lazy("%(actor)s a retiré la « %(object)s »")),
    "case_review.create": (gettext_lazy("Revue de cas convoquée"),
                           gettext_lazy("%(actor)s a convoqué la « %(object)s »")),
    "case_review.add_person": (gettext_lazy("Personne ajoutée à une revue de cas"),
                               gettext_lazy("%(actor)s a ajouté une personne à la « %(object)s »")),
    "case_review.note": (gettext_lazy("Notes de revue de cas"),
                         gettext_lazy("%(actor)s a écrit des notes dans la « %(object)s »")),
    "household.create": (gettext_lazy("Ménage créé"), gettext_lazy("%(actor)s a créé le « %(object)s »")),
    "household.add_member": (gettext_lazy("Membre ajouté à un ménage"),
                             gettext_lazy("%(actor)s a ajouté une personne au « %(object)s »")),
    "household.remove_member": (gettext_lazy("Membre retiré d'un ménage"),
                                gettext_lazy("%(actor)s a retiré une personne du « %(object)s »")),
    "duplicate.dismiss": (gettext_lazy("Doublon écarté"),
                          gettext_lazy("%(actor)s a jugé que « %(object)s » n'est pas un doublon")),
    "demo.load": (gettext_lazy("Démonstration chargée"),
                  gettext_lazy("%(actor)s a chargé la démonstration « %(object)s »")),
    "service.create": (gettext_lazy("Service ajouté"), gettext_lazy("%(actor)s a ajouté le service « %(object)s »")),
    "service.update": (gettext_lazy("Service modifié"), gettext_lazy("%(actor)s a modifié le service « %(object)s »")),
    "service.verify": (gettext_lazy("Service vérifié"), gettext_lazy("%(actor)s a vérifié le service « %(object)s »")),
    "service.retire": (gettext_lazy("Service retiré"), gettext_lazy("%(actor)s a retiré le service « %(object)s »")),
    "service.restore": (gettext_lazy("Service rétabli"),
                        gettext_lazy("%(actor)s a rétabli le service « %(object)s »")),
    "service.hsds_import_create": (gettext_lazy("Service importé (HSDS)"),
                                   gettext_lazy("%(actor)s a importé le service « %(object)s » (HSDS)")),
    "service.hsds_import_update": (gettext_lazy("Service mis à jour par import (HSDS)"),
                                   gettext_lazy("%(actor)s a mis à jour le service « %(object)s » par import (HSDS)")),
    "correction.propose": (gettext_lazy("Correction proposée"),
                           gettext_lazy("%(actor)s a proposé une correction au service « %(object)s »")),
    "correction.accept": (gettext_lazy("Correction acceptée"),
                          gettext_lazy("%(actor)s a accepté une correction du service « %(object)s »")),
    "correction.refuse": (gettext_lazy("Correction refusée"),
                          gettext_lazy("%(actor)s a refusé une correction du service « %(object)s »")),
    "correction.withdraw": (gettext_lazy("Correction retirée"),
                            gettext_lazy("%(actor)s a retiré sa correction du service « %(object)s »")),
    "correction.report": (gettext_lazy("Erreur signalée par le public"),
                          gettext_lazy("Une personne du public a signalé une erreur sur le service « %(object)s »")),
    "correction.report_fixed": (gettext_lazy("Signalement traité : corrigé"),
                                gettext_lazy("%(actor)s a corrigé l'erreur signalée sur le service « %(object)s »")),
    "correction.report_not_an_error": (
        gettext_lazy("Signalement traité : pas une erreur"),
        gettext_lazy("%(actor)s a jugé que le signalement sur le service « %(object)s » n'était pas une erreur")),
    "directory_organization.create": (gettext_lazy("Fournisseur de services ajouté"),
                                      gettext_lazy("%(actor)s a ajouté le fournisseur de services « %(object)s »")),
    "category.create": (gettext_lazy("Catégorie ajoutée"),
                        gettext_lazy("%(actor)s a ajouté la catégorie « %(object)s »")),
    "category.update": (gettext_lazy("Catégorie modifiée"),
                        gettext_lazy("%(actor)s a modifié la catégorie « %(object)s »")),
    "synonyms.create": (gettext_lazy("Synonymes ajoutés"),
                        gettext_lazy("%(actor)s a ajouté au thésaurus le groupe « %(object)s »")),
    "synonyms.update": (gettext_lazy("Synonymes modifiés"),
                        gettext_lazy("%(actor)s a modifié dans le thésaurus le groupe « %(object)s »")),
    "synonyms.delete": (gettext_lazy("Synonymes supprimés"),
                        gettext_lazy("%(actor)s a retiré du thésaurus le groupe « %(object)s »")),
    "territory.region.create": (gettext_lazy("Région ajoutée"),
                                gettext_lazy("%(actor)s a ajouté la région « %(object)s »")),
    "territory.region.update": (gettext_lazy("Région modifiée"),
                                gettext_lazy("%(actor)s a modifié la région « %(object)s »")),
    "territory.mrc.create": (gettext_lazy("MRC ajoutée"), gettext_lazy("%(actor)s a ajouté la MRC « %(object)s »")),
    "territory.mrc.update": (gettext_lazy("MRC modifiée"), gettext_lazy("%(actor)s a modifié la MRC « %(object)s »")),
    "territory.municipality.create": (gettext_lazy("Municipalité ajoutée"),
                                      gettext_lazy("%(actor)s a ajouté la municipalité « %(object)s »")),
    "territory.municipality.update": (gettext_lazy("Municipalité modifiée"),
                                      gettext_lazy("%(actor)s a modifié la municipalité « %(object)s »")),
    "activity.create": (gettext_lazy("Activité planifiée"),
                        gettext_lazy("%(actor)s a planifié l'activité « %(object)s »")),
    "activity.update": (gettext_lazy("Activité modifiée"),
                        gettext_lazy("%(actor)s a modifié l'activité « %(object)s »")),
    "activity.publish": (gettext_lazy("Activité publiée"),
                         gettext_lazy("%(actor)s a publié l'activité « %(object)s »")),
    "activity.cancel": (gettext_lazy("Activité annulée"),
                        gettext_lazy("%(actor)s a annulé l'activité « %(object)s »")),
    "collective.project.create": (gettext_lazy("Projet collectif créé"),
                                  gettext_lazy("%(actor)s a créé le projet collectif « %(object)s »")),
    "collective.project.update": (gettext_lazy("Projet collectif modifié"),
                                  gettext_lazy("%(actor)s a modifié le projet collectif « %(object)s »")),
    "collective.plan.create": (gettext_lazy("Plan d'action créé"),
                               gettext_lazy("%(actor)s a créé le plan d'action « %(object)s »")),
    "collective.plan.update": (gettext_lazy("Plan d'action modifié"),
                               gettext_lazy("%(actor)s a modifié le plan d'action « %(object)s »")),
    "collective.plan.objective_add": (gettext_lazy("Objectif ajouté à un plan d'action"),
                                      gettext_lazy("%(actor)s a ajouté l'objectif « %(object)s » à un plan d'action")),
    "collective.plan.action_add": (gettext_lazy("Action ajoutée à un plan d'action"),
                                   gettext_lazy("%(actor)s a ajouté l'action « %(object)s » à un plan d'action")),
    "plan_action.follow": (gettext_lazy("Suivi d'action noté"),
                           gettext_lazy("%(actor)s a noté le suivi de l'action « %(object)s »")),
    "activity.attendee_add": (gettext_lazy("Personne nommée à une activité"),
                              gettext_lazy("%(actor)s a nommé une personne présente à l'activité « %(object)s »")),
    "activity.attendee_remove": (gettext_lazy("Personne retirée d'une activité"),
                                 gettext_lazy("%(actor)s a retiré une personne des présences à l'activité « %(object)s »")),
    "activity.photo_add": (gettext_lazy("Photo d'activité ajoutée"),
                           gettext_lazy("%(actor)s a ajouté une photo à l'activité « %(object)s »")),
    "activity.photo_remove": (gettext_lazy("Photo d'activité retirée"),
                              gettext_lazy("%(actor)s a retiré une photo de l'activité « %(object)s »")),
    "calendar_token.issue": (gettext_lazy("Calendrier personnel obtenu"),
                             gettext_lazy("%(actor)s a obtenu l'adresse de son calendrier personnel")),
    "calendar_token.revoke": (gettext_lazy("Calendrier personnel révoqué"),
                              gettext_lazy("%(actor)s a révoqué l'adresse de son calendrier personnel")),
    "activity.attendance_count": (gettext_lazy("Présences comptées"),
                                  gettext_lazy("%(actor)s a compté les présences à l'activité « %(object)s »")),
}

# For an action nobody described: its last word's verb.
VERBS: dict[str, Promise] = {
    "create": gettext_lazy("%(actor)s a créé : %(kind)s « %(object)s »"),
    "add": gettext_lazy("%(actor)s a ajouté : %(kind)s « %(object)s »"),
    "update": gettext_lazy("%(actor)s a modifié : %(kind)s « %(object)s »"),
    "set": gettext_lazy("%(actor)s a modifié : %(kind)s « %(object)s »"),
    "delete": gettext_lazy("%(actor)s a supprimé : %(kind)s « %(object)s »"),
    "remove": gettext_lazy("%(actor)s a supprimé : %(kind)s « %(object)s »"),
    "revoke": gettext_lazy("%(actor)s a révoqué : %(kind)s « %(object)s »"),
}
UNKNOWN = gettext_lazy("%(actor)s : action « %(action)s » sur %(kind)s « %(object)s »")

# Keys of before/after that are not fields of the object's model.
EXTRA_LABELS: dict[str, Promise] = {
    "reason": gettext_lazy("motif"),
    "revoked": gettext_lazy("jetons révoqués"),
    "username": gettext_lazy("nom d'utilisateur"),
    "ip_address": gettext_lazy("adresse IP"),
    "file": gettext_lazy("fichier"),
    "rows": gettext_lazy("lignes"),
    "sites": gettext_lazy("sites"),
    "organizations_created": gettext_lazy("organisations créées"),
    "buildings_created": gettext_lazy("immeubles créés"),
    "buildings_updated": gettext_lazy("immeubles modifiés"),
    "unit_groups_created": gettext_lazy("groupes de logements créés"),
    "unit_groups_updated": gettext_lazy("groupes de logements modifiés"),
    "snapshots_created": gettext_lazy("disponibilités créées"),
    "snapshots_updated": gettext_lazy("disponibilités modifiées"),
}
# Codes some services record as values.
VALUE_LABELS: dict[str, Promise] = {
    "password_change": gettext_lazy("changement de mot de passe"),
    "password_reset": gettext_lazy("réinitialisation du mot de passe"),
    "deactivation": gettext_lazy("désactivation du compte"),
}
# Bookkeeping that changes with every edit and tells a reader nothing.
HIDDEN = {"id", "version", "updated_at", "created_at", "search_text"}
LONGEST = 160


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class ReadableEvent:
    event: AuditEvent
    sentence: str
    action_label: str
    kind: str
    actor_name: str
    changes: list[Change] = field(default_factory=list)

    @property
    def mode(self) -> str:
        """created (nothing before), removed (nothing after) or changed."""
        if self.event.before is None:
            return "created"
        return "removed" if self.event.after is None else "changed"

    @property
    def changes_text(self) -> str:
        return "; ".join(f"{c.label} : {c.old} → {c.new}" for c in self.changes)


def action_label(action: str) -> str:
    known = ACTIONS.get(action)
    return str(known[0]) if known else action


def action_choices(actions: Iterable[str]) -> list[tuple[str, str]]:
    """Every action a filter may ask for, named for a person, sorted by name."""
    codes = set(actions) | set(ACTIONS)
    return sorted(((code, action_label(code)) for code in codes), key=lambda choice: choice[1].casefold())


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def kind_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


def kind_choices(object_types: Iterable[str]) -> list[tuple[str, str]]:
    choices = []
    for code in object_types:
        model = _model(code)
        choices.append((code, str(model._meta.verbose_name_plural).capitalize() if model else code))
    return sorted(choices, key=lambda choice: choice[1].casefold())


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        try:
            found = model._meta.get_field(name.removesuffix("_id"))
        except FieldDoesNotExist:
            return None
    return found if isinstance(found, models.Field) else None


def _label(model: type[models.Model] | None, name: str) -> str:
    found = _field(model, name)
    if found is not None:
        return str(found.verbose_name)
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    return name.replace("_", " ")


def _shorten(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


class _Names:
    """The names of the records a page's events point to: one query per kind of record."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], str], str] = {}

    def want(self, related: type[models.Model], value: Any) -> None:
        for item in value if isinstance(value, list) else [value]:
            if item is not None and item != "" and not isinstance(item, dict | list):
                self.wanted[related].add(item)

    def fetch(self) -> None:
        user_model = get_user_model()
        for related, keys in self.wanted.items():
            try:
                rows = list(related._base_manager.filter(pk__in=list(keys)))
            except (ValueError, TypeError, ValidationError):
                continue  # a key the record's model cannot read: shown as its number
            for row in rows:
                name = _person(row) if related is user_model else str(row)
                self.names[(related, str(row.pk))] = name

    def name(self, related: type[models.Model], key: Any) -> str:
        return self.names.get((related, str(key)), _("n° %(id)s") % {"id": key})


def _related(found: models.Field | None) -> type[models.Model] | None:
    if found is not None and found.is_relation and found.related_model is not None:
        related = found.related_model
        return related if isinstance(related, type) else None
    return None


def _show(value: Any, found: models.Field | None, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    related = _related(found)
    if related is not None and not isinstance(value, dict):
        items = value if isinstance(value, list) else [value]
        return _shorten(", ".join(names.name(related, item) for item in items))
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if found is not None and found.choices:
        flat = {str(key): label for key, label in found.flatchoices}
        if str(value) in flat:
            return str(flat[str(value)])
    if isinstance(value, str) and value in VALUE_LABELS:
        return str(VALUE_LABELS[value])
    if isinstance(value, list):
        return _shorten(", ".join(_show(item, None, names) for item in value))
    if isinstance(value, dict):
        return _shorten(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return _shorten(str(value))


def _compared(model: type[models.Model] | None, before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    """The keys whose value differs: the model's fields in its order, then the others by name.

    (PostgreSQL's jsonb does not keep the order in which the keys were written.)
    """
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model else {}
    keys = sorted(set(before) | set(after), key=lambda key: (order.get(key, len(order)), key))
    return [(key, before.get(key), after.get(key)) for key in keys
            if key not in HIDDEN and before.get(key) != after.get(key)]


def _actor(event: AuditEvent) -> str:
    return _person(event.actor) or (_("Le système") if event.actor_label in ("", "system") else event.actor_label)


def _sentence(event: AuditEvent, kind: str, actor: str) -> str:
    what = event.object_label or (f"{kind} {_('n° %(id)s') % {'id': event.object_id}}" if event.object_id else kind)
    values = {"actor": actor, "object": what, "kind": kind, "action": event.action}
    known = ACTIONS.get(event.action)
    if known:
        return str(known[1]) % values
    verb = VERBS.get(event.action.rsplit(".", 1)[-1])
    return str(verb or UNKNOWN) % values


def readable(events: Sequence[AuditEvent]) -> list[ReadableEvent]:
    """The events as sentences with their changed fields; a fixed number of queries for any number of events."""
    names = _Names()
    compared = []
    for event in events:
        model = _model(event.object_type)
        changes = _compared(model, event.before, event.after)
        for key, old, new in changes:
            related = _related(_field(model, key))
            if related is not None:
                names.want(related, old)
                names.want(related, new)
        compared.append((event, model, changes))
    names.fetch()
    result = []
    for event, model, changes in compared:
        kind, actor = kind_label(event.object_type), _actor(event)
        result.append(ReadableEvent(
            event=event, sentence=_sentence(event, kind, actor), action_label=action_label(event.action), kind=kind,
            actor_name=actor,
            changes=[Change(label=_label(model, key), old=_show(old, _field(model, key), names),
                            new=_show(new, _field(model, key), names)) for key, old, new in changes],
        ))
    return result
