from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "toitcommun.activities"
    verbose_name = _("Activités et projets collectifs")
