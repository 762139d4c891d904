"""The demo's collective life (DESIGN.md): the MRC des Appalaches local inter-sector table (ÉLÉ) and its
members and meetings, the working committee, the Thetford Mines tenant association with its founding
assembly of 4 November 2015 (30 residents present, 11 elected to its board), the office's residents'
advisory committee (CCR) and its recommendation.

Published facts: the table's members and four objectives, the founding assembly's date and figures.
Ours, marked illustrative: the other meetings' dates, the minutes' text, the CCR, the recommendations,
and every person's name but the demo accounts' (all visibly fictional).

Loading twice changes nothing: every record is found by its natural key first.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from toitcommun.collective.meeting_services import quorum_at
from toitcommun.collective.models import (
    Attendance,
    Decision,
    FollowUp,
    FollowUpEvent,
    Group,
    Mandate,
    Meeting,
    Minutes,
    Recommendation,
)
from toitcommun.housing.models import Building
from toitcommun.organizations.models import Organization
from toitcommun.territory.models import Municipality

TABLE = "Équipe locale élargie (ÉLÉ) de la MRC des Appalaches"
COMMITTEE = "Comité de travail du soutien communautaire de Thetford Mines"
ASSOCIATION = "Association des locataires des HLM de Thetford Mines"
CCR = "Comité consultatif des résidents de l'OMH de Thetford Mines"
OMH_TM = "Office municipal d'habitation de Thetford Mines"
TABLE_MEMBERS = [
    "CISSS de Chaudière-Appalaches", "Emploi-Québec, Chaudière-Appalaches", "ACEF Appalaches-Beauce-Etchemin",
    "CDC des Appalaches", "Commission scolaire des Appalaches", "Réseaux d'entraide des Appalaches",
    "Société d'habitation du Québec", OMH_TM, "Office municipal d'habitation de Saint-Jacques-de-Leeds",
    "Office municipal d'habitation de Beaulac-Garthby", "Office municipal d'habitation de Saint-Pierre-de-Broughton",
    "Office municipal d'habitation d'Adstock",
]
OBJECTIVES = [
    "Centraliser l'information sur les logements disponibles dans la MRC.",
    "Informer les locataires des services et des ressources.",
    "Informer les intervenants et les équipes terrain des services et des ressources.",
    "Définir et réaliser un projet collectif.",
]


def _at(day: datetime.date, hour: int = 19) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _group(name: str, **values: Any) -> Group:
    group, _ = Group.objects.get_or_create(name=name, defaults=values)
    return group


def _mandate(group: Group, role: str, starts_on: datetime.date, **values: Any) -> Mandate:
    key = {"group": group, "role": role, "starts_on": starts_on,
           "holder_name": values.pop("holder_name", ""), "organization": values.pop("organization", None)}
    mandate, _ = Mandate.objects.get_or_create(**key, defaults={"holder_kind": "organization" if key["organization"]
                                                                 else "person", **values})
    return mandate


def _meeting(group: Group, title: str, day: datetime.date, *, state: str = "held", audience: str = "public",
             kind: str = "ordinary", place: str = "", present: list[Mandate] | None = None,
             excused: list[Mandate] | None = None, tenants: int = 0, children: int = 0,
             agenda: list[tuple[str, str]] | None = None) -> Meeting:
    meeting, created = Meeting.objects.get_or_create(
        group=group, title=title,
        defaults={"starts_at": _at(day), "state": state, "audience": audience, "kind": kind, "place": place,
                  "counted_tenants": tenants, "counted_children": children})
    if created:
        for position, (kind_, item) in enumerate(agenda or [], start=1):
            meeting.agenda_items.create(position=position, kind=kind_, title=item)
        for mandate in present or []:
            Attendance.objects.create(meeting=meeting, mandate=mandate, presence="present")
        for mandate in excused or []:
            Attendance.objects.create(meeting=meeting, mandate=mandate, presence="excused")
        meeting.members_present = len(present or [])
        meeting.save(update_fields=["members_present"])
    return meeting


def _decision(meeting: Meeting, number: int, text: str, *, method: str = "consensus",
              adopts: Minutes | None = None, counted: tuple[int, int] | None = None, **values: Any) -> Decision:
    found = meeting.decisions.filter(number=number).first()
    if found is not None:
        return found
    total, present = counted or quorum_at(meeting, None)
    reached = total > 0 and present >= meeting.group.quorum_needed(total)
    decision = Decision.objects.create(meeting=meeting, number=number, text=text, method=method,
                                       voting_total=total, voting_present=present, quorum_reached=reached,
                                       adopts_minutes=adopts, **values)
    if adopts is not None:
        Minutes.objects.filter(pk=adopts.pk).update(state="adopted", adopted_by=decision,
                                                    adopted_on=timezone.localtime(meeting.starts_at).date())
    return decision


def _minutes(meeting: Meeting, text: str, *, state: str = "submitted", in_camera_text: str = "") -> Minutes:
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting, revision=1,
                                               defaults={"text": text, "state": state,
                                                         "in_camera_text": in_camera_text})
    return minutes


def _publish(minutes: Minutes, on: datetime.date) -> None:
    Minutes.objects.filter(pk=minutes.pk, state="adopted").update(state="published", published_on=on)


def load_demo_collective(orgs: Mapping[str, Organization]) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["locataires.tm", "secretaire.tm", "oc.cisss", "intervenante", "technicienne", "omh.thetford"])}
    thetford = Municipality.objects.select_related("mrc__region").get(code="31084")
    mrc, region = thetford.mrc, thetford.mrc.region
    omh = orgs[OMH_TM]

    # The local inter-sector table: the member organizations, the public network in the chair.
    table = _group(TABLE, kind="local_table", region=region, mrc=mrc, quorum_rule="majority",
                   description="La table de concertation intersectorielle de la MRC, présidée par le réseau public. "
                               "Ses quatre objectifs : " + " ".join(OBJECTIVES),
                   contact="CISSS de Chaudière-Appalaches, organisation communautaire")
    start = datetime.date(2013, 9, 1)
    seats = {name: _mandate(table, "president" if name.startswith("CISSS") else "member", start,
                            organization=orgs[name]) for name in TABLE_MEMBERS}
    _mandate(table, "delegate", start, holder_name="Louis Poulin", user=users.get("oc.cisss"),
             delegate_of=seats["CISSS de Chaudière-Appalaches"], voting=False)
    _mandate(table, "delegate", start, holder_name="Marc Gosselin", user=users.get("omh.thetford"),
             delegate_of=seats[OMH_TM], voting=False)
    present = [seats[name] for name in TABLE_MEMBERS[:9]]
    dates = [datetime.date(2014, 11, 19), datetime.date(2015, 3, 18), datetime.date(2015, 6, 17),
             datetime.date(2015, 10, 21), datetime.date(2016, 2, 17)]
    table_meetings = [
        _meeting(table, f"Rencontre de l'ÉLÉ du {day.day} {_MONTHS[day.month]} {day.year}", day,
                 place="CLSC de Thetford Mines", present=present, excused=[seats[TABLE_MEMBERS[9]]],
                 agenda=[("decision", "Adoption du procès-verbal de la rencontre précédente"),
                         ("follow_up", "Suivi du plan d'action"), ("information", "Tour de table des partenaires")])
        for day in dates]
    first = _decision(table_meetings[0], 1, "L'ÉLÉ adopte ses quatre objectifs : " + " ".join(OBJECTIVES))
    if not first.follow_ups.exists():
        for title, owner, due, status in (
                ("Centraliser l'information sur les logements disponibles", OMH_TM, datetime.date(2015, 6, 30),
                 "done"),
                ("Proposer un projet collectif", "CDC des Appalaches", datetime.date(2016, 3, 31), "open")):
            follow_up = FollowUp.objects.create(decision=first, title=title, owner=owner, due_on=due, status=status)
            FollowUpEvent.objects.create(follow_up=follow_up, status="open")
            if status != "open":
                FollowUpEvent.objects.create(follow_up=follow_up, status=status, note="Fait en réunion.")
    previous = None
    for meeting in table_meetings:
        if previous is not None:
            _decision(meeting, 1, "Adoption du procès-verbal de la rencontre précédente.", adopts=previous)
            _publish(previous, timezone.localtime(meeting.starts_at).date() + datetime.timedelta(days=1))
        previous = _minutes(meeting, "Ouverture de la rencontre à 13 h 30 par la présidence (CISSS).\n\n"
                                     "Tour de table des partenaires ; suivi du plan d'action de l'ÉLÉ.\n\n"
                                     "Texte de démonstration (illustratif).")

    # The working committee: the workers who follow tenants closely, with their signed consent.
    committee = _group(COMMITTEE, kind="working_committee", region=region, mrc=mrc, is_illustrative=False,
                       description="Organisateur communautaire, travailleuse de proximité, éducatrice du réseau "
                                   "public, travailleuse sociale et technicienne en location de l'office.")
    c_start = datetime.date(2014, 1, 15)
    workers = [
        _mandate(committee, "member", c_start, holder_name="Louis Poulin", user=users.get("oc.cisss")),
        _mandate(committee, "secretary", c_start, holder_name="Sophie Lachance", user=users.get("intervenante")),
        _mandate(committee, "member", c_start, holder_name="Éducatrice Fictive"),
        _mandate(committee, "member", c_start, holder_name="Travailleuse Sociale Fictive"),
        _mandate(committee, "member", c_start, holder_name="Julie Roy", user=users.get("technicienne")),
    ]
    working = _meeting(committee, "Comité de travail du 9 septembre 2015", datetime.date(2015, 9, 9),
                       audience="members", place="Bureau de l'OMH de Thetford Mines", present=workers,
                       agenda=[("information", "Préparation du Grand rassemblement de Scott"),
                               ("in_camera", "Situation d'un ménage suivi (huis clos)")])
    _minutes(working, "Préparation du Grand rassemblement du 23 octobre 2015 à Scott : sept locataires à la "
                      "rencontre préparatoire.", in_camera_text="Discussion d'une situation suivie, avec le "
                                                                "consentement signé du ménage (illustratif).")

    # The tenant association, founded on 4 November 2015: 30 residents present, 11 elected.
    association = _group(ASSOCIATION, kind="tenant_association", region=region, mrc=mrc, municipality=thetford,
                         housing_office=omh, recommendation_days=60,
                         description="L'association des locataires des HLM de l'Office municipal d'habitation de "
                                     "Thetford Mines, fondée en assemblée le 4 novembre 2015.",
                         contact="Par l'entremise de l'OMH de Thetford Mines")
    association.buildings.add(*Building.objects.filter(organization=omh))
    founded = datetime.date(2015, 11, 4)
    founding = _meeting(association, "Assemblée de fondation", founded, kind="special", audience="public",
                        place="Salle communautaire des Habitations Saint-Maurice", tenants=30,
                        agenda=[("decision", "Fondation de l'association et règlements généraux"),
                                ("decision", "Élection du conseil d'administration")])
    _decision(founding, 1, "Les locataires présents fondent l'association et adoptent ses règlements généraux.",
              counted=(30, 30))
    election = _decision(founding, 2, "Onze locataires sont élus au conseil d'administration.", method="vote",
                         counted=(30, 30), votes_for=30, votes_against=0, abstentions=0)
    board = [
        _mandate(association, "president", founded, holder_name="Gilles Paré", user=users.get("locataires.tm"),
                 elected_by=election),
        _mandate(association, "secretary", founded, holder_name="Hélène Fictive", user=users.get("secretaire.tm"),
                 elected_by=election),
        _mandate(association, "vice_president", founded, holder_name="Locataire Fictif 3", elected_by=election),
        _mandate(association, "treasurer", founded, holder_name="Locataire Fictive 4", elected_by=election),
        *(_mandate(association, "board_member", founded, holder_name=f"Locataire Fictif {n}", elected_by=election)
          for n in range(5, 12)),
    ]
    founding_minutes = _minutes(founding, "Trente locataires sont présents. L'assemblée fonde l'association des "
                                          "locataires et adopte ses règlements généraux. Onze locataires sont "
                                          "élus au conseil d'administration.")
    ca = _meeting(association, "Réunion du conseil d'administration du 9 décembre 2015", datetime.date(2015, 12, 9),
                  audience="members", place="Salle communautaire des Habitations Saint-Maurice",
                  present=board[:9], excused=board[9:],
                  agenda=[("decision", "Adoption du procès-verbal de l'assemblée de fondation"),
                          ("decision", "Recommandation à l'office : éclairage du stationnement")])
    _decision(ca, 1, "Adoption du procès-verbal de l'assemblée de fondation.", adopts=founding_minutes)
    _publish(founding_minutes, datetime.date(2015, 12, 10))
    lighting = _decision(ca, 2, "Le conseil recommande à l'office d'éclairer le stationnement des Habitations "
                                "Saint-Maurice.")
    Recommendation.objects.get_or_create(
        group=association, title="Éclairage du stationnement des Habitations Saint-Maurice",
        defaults={"adopted_by": lighting, "office": omh, "state": "answered",
                  "text": "Installer un éclairage dans le stationnement arrière, où des locataires âgés se sentent "
                          "en insécurité le soir (illustratif).",
                  "sent_on": datetime.date(2015, 12, 14), "due_on": datetime.date(2016, 2, 12),
                  "acknowledged_on": datetime.date(2015, 12, 21), "answer": "partly",
                  "reply": "Deux lampadaires seront installés au printemps ; le reste au budget suivant.",
                  "answered_on": datetime.date(2016, 2, 1)})
    _meeting(association, "Assemblée des locataires du 20 janvier 2016", datetime.date(2016, 1, 20),
             audience="public", place="Salle communautaire des Habitations Saint-Maurice", present=board[:8],
             tenants=17, children=4, agenda=[("information", "Bilan des premières semaines de l'association"),
                                             ("information", "Fête d'hiver")])
    _meeting(association, "Réunion du conseil d'administration du 10 février 2016", datetime.date(2016, 2, 10),
             audience="members", present=board[:10],
             agenda=[("decision", "Adoption du procès-verbal de l'assemblée du 20 janvier")])
    _meeting(association, "Assemblée générale annuelle 2016", datetime.date(2016, 11, 2), state="convened",
             kind="annual_general", audience="public", place="Salle communautaire des Habitations Saint-Maurice",
             agenda=[("information", "Rapport du conseil d'administration"), ("decision", "Élections")])

    # The office's residents' advisory committee and its recommendation, public with its minutes.
    ccr = _group(CCR, kind="residents_committee", region=region, mrc=mrc, municipality=thetford, housing_office=omh,
                 recommendation_days=45, is_illustrative=True,
                 description="Le comité consultatif des résidents que la loi prévoit auprès de l'office.")
    ccr_start = datetime.date(2015, 1, 1)
    ccr_seats = [_mandate(ccr, "president", ccr_start, holder_name="Résidente Fictive A"),
                 _mandate(ccr, "secretary", ccr_start, holder_name="Résident Fictif B"),
                 *(_mandate(ccr, "member", ccr_start, holder_name=f"Résident·e Fictif·ve {x}") for x in "CDE")]
    march = _meeting(ccr, "Réunion du CCR du 16 mars 2016", datetime.date(2016, 3, 16), present=ccr_seats[:4],
                     place="Bureau de l'OMH de Thetford Mines",
                     agenda=[("decision", "Recommandation : horaire de la salle communautaire")])
    hours = _decision(march, 1, "Le CCR recommande d'ouvrir la salle communautaire le samedi.")
    march_minutes = _minutes(march, "Quatre résidents présents. Le CCR recommande à l'office d'ouvrir la salle "
                                    "communautaire le samedi après-midi (illustratif).")
    may = _meeting(ccr, "Réunion du CCR du 18 mai 2016", datetime.date(2016, 5, 18), present=ccr_seats[:5],
                   place="Bureau de l'OMH de Thetford Mines")
    _decision(may, 1, "Adoption du procès-verbal de la réunion du 16 mars 2016.", adopts=march_minutes)
    _publish(march_minutes, datetime.date(2016, 5, 19))
    Recommendation.objects.get_or_create(
        group=ccr, title="Ouvrir la salle communautaire le samedi",
        defaults={"adopted_by": hours, "office": omh, "state": "acknowledged",
                  "text": "Ouvrir la salle communautaire le samedi après-midi pour les activités des locataires.",
                  "sent_on": datetime.date(2016, 3, 21), "due_on": datetime.date(2016, 5, 5),
                  "acknowledged_on": datetime.date(2016, 3, 29)})


_MONTHS = {1: "janvier", 2: "février", 3: "mars", 4: "avril", 5: "mai", 6: "juin", 7: "juillet", 8: "août",
           9: "septembre", 10: "octobre", 11: "novembre", 12: "décembre"}
