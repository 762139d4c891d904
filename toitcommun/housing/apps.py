from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "toitcommun.housing"
    verbose_name = _("Parc de logements")
