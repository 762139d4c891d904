"""The community resource directory, shaped on Open Referral HSDS 3.0.

Every record keeps its HSDS ``id`` (a UUID) as primary key, so that an export
imported elsewhere, or imported back, is matched record by record. Fields
follow HSDS names. Categories and clienteles are taxonomy terms attached to
services (HSDS ``attributes``); service areas point at our territory codes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Actif")
    INACTIVE = "inactive", _("Inactif")
    DEFUNCT = "defunct", _("Retiré")
    TEMPORARILY_CLOSED = "temporarily closed", _("Fermé temporairement")


class Clientele(models.TextChoices):
    """Who a service is for (the housing clienteles plus youth and persons with disabilities)."""

    SENIORS = "seniors", _("Aînés")
    FAMILIES = "families", _("Familles")
    SINGLES = "singles", _("Personnes seules")
    YOUTH = "youth", _("Jeunes")
    DISABILITIES = "disabilities", _("Personnes handicapées")


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), max_length=2000)
    uri = models.URLField(_("adresse"), blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("taxonomie")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """A category (food, housing, ...) or a clientele; the region edits its categories."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("nom"), max_length=200)
    name_en = models.CharField(_("nom en anglais"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    language = models.CharField(_("langue"), max_length=10, default="fr")

    class Meta:
        ordering = ["name"]
        verbose_name = _("terme de taxonomie")
        verbose_name_plural = _("termes de taxonomie")
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_term_unique_code")]

    def __str__(self) -> str:
        return self.name


class DirectoryOrganization(models.Model):
    """A provider: the directory facet of one organization of the registry (organizations.Organization).

    Every provider is an organization of the registry; this record holds what the directory
    says of it (the name and description shown with its services, HSDS's email and website)
    under its own HSDS id, so exports and imports keep matching record by record.
    """

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT,
        related_name="directory_records", verbose_name=_("organisation"),
    )
    name = models.CharField(_("nom"), max_length=200)
    alternate_name = models.CharField(_("autre nom"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation du répertoire")
        verbose_name_plural = _("organisations du répertoire")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    directory_organization = models.ForeignKey(
        DirectoryOrganization, on_delete=models.PROTECT, related_name="services", verbose_name=_("organisation")
    )
    name = models.CharField(_("nom"), max_length=200)
    alternate_name = models.CharField(_("autre nom"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000)
    url = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    interpretation_services = models.CharField(_("interprétation"), max_length=500, blank=True)
    application_process = models.TextField(_("comment y accéder"), max_length=2000, blank=True)
    fees_description = models.TextField(_("frais"), max_length=1000, blank=True)
    eligibility_description = models.TextField(_("admissibilité"), max_length=2000, blank=True)
    accessibility = models.TextField(_("accessibilité"), max_length=1000, blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("âge maximum"), null=True, blank=True)
    alert = models.CharField(_("avis"), max_length=500, blank=True)
    categories = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services",
                                        verbose_name=_("catégories"))
    clienteles = models.JSONField(_("clientèles"), default=list, blank=True)
    last_verified_on = models.DateField(_("vérifié le"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("vérifié par"))
    verified_by_label = models.CharField(_("vérifié par (nom)"), max_length=200, blank=True)
    # Normalized text for full-text search (search.normalized: folded, stop words dropped, stems):
    # the name, the alternate name, the categories' names, and the rest (description, eligibility,
    # provider, places). search.index_services writes them; both engines index them weighted.
    search_name = models.TextField(editable=False, blank=True, default="")
    search_alternate_name = models.TextField(editable=False, blank=True, default="")
    search_categories = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["status"], name="service_status")]

    def __str__(self) -> str:
        return self.name



class ServiceArea(models.Model):
    """Where a service serves: a municipality, an MRC, a region or the whole province (territory code).

    An area imported with another directory's URI has no territory code: we keep its name and
    description as text, show them as such, and place the service by its other areas and places.
    """

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    territory_code = models.CharField(_("territoire"), max_length=8, db_index=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    directory_organization = models.ForeignKey(DirectoryOrganization, on_delete=models.CASCADE,
                                               related_name="locations", null=True, blank=True)
    location_type = models.CharField(_("type de lieu"), max_length=10, default="physical",
                                     choices=[("physical", _("Lieu physique")), ("virtual", _("En ligne")),
                                              ("postal", _("Adresse postale"))])
    name = models.CharField(_("nom"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    transportation = models.CharField(_("transport"), max_length=500, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # True when the place was saved without coordinates and stands at its municipality's point.
    position_is_approximate = models.BooleanField(_("position approximative"), default=False)
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="directory_locations", verbose_name=_("municipalité"))
    accessibility = models.TextField(_("accessibilité"), max_length=1000, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(_("adresse"), max_length=300)
    address_2 = models.CharField(_("complément d'adresse"), max_length=300, blank=True)
    city = models.CharField(_("ville"), max_length=200)
    region = models.CharField(_("région"), max_length=200, blank=True)
    state_province = models.CharField(_("province"), max_length=60, default="QC")
    postal_code = models.CharField(_("code postal"), max_length=10)
    country = models.CharField(_("pays"), max_length=2, default="CA")
    address_type = models.CharField(_("type d'adresse"), max_length=10, default="physical")

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="service_at_location_unique")]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Phone(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones")
    directory_organization = models.ForeignKey(DirectoryOrganization, on_delete=models.CASCADE, null=True,
                                               blank=True, related_name="phones")
    # A contact person's line, or the line of a service at one place (HSDS lists the same phone
    # under several owners; a link its owner drops leaves the others).
    contact = models.ForeignKey("Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="phones")
    service_at_location = models.ForeignKey(ServiceAtLocation, on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="phones")
    number = models.CharField(_("numéro"), max_length=40)
    extension = models.PositiveIntegerField(_("poste"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=20, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    def __str__(self) -> str:
        return self.number


class Language(models.Model):
    """A language spoken by a service, at a place or on a phone line (HSDS lists it under each).

    As HSDS does, one language record may be listed by a service, its place and a phone at once:
    one row here, linked to each. A link that its owner drops leaves the others.
    """

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="languages")
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="languages")
    phone = models.ForeignKey(Phone, on_delete=models.SET_NULL, null=True, blank=True, related_name="languages")
    name = models.CharField(_("langue"), max_length=100)
    code = models.CharField(_("code"), max_length=10, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nom"), max_length=200, blank=True)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    department = models.CharField(_("service"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"), blank=True)

    def __str__(self) -> str:
        return self.name


class Schedule(models.Model):
    """Opening hours as HSDS (iCalendar-like) rules: ``freq`` WEEKLY, ``byday`` MO,TU..., opens and closes."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules")
    service_at_location = models.ForeignKey(ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True,
                                            related_name="schedules")
    freq = models.CharField(_("fréquence"), max_length=10, default="WEEKLY")
    byday = models.CharField(_("jours"), max_length=40, blank=True)
    opens_at = models.TimeField(_("ouvre à"), null=True, blank=True)
    closes_at = models.TimeField(_("ferme à"), null=True, blank=True)
    valid_from = models.DateField(_("à partir du"), null=True, blank=True)
    valid_to = models.DateField(_("jusqu'au"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    # The rest of HSDS's recurrence rule (RFC 5545 names), kept as given: every 2 weeks
    # (``interval``), the week's first day (``wkst``), days of the month, a first and last date...
    interval = models.PositiveSmallIntegerField(_("intervalle"), null=True, blank=True)
    wkst = models.CharField(_("premier jour de la semaine"), max_length=2, blank=True,
                            choices=[(d, d) for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")])
    dtstart = models.DateField(_("première occurrence"), null=True, blank=True)
    until = models.DateField(_("dernière occurrence"), null=True, blank=True)
    count = models.PositiveIntegerField(_("nombre d'occurrences"), null=True, blank=True)
    bymonthday = models.CharField(_("jours du mois"), max_length=100, blank=True)
    byweekno = models.CharField(_("semaines de l'année"), max_length=200, blank=True)
    byyearday = models.CharField(_("jours de l'année"), max_length=400, blank=True)
    timezone = models.DecimalField(_("fuseau (décalage UTC en heures)"), max_digits=4, decimal_places=2,
                                   null=True, blank=True)
    schedule_link = models.URLField(_("lien d'horaire"), max_length=500, blank=True)
    attending_type = models.CharField(_("façon d'y assister"), max_length=500, blank=True)
    notes = models.CharField(_("notes"), max_length=1000, blank=True)

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"


class CorrectionState(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée par son auteur")


class Correction(models.Model):
    """A correction to a service proposed by somebody who may verify it but not change it (a worker),
    or an error reported by anyone from the service's public page ("Signaler une erreur").

    ``values`` holds the changed fields only, as the service form takes them; ``base`` what the
    service held for those fields when it was proposed, at ``base_version``. Those who may change
    the service accept it (all or some of its fields, through the service's own update) or refuse
    it with a reason; its author may withdraw it while it waits. Never deleted.

    A report from the public has no author (``proposed_by`` is empty) and no fields, only what
    the person wrote (``note``) and, if they wish, how to reach them (``reporter_contact``,
    personal information: shown to those who handle the report, never logged nor audited).
    Closing it says it was fixed (accepted) or was not an error (refused).
    ``reporter_key`` is a keyed hash of the sender's address, for the rate limit only.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="corrections",
                                verbose_name=_("service"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("proposée par"))
    reporter_contact = models.CharField(_("pour joindre la personne qui signale"), max_length=200, blank=True)
    reporter_key = models.CharField(max_length=64, blank=True, editable=False)
    values = models.JSONField(_("valeurs proposées"), default=dict, blank=True)
    base = models.JSONField(_("valeurs au moment de la proposition"), default=dict, blank=True)
    base_version = models.PositiveIntegerField(_("version du service proposée"))
    note = models.TextField(_("note"), max_length=1000, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=CorrectionState.choices,
                             default=CorrectionState.PENDING)
    applied_fields = models.JSONField(_("champs appliqués"), default=list, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("décidée par"))
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    reason = models.TextField(_("raison du refus"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposition de correction")
        verbose_name_plural = _("propositions de correction")
        indexes = [models.Index(fields=["state", "service"], name="correction_state_service"),
                   models.Index(fields=["reporter_key", "created_at"], name="correction_reporter_recent")]
        constraints = [models.CheckConstraint(
            condition=models.Q(state="pending", decided_at__isnull=True)
            | (~models.Q(state="pending") & models.Q(decided_at__isnull=False)),
            name="correction_decided_when_not_pending")]

    def __str__(self) -> str:
        return self.service.name

    @property
    def from_public(self) -> bool:
        return self.proposed_by_id is None

class SynonymGroup(models.Model):
    """Expressions that mean the same thing to a person searching: "banque alimentaire", "aide alimentaire"…

    The region's thesaurus: a search holding one of the expressions also finds the others, at
    query time (a change is effective on the next search, without reindexing). Expressions may
    be several words; a category's name in a group makes the group find the category's services.
    """

    expressions = models.JSONField(_("expressions"), default=list)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("groupe de synonymes")
        verbose_name_plural = _("groupes de synonymes")

    def __str__(self) -> str:
        return ", ".join(self.expressions[:3]) + ("…" if len(self.expressions) > 3 else "")
