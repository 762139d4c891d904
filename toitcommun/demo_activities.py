"""The demo's collective life beyond governance: activities and their attendance, the Carré
famille Saint-Maurice project and the MRC des Appalaches table's action plan (DESIGN.md).

Published facts: the Grand rassemblement of 23 October 2015 in Scott (7 tenants at the
preparatory meeting, 10 on the day); a tenant-organized hot-dog party (about 15 residents),
crafts workshops run by a tenant, the Olympiades, collective kitchens, a beach party; the
Carré famille Saint-Maurice launch at the end of 2015 (about 30 participants); the table's four
objectives. The other dates, places and splits are ours, and marked illustrative.

Activities are made through the services (as the administrator), so that their roll-ups are
kept as in real use. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from toitcommun.collective.activity_services import (
    activity_attendance_count,
    activity_create,
    activity_publish,
)
from toitcommun.collective.models import (
    ActionPlan,
    ActionStatus,
    Activity,
    AgreementObjective,
    CollectiveProject,
    Group,
    PlanAction,
    PlanObjective,
    ProgressNote,
    ProjectMilestone,
    ProjectPartner,
    ProjectStatus,
)
from toitcommun.housing.models import Building
from toitcommun.organizations.models import Organization
from toitcommun.territory.models import Municipality

THETFORD, SCOTT = "31084", "26048"
ASSOCIATION = "Association des locataires des HLM de Thetford Mines"
ENTRAIDE = "Réseaux d'entraide des Appalaches"
CISSS = "CISSS de Chaudière-Appalaches"
OMH_TM = "Office municipal d'habitation de Thetford Mines"
CARRE_FAMILLE = "Carré famille Saint-Maurice"


@dataclass(frozen=True)
class DemoActivity:
    title: str
    kind: str
    starts_at: str
    place: str
    municipality: str
    organizers: tuple[str, ...]
    by_tenants: bool
    counted: tuple[int, int, int]  # tenants, children, others
    buildings: tuple[str, ...] = ()
    illustrative: bool = True
    project: bool = False
    description: str = ""


ACTIVITIES = [
    DemoActivity("Fête hot-dog des locataires", "celebration", "2015-06-20T11:30", "Cour des Habitations Saint-Maurice",
                 THETFORD, (ASSOCIATION,), True, (15, 0, 0), ("Habitations Saint-Maurice",),
                 description="Organisée par des locataires eux-mêmes : une quinzaine de résidents."),
    DemoActivity("Olympiades des HLM", "sports", "2015-07-11T10:00", "Parc Saint-Noël", THETFORD,
                 (ENTRAIDE, OMH_TM), False, (18, 12, 4), ("Habitations Saint-Noël", "Habitations Mitchell")),
    DemoActivity("Fête de la plage", "celebration", "2015-08-08T13:00", "Plage du lac à la Truite", THETFORD,
                 (ENTRAIDE,), False, (14, 9, 2)),
    DemoActivity("Cuisine collective de septembre", "collective_kitchen", "2015-09-16T09:30",
                 "Salle communautaire, Résidence Saint-Alphonse", THETFORD, (ENTRAIDE,), False, (8, 0, 1),
                 ("Résidence Saint-Alphonse",)),
    DemoActivity("Atelier de bricolage animé par une locataire", "crafts", "2015-09-24T13:30",
                 "Salle communautaire, Habitations Notre-Dame", THETFORD, (ASSOCIATION,), True, (9, 0, 0),
                 ("Habitations Notre-Dame",)),
    DemoActivity("Rencontre préparatoire au Grand rassemblement", "information_session", "2015-10-07T13:30",
                 "Salle communautaire, Habitations Saint-Maurice", THETFORD, (ENTRAIDE, CISSS), False, (7, 0, 2),
                 illustrative=False, description="Sept locataires ont préparé leur participation au Grand rassemblement."),
    DemoActivity("Cuisine collective d'octobre", "collective_kitchen", "2015-10-14T09:30",
                 "Salle communautaire, Résidence Saint-Alphonse", THETFORD, (ENTRAIDE,), False, (9, 0, 1),
                 ("Résidence Saint-Alphonse",)),
    DemoActivity("Grand rassemblement régional", "regional_gathering", "2015-10-23T09:00", "Scott", SCOTT,
                 (CISSS, ENTRAIDE), False, (10, 0, 0), illustrative=False,
                 description="Rassemblement régional du soutien communautaire en logement social : "
                             "dix locataires de Thetford Mines y ont pris part."),
    DemoActivity("Atelier de bricolage des Fêtes", "crafts", "2015-11-19T13:30",
                 "Salle communautaire, Habitations Notre-Dame", THETFORD, (ASSOCIATION,), True, (11, 0, 0),
                 ("Habitations Notre-Dame",)),
    DemoActivity("Lancement du Carré famille Saint-Maurice", "celebration", "2015-12-05T13:00",
                 "Habitations Saint-Maurice", THETFORD, (ENTRAIDE, OMH_TM, ASSOCIATION), False, (18, 9, 3),
                 ("Habitations Saint-Maurice",), project=True,
                 description="Une trentaine de participants au lancement du projet collectif."),
]

PLAN_OBJECTIVES: list[tuple[str, tuple[int, ...], list[tuple[str, tuple[str, ...], str, str]]]] = [
    ("Centraliser l'information sur les logements disponibles dans la MRC", (3, 5), [
        ("Recueillir chaque trimestre les disponibilités des offices de la MRC", (OMH_TM,), "2015-06-30", "done"),
        ("Publier un portrait des logements disponibles de la MRC", (OMH_TM, CISSS), "2016-03-31", "in_progress"),
    ]),
    ("Informer les locataires des services et des ressources", (1, 3), [
        ("Distribuer le bottin des ressources dans chaque HLM", (ENTRAIDE,), "2015-09-30", "done"),
        ("Tenir une séance d'information par site", (ENTRAIDE, CISSS), "2015-12-15", "in_progress"),
    ]),
    ("Informer les intervenants et les équipes terrain des services et des ressources", (3,), [
        ("Présenter les ressources du milieu aux équipes du CISSS", (CISSS,), "2015-11-30", "planned"),
    ]),
    ("Définir et réaliser un projet collectif", (8, 1), [
        ("Choisir le projet avec les locataires", (ENTRAIDE, ASSOCIATION), "2015-10-31", "done"),
        ("Lancer le Carré famille Saint-Maurice", (ENTRAIDE, OMH_TM), "2015-12-15", "done"),
    ]),
]


def _aware(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def load_demo_activities() -> None:
    User = get_user_model()
    actor = User.objects.filter(username="admin").first()
    orgs = {o.name: o for o in Organization.objects.filter(name__in={ASSOCIATION, ENTRAIDE, CISSS, OMH_TM})}
    if actor is None or len(orgs) < 4:
        return
    thetford = Municipality.objects.get(code=THETFORD)
    project, created = CollectiveProject.objects.get_or_create(name=CARRE_FAMILLE, defaults={
        "goal": "Aménager avec les familles des Habitations Saint-Maurice un lieu de rencontre et d'activités "
                "pour les parents et les enfants du quartier.",
        "municipality": thetford, "status": ProjectStatus.ACTIVE, "starts_on": datetime.date(2015, 12, 5),
        "lead": orgs[ENTRAIDE], "participants_count": 30})
    if created:
        project.objectives.set(AgreementObjective.objects.filter(number__in=[1, 3, 6, 8]))
        for name, contribution in ((ENTRAIDE, "Animation et coordination (illustratif)"),
                                   (OMH_TM, "Espace extérieur et salle communautaire (illustratif)"),
                                   (CISSS, "Organisation communautaire (illustratif)"),
                                   (ASSOCIATION, "Comité de parents locataires (illustratif)")):
            ProjectPartner.objects.create(project=project, organization=orgs[name], contribution=contribution)
        for title, due, done in (("Consultation des familles", "2015-10-31", "2015-10-28"),
                                 ("Lancement", "2015-12-05", "2015-12-05"),
                                 ("Aménagement du carré", "2016-06-30", None)):
            ProjectMilestone.objects.create(project=project, title=title, due_on=datetime.date.fromisoformat(due),
                                            done_on=datetime.date.fromisoformat(done) if done else None)
    buildings = {b.name: b for b in Building.objects.filter(municipality__code=THETFORD)}
    codes = {m.code: m.code for m in Municipality.objects.filter(code__in=[THETFORD, SCOTT])}
    for item in ACTIVITIES:
        if item.municipality not in codes or Activity.objects.filter(title=item.title,
                                                                     starts_at=_aware(item.starts_at)).exists():
            continue
        activity = activity_create(actor=actor, data={
            "title": item.title, "kind": item.kind, "starts_at": item.starts_at, "place": item.place,
            "municipality": item.municipality, "organizers": [str(orgs[o].pk) for o in item.organizers],
            "buildings": [str(buildings[b].pk) for b in item.buildings if b in buildings],
            "organized_by_tenants": "on" if item.by_tenants else "", "is_public": "on",
            "project": str(project.pk) if item.project else "", "description": item.description})
        Activity.objects.filter(pk=activity.pk).update(is_illustrative=item.illustrative)
        activity_publish(actor=actor, activity_id=activity.pk)
        tenants, children, others = item.counted
        activity_attendance_count(actor=actor, activity_id=activity.pk, data={
            "counted_tenants": tenants, "counted_children": children, "counted_others": others})
    _load_action_plan(orgs, actor)


def _load_action_plan(orgs: dict[str, Organization], actor: object) -> None:
    """The MRC des Appalaches table's plan, when the table is there (the governance demo makes it)."""
    table = Group.objects.filter(kind="local_table", mrc__code="310").order_by("id").first()
    if table is None or ActionPlan.objects.filter(group=table).exists():
        return
    plan = ActionPlan.objects.create(group=table, title="Plan d'action 2015-2016 de l'ÉLÉ des Appalaches",
                                     starts_on=datetime.date(2015, 4, 1), ends_on=datetime.date(2016, 3, 31))
    objectives = {o.number: o for o in AgreementObjective.objects.all()}
    for number, (title, served, actions) in enumerate(PLAN_OBJECTIVES, start=1):
        objective = PlanObjective.objects.create(plan=plan, number=number, title=title)
        objective.agreement_objectives.set([objectives[n] for n in served if n in objectives])
        for action_title, responsible, due, status in actions:
            due_on = datetime.date.fromisoformat(due)
            action = PlanAction.objects.create(objective=objective, title=action_title, due_on=due_on, status=status,
                                               done_on=due_on if status == ActionStatus.DONE else None)
            action.responsible.set([orgs[name] for name in responsible])
            if status != ActionStatus.PLANNED:
                ProgressNote.objects.create(action=action, written_on=min(due_on, datetime.date(2015, 11, 15)),
                                            text="Suivi présenté à la rencontre de l'ÉLÉ (illustratif).")
