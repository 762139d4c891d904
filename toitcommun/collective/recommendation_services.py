"""A CCR's or an association's recommendations to its housing office: adopted, sent, acknowledged,
answered within the group's deadline. The office answers; it never edits what the group adopted."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from toitcommun.access.services import audit_record
from toitcommun.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

from . import governance_rules as rules
from .models import (
    RECOMMENDING_KINDS,
    Decision,
    Recommendation,
    RecommendationAnswer,
    RecommendationState,
)


def _state_of(rec: Recommendation) -> dict[str, Any]:
    return {"state": rec.state, "answer": rec.answer, "due_on": str(rec.due_on) if rec.due_on else None}


def _rec(actor: Any, rec_id: Any) -> Recommendation:
    try:
        rec = Recommendation.objects.select_related("group__region", "group__mrc", "group__municipality",
                                                    "adopted_by__meeting__group", "office").get(pk=int(rec_id))
    except (Recommendation.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("Recommandation introuvable.")) from None
    if not rules.can_see_recommendation(actor, rec):
        raise NotFound(_("Recommandation introuvable."))
    return rec


def _clean(title: Any, text: Any) -> tuple[str, str]:
    title, text = " ".join(str(title or "").split()), str(text or "").strip()
    errors: dict[str, list[str]] = {}
    if not title or len(title) > 200:
        errors["title"] = [_("Donnez un titre de 200 caractères au plus.")]
    if not text or len(text) > 10_000:
        errors["text"] = [_("Écrivez la recommandation (10 000 caractères au plus).")]
    if errors:
        raise ValidationFailed(errors)
    return title, text


def recommendation_adopt(*, actor: Any, decision_id: Any, title: str, text: str) -> Recommendation:
    """Record the recommendation a decision of the group adopted, addressed to its housing office."""
    try:
        decision = Decision.objects.select_related("meeting__group__housing_office").get(pk=int(decision_id))
    except (Decision.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("Décision introuvable.")) from None
    group = decision.meeting.group
    if not rules.can_manage(actor, group):
        raise PermissionRefused(_("Seuls les dirigeants du groupe notent ses recommandations."))
    title, text = _clean(title, text)
    if group.kind not in RECOMMENDING_KINDS or group.housing_office_id is None:
        raise ValidationFailed({"__all__": [_("Seuls un CCR ou une association de locataires liés à un office "
                                              "d'habitation adressent des recommandations.")]})
    rec = Recommendation(group=group, adopted_by=decision, office_id=group.housing_office_id, title=title, text=text)
    with transaction.atomic():
        rec.save()
        audit_record(actor=actor, action="collective.recommendation.adopt", instance=rec, after=_state_of(rec))
    return rec


def recommendation_edit(*, actor: Any, recommendation_id: Any, title: str, text: str) -> Recommendation:
    """Correct the wording before it is sent; the office may not."""
    rec = _rec(actor, recommendation_id)
    if not rules.can_manage(actor, rec.group):
        raise PermissionRefused(_("Seul le groupe qui l'a adoptée modifie une recommandation ; l'office y "
                                  "répond."))
    if rec.state != RecommendationState.ADOPTED:
        raise ValidationFailed({"__all__": [_("Une recommandation envoyée ne se modifie plus.")]})
    title, text = _clean(title, text)
    with transaction.atomic():
        Recommendation.objects.filter(pk=rec.pk).update(title=title, text=text, version=rec.version + 1,
                                                        updated_at=timezone.now())
        rec.refresh_from_db()
        audit_record(actor=actor, action="collective.recommendation.edit", instance=rec, after=_state_of(rec))
    return rec


def _move(actor: Any, rec: Recommendation, allowed: tuple[str, ...], action: str, refusal: str,
          **values: Any) -> Recommendation:
    if rec.state not in allowed:
        raise ValidationFailed({"state": [refusal]})
    before = _state_of(rec)
    with transaction.atomic():
        changed = Recommendation.objects.filter(pk=rec.pk, state=rec.state).update(
            version=rec.version + 1, updated_at=timezone.now(), **values)
        if not changed:
            raise Conflict({"state": [_("Cette recommandation vient de changer : rechargez.")]})
        rec.refresh_from_db()
        audit_record(actor=actor, action=action, instance=rec, before=before, after=_state_of(rec))
    return rec


def recommendation_send(*, actor: Any, recommendation_id: Any, sent_on: datetime.date | None = None
                        ) -> Recommendation:
    """Send it to the office: the answer is due within the group's deadline."""
    rec = _rec(actor, recommendation_id)
    if not rules.can_manage(actor, rec.group):
        raise PermissionRefused(_("Seuls les dirigeants du groupe envoient ses recommandations."))
    sent_on = sent_on or timezone.localdate()
    return _move(actor, rec, (RecommendationState.ADOPTED,), "collective.recommendation.send",
                 _("Cette recommandation a déjà été envoyée."), state=RecommendationState.SENT, sent_on=sent_on,
                 due_on=sent_on + datetime.timedelta(days=rec.group.recommendation_days))


def recommendation_acknowledge(*, actor: Any, recommendation_id: Any) -> Recommendation:
    """The office says it received it."""
    rec = _rec(actor, recommendation_id)
    if not rules.can_answer(actor, rec):
        raise PermissionRefused(_("Seul l'office d'habitation destinataire accuse réception."))
    return _move(actor, rec, (RecommendationState.SENT,), "collective.recommendation.acknowledge",
                 _("Seule une recommandation envoyée et pas encore reçue peut l'être."),
                 state=RecommendationState.ACKNOWLEDGED, acknowledged_on=timezone.localdate())


def recommendation_answer(*, actor: Any, recommendation_id: Any, answer: str, reply: str) -> Recommendation:
    """The office answers: accepted, partly, or refused, with its reply and the date."""
    rec = _rec(actor, recommendation_id)
    if not rules.can_answer(actor, rec):
        raise PermissionRefused(_("Seul l'office d'habitation destinataire répond à une recommandation."))
    reply = str(reply or "").strip()
    errors: dict[str, list[str]] = {}
    if answer not in RecommendationAnswer.values:
        errors["answer"] = [_("Choisissez acceptée, acceptée en partie ou refusée.")]
    if not reply or len(reply) > 10_000:
        errors["reply"] = [_("Écrivez la réponse de l'office (10 000 caractères au plus).")]
    if errors:
        raise ValidationFailed(errors)
    today = timezone.localdate()
    return _move(actor, rec, (RecommendationState.SENT, RecommendationState.ACKNOWLEDGED),
                 "collective.recommendation.answer", _("Cette recommandation n'attend pas de réponse."),
                 state=RecommendationState.ANSWERED, answer=answer, reply=reply, answered_on=today,
                 acknowledged_on=rec.acknowledged_on or today)
