from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "toitcommun.groups"
    verbose_name = _("Vie collective : groupes et instances")
