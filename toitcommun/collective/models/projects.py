"""Collective projects and the agreement's eight objectives they serve."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The eight objectives of the agreement (DESIGN.md), as the pages name them in either language;
# the table holds them in French (migration 0002) so that projects and plans can point at them.
AGREEMENT_OBJECTIVES = {
    1: _("Participation sociale et citoyenne des locataires"),
    2: _("Compétences des locataires pour l'intégration socioprofessionnelle"),
    3: _("Renforcer l'action locale, les capacités individuelles et collectives, les interventions intersectorielles"),
    4: _("Sensibiliser la communauté aux réalités des locataires"),
    5: _("Accès au logement social des personnes vulnérables ayant des besoins particuliers"),
    6: _("Expérimenter de nouvelles approches de développement des communautés"),
    7: _("Associer les locataires à l'analyse de leurs besoins et à l'évaluation de l'Entente"),
    8: _("Projets collectifs (locaux, de MRC, inter-MRC, régionaux)"),
}


class AgreementObjective(models.Model):
    """One of the eight objectives of the regional agreement (Entente spécifique), DESIGN.md."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("objectif"), max_length=300)

    class Meta:
        ordering = ["number"]
        verbose_name = _("objectif de l'Entente")
        verbose_name_plural = _("objectifs de l'Entente")

    def __str__(self) -> str:
        return f"{self.number}. {AGREEMENT_OBJECTIVES.get(self.number, self.title)}"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("En préparation")
    ACTIVE = "active", _("En cours")
    COMPLETED = "completed", _("Terminé")
    ABANDONED = "abandoned", _("Abandonné")


class CollectiveProject(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    goal = models.TextField(_("but"), max_length=4000)
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT,
                                     related_name="collective_projects", verbose_name=_("municipalité"))
    objectives = models.ManyToManyField(AgreementObjective, blank=True, related_name="projects",
                                        verbose_name=_("objectifs de l'Entente servis"))
    status = models.CharField(_("état"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    lead = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="led_projects",
                             verbose_name=_("organisation responsable"))
    participants_count = models.PositiveIntegerField(_("participants"), default=0,
                                                     help_text=_("Nombre de personnes qui y ont pris part."))
    is_illustrative = models.BooleanField(_("donnée illustrative"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("projet collectif")
        verbose_name_plural = _("projets collectifs")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collective:project", args=[self.pk])


class ProjectPartner(models.Model):
    """An organization that takes part in a project, and what it brings."""

    project = models.ForeignKey(CollectiveProject, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="project_partnerships", verbose_name=_("organisation"))
    contribution = models.CharField(_("contribution"), max_length=300, blank=True)

    class Meta:
        ordering = ["organization__name"]
        constraints = [models.UniqueConstraint(fields=["project", "organization"], name="project_partner_once")]
        verbose_name = _("partenaire du projet")
        verbose_name_plural = _("partenaires du projet")

    def __str__(self) -> str:
        return f"{self.organization} · {self.project}"


class ProjectMilestone(models.Model):
    project = models.ForeignKey(CollectiveProject, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("étape"), max_length=200)
    due_on = models.DateField(_("prévue le"))
    done_on = models.DateField(_("franchie le"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("étape du projet")
        verbose_name_plural = _("étapes du projet")

    def __str__(self) -> str:
        return self.title
