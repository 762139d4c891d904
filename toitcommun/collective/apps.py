from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectiveConfig(AppConfig):
    name = "toitcommun.collective"
    verbose_name = _("Vie collective")
