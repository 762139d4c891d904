"""Meetings: agenda, attendance, decisions and their follow-ups, minutes, recommendations."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Counted attendance and votes: a meeting's room, never a stadium.
MAX_COUNT = 10_000


class MeetingKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinaire")
    SPECIAL = "special", _("Extraordinaire")
    ANNUAL_GENERAL = "annual_general", _("Assemblée générale annuelle")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    CONVENED = "convened", _("Convoquée")
    HELD = "held", _("Tenue")
    CANCELLED = "cancelled", _("Annulée")


class Audience(models.TextChoices):
    MEMBERS = "members", _("Les membres")
    TENANTS = "tenants", _("Les locataires")
    PUBLIC = "public", _("Le public")


class Meeting(models.Model):
    group = models.ForeignKey("collective.Group", on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.ORDINARY)
    state = models.CharField(_("état"), max_length=20, choices=MeetingState.choices, default=MeetingState.DRAFT)
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    audience = models.CharField(_("public visé"), max_length=20, choices=Audience.choices,
                                default=Audience.MEMBERS)
    # People counted without names.
    counted_tenants = models.PositiveIntegerField(_("locataires (nombre)"), default=0,
                                                  validators=[MaxValueValidator(MAX_COUNT)])
    counted_children = models.PositiveIntegerField(_("enfants (nombre)"), default=0,
                                                   validators=[MaxValueValidator(MAX_COUNT)])
    counted_observers = models.PositiveIntegerField(_("observateurs (nombre)"), default=0,
                                                    validators=[MaxValueValidator(MAX_COUNT)])
    # Kept current by the attendance services: named members present (a roll-up, equal to a recount).
    members_present = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        indexes = [models.Index(fields=["group", "starts_at"], name="collective_meeting_group_at")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collective:meeting", args=[self.pk])

    @property
    def counted_total(self) -> int:
        return self.counted_tenants + self.counted_children + self.counted_observers


class AgendaItemKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DECISION = "decision", _("Décision")
    FOLLOW_UP = "follow_up", _("Suivi")
    IN_CAMERA = "in_camera", _("Huis clos")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("rang"))
    kind = models.CharField(_("type"), max_length=20, choices=AgendaItemKind.choices,
                            default=AgendaItemKind.INFORMATION)
    title = models.CharField(_("titre"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    # An item carried from an earlier meeting: the open follow-up it reviews.
    follow_up = models.ForeignKey("collective.FollowUp", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="agenda_items")

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("point à l'ordre du jour")
        verbose_name_plural = _("ordre du jour")

    def __str__(self) -> str:
        return self.title

    @property
    def in_camera(self) -> bool:
        return self.kind == AgendaItemKind.IN_CAMERA


class Presence(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    EXCUSED = "excused", _("Excusé·e")
    ABSENT = "absent", _("Absent·e")


class Attendance(models.Model):
    """A named member's (or a member organization's delegate's) attendance at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    mandate = models.ForeignKey("collective.Mandate", on_delete=models.PROTECT, related_name="attendances")
    presence = models.CharField(_("présence"), max_length=10, choices=Presence.choices)
    arrived_at = models.TimeField(_("arrivée"), null=True, blank=True)
    left_at = models.TimeField(_("départ"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "mandate"], name="collective_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.get_presence_display()}"

    def there_at(self, moment: datetime.time | None) -> bool:
        if self.presence != Presence.PRESENT:
            return False
        if moment is None:
            return True
        return (self.arrived_at is None or self.arrived_at <= moment) and (
            self.left_at is None or self.left_at > moment)


class DecisionMethod(models.TextChoices):
    VOTE = "vote", _("Vote")
    CONSENSUS = "consensus", _("Consensus")


class Decision(models.Model):
    """A numbered decision of a held meeting; the quorum at that moment is computed once and kept."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="decisions")
    number = models.PositiveIntegerField(_("numéro"))
    text = models.TextField(_("décision"), max_length=4000)
    method = models.CharField(_("mode"), max_length=20, choices=DecisionMethod.choices,
                              default=DecisionMethod.CONSENSUS)
    votes_for = models.PositiveIntegerField(_("pour"), null=True, blank=True,
                                            validators=[MaxValueValidator(MAX_COUNT)])
    votes_against = models.PositiveIntegerField(_("contre"), null=True, blank=True,
                                                validators=[MaxValueValidator(MAX_COUNT)])
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True,
                                              validators=[MaxValueValidator(MAX_COUNT)])
    taken_at = models.TimeField(_("heure"), null=True, blank=True)
    in_camera = models.BooleanField(_("huis clos"), default=False)
    voting_total = models.PositiveIntegerField(_("membres votants"), default=0)
    voting_present = models.PositiveIntegerField(_("membres votants présents"), default=0)
    quorum_reached = models.BooleanField(_("quorum atteint"), default=False)
    # A decision that adopts a meeting's minutes.
    adopts_minutes = models.ForeignKey("collective.Minutes", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="adopting_decisions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="collective_decision_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.number}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Fait")
    DROPPED = "dropped", _("Abandonné")


OPEN_FOLLOW_UP = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)


class FollowUp(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="follow_ups")
    title = models.CharField(_("suivi"), max_length=200)
    owner = models.CharField(_("responsable"), max_length=200)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status in OPEN_FOLLOW_UP and self.due_on is not None and self.due_on < today


class FollowUpEvent(models.Model):
    """One step of a follow-up's history: its status then, and a note."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("moment"), auto_now_add=True)
    status = models.CharField(_("état"), max_length=20, choices=FollowUpStatus.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")

    class Meta:
        ordering = ["follow_up", "at", "id"]
        verbose_name = _("étape de suivi")
        verbose_name_plural = _("historique des suivis")

    def __str__(self) -> str:
        return f"{self.follow_up} · {self.status}"


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumis aux membres")
    ADOPTED = "adopted", _("Adopté")
    PUBLISHED = "published", _("Publié")


class Minutes(models.Model):
    """The minutes of a meeting, one row per version; a correction after adoption is a new version."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_versions")
    revision = models.PositiveSmallIntegerField(_("version du procès-verbal"), default=1)
    state = models.CharField(_("étape"), max_length=20, choices=MinutesState.choices, default=MinutesState.DRAFT)
    text = models.TextField(_("procès-verbal"), max_length=50_000)
    # What was said in camera: members only, at every stage, in every channel.
    in_camera_text = models.TextField(_("huis clos"), blank=True, max_length=20_000)
    adopted_by = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="adopted_minutes")
    adopted_on = models.DateField(_("adopté le"), null=True, blank=True)
    published_on = models.DateField(_("publié le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "-revision"]
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "revision"], name="collective_minutes_revision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · v{self.revision}"

    def get_absolute_url(self) -> str:
        return reverse("collective:meeting", args=[self.meeting_id]) + f"#minutes-{self.pk}"


class RecommendationState(models.TextChoices):
    ADOPTED = "adopted", _("Adoptée")
    SENT = "sent", _("Envoyée")
    ACKNOWLEDGED = "acknowledged", _("Reçue par l'office")
    ANSWERED = "answered", _("Répondue")


class RecommendationAnswer(models.TextChoices):
    ACCEPTED = "accepted", _("Acceptée")
    PARTLY = "partly", _("Acceptée en partie")
    REFUSED = "refused", _("Refusée")


class Recommendation(models.Model):
    """A recommendation a CCR or an association adopts and sends to its housing office."""

    group = models.ForeignKey("collective.Group", on_delete=models.PROTECT, related_name="recommendations")
    adopted_by = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="recommendations")
    office = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                               related_name="recommendations_received", verbose_name=_("office d'habitation"))
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("recommandation"), max_length=10_000)
    state = models.CharField(_("état"), max_length=20, choices=RecommendationState.choices,
                             default=RecommendationState.ADOPTED)
    sent_on = models.DateField(_("envoyée le"), null=True, blank=True)
    due_on = models.DateField(_("réponse attendue le"), null=True, blank=True)
    acknowledged_on = models.DateField(_("reçue le"), null=True, blank=True)
    answer = models.CharField(_("réponse"), max_length=20, choices=RecommendationAnswer.choices, blank=True)
    reply = models.TextField(_("réponse de l'office"), blank=True, max_length=10_000)
    answered_on = models.DateField(_("répondue le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collective:recommendation", args=[self.pk])

    def is_overdue(self, today: datetime.date) -> bool:
        return (self.state in (RecommendationState.SENT, RecommendationState.ACKNOWLEDGED)
                and self.due_on is not None and self.due_on < today)
