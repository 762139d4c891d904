"""The demo's register of confidentiality incidents: one incident of the Thetford Mines housing office,
entered by its privacy officer (``rprp.omh``) through the service, as she would. Fictional, and
visibly so. Loading twice changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.utils import timezone

from toitcommun.organizations.models import Organization
from toitcommun.people.incidents import incident_record
from toitcommun.people.models import ConfidentialityIncident

OMH_TM = "Office municipal d'habitation de Thetford Mines"


def load_demo_privacy(orgs: Mapping[str, Organization]) -> int:
    """Enter the demo incident; the number of incidents added."""
    office = orgs[OMH_TM]
    if ConfidentialityIncident.objects.filter(organization=office).exists():
        return 0
    officer = get_user_model().objects.get(username="rprp.omh")
    today = timezone.localdate()
    incident_record(
        actor=officer, organization_id=office.pk,
        occurred_on=today - datetime.timedelta(days=40), learned_on=today - datetime.timedelta(days=38),
        categories=["identity", "housing"],
        information_description="Noms, numéros de logement et numéros de téléphone de locataires suivis (démo).",
        circumstances="Une liste de suivi imprimée a été oubliée dans la salle communautaire d'un immeuble, puis "
                      "retrouvée le lendemain par une employée (démo, fictif).",
        persons_affected=12, persons_affected_estimated=False, injury_risk="not_serious",
        risk_assessment="Liste retrouvée fermée, dans une salle verrouillée le soir ; renseignements peu sensibles "
                        "(pas de notes) : risque de préjudice sérieux jugé faible (démo).",
        commission_notified_on=None, persons_notified_on=today - datetime.timedelta(days=30),
        measures="Listes de suivi désormais consultées à l'écran seulement ; rappel au personnel (démo).")
    return 1
