"""Activities and events: who organized them, where, when, and who came.

Attendance is counted (tenants, children, others: no names), named (a person, kept only
with their consent), or both; the counted figures are the people not named. Each activity
keeps its own totals, and the participation of a municipality for a year is kept in
``ParticipationTally``: both are written by the services that change attendance or state,
so that calendars and yearly figures never count rows at read time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    SOCIAL = "social", _("Activité sociale")
    EDUCATIONAL = "educational", _("Activité éducative")
    SPORTS = "sports", _("Activité sportive")
    COLLECTIVE_KITCHEN = "collective_kitchen", _("Cuisine collective")
    GARDEN = "garden", _("Jardin")
    CRAFTS = "crafts", _("Bricolage et artisanat")
    CELEBRATION = "celebration", _("Fête")
    INFORMATION_SESSION = "information_session", _("Séance d'information")
    TRAINING = "training", _("Formation")
    REGIONAL_GATHERING = "regional_gathering", _("Rassemblement régional")


class ActivityState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    CANCELLED = "cancelled", _("Annulée")


class Activity(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("genre"), max_length=30, choices=ActivityKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "territory.Municipality", on_delete=models.PROTECT, related_name="activities",
        verbose_name=_("municipalité"),
    )
    buildings = models.ManyToManyField("housing.Building", blank=True, related_name="activities",
                                       verbose_name=_("immeubles"))
    organizers = models.ManyToManyField("organizations.Organization", blank=True, related_name="activities",
                                        verbose_name=_("organisateurs"))
    organized_by_tenants = models.BooleanField(
        _("organisée par des locataires"), default=False,
        help_text=_("Cochez quand des locataires l'ont organisée eux-mêmes."),
    )
    group = models.ForeignKey(
        "collective.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="activities",
        verbose_name=_("groupe"), help_text=_("Le groupe qui la tient, s'il y a lieu : elle paraît à son calendrier."),
    )
    project = models.ForeignKey(
        "collective.CollectiveProject", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="activities", verbose_name=_("projet collectif"),
    )
    is_public = models.BooleanField(
        _("publique"), default=True,
        help_text=_("Une activité publique publiée paraît dans les calendriers et les pages des locataires."),
    )
    state = models.CharField(_("état"), max_length=12, choices=ActivityState.choices, default=ActivityState.DRAFT)
    # Counted attendance: people who came, without their names.
    counted_tenants = models.PositiveIntegerField(_("locataires (comptés)"), default=0)
    counted_children = models.PositiveIntegerField(_("enfants (comptés)"), default=0)
    counted_others = models.PositiveIntegerField(_("autres personnes (comptées)"), default=0)
    # Roll-ups kept by the services: named attendance, and the totals the calendars and API show.
    named_count = models.PositiveIntegerField(default=0, editable=False)
    named_tenants = models.PositiveIntegerField(default=0, editable=False)
    attendance_total = models.PositiveIntegerField(default=0, editable=False)
    tenants_attending = models.PositiveIntegerField(default=0, editable=False)
    # iCalendar: raised on every change a calendar shows, so that subscribers replace the event.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    is_illustrative = models.BooleanField(_("donnée illustrative"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        indexes = [
            models.Index(fields=["municipality", "starts_at"], name="activity_place_time"),
            models.Index(fields=["state", "starts_at"], name="activity_state_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("starts_at")),
                                   name="activity_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collective:activity", args=[self.pk])

    @property
    def is_listed(self) -> bool:
        """Shown to everybody: in the calendars, the public feeds and the tenants' pages."""
        return self.is_public and self.state != ActivityState.DRAFT


class ParticipationTally(models.Model):
    """One municipality's participation in one year, kept current by the activity services.

    Counts published activities only (a draft has not happened; a cancelled one did not).
    """

    municipality = models.ForeignKey("territory.Municipality", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    activities = models.PositiveIntegerField(default=0)
    tenant_organized_activities = models.PositiveIntegerField(default=0)
    attendance_total = models.PositiveIntegerField(default=0)
    tenants_attending = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="participation_one_per_year")]
        verbose_name = _("participation annuelle")
        verbose_name_plural = _("participations annuelles")

    def __str__(self) -> str:
        return f"{self.municipality_id} · {self.year}"


class ActivityAttendee(models.Model):
    """A person named on an activity's attendance, kept only because they agreed to be named.

    ``municipality``, ``year`` and ``is_counted`` repeat the activity's place, year and whether it
    counts (published): the services keep them, so that the distinct tenants of a territory and
    year are one indexed count.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="activity_attendance",
                               verbose_name=_("personne"))
    is_tenant = models.BooleanField(_("locataire"), default=True)
    consent_noted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                         related_name="+", editable=False)
    noted_at = models.DateTimeField(auto_now_add=True)
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.CASCADE, related_name="+",
                                     editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    is_counted = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("présence nommée")
        verbose_name_plural = _("présences nommées")
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="activity_attendee_once")]
        indexes = [models.Index(fields=["year", "municipality", "is_counted", "is_tenant", "person"],
                                name="attendee_distinct_tenants")]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.person}"


class ActivityPhoto(models.Model):
    """A photo of an activity, kept in the database and served only to who may see the activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("légende"), max_length=200, blank=True)
    content_type = models.CharField(max_length=20, editable=False)
    data = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "created_at", "id"]
        verbose_name = _("photo d'activité")
        verbose_name_plural = _("photos d'activité")

    def __str__(self) -> str:
        return f"photo #{self.pk}"
