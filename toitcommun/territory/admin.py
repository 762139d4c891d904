from django.contrib import admin

from toitcommun.admin_readonly import ReadOnlyAdmin

from .models import Mrc, Municipality, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Mrc)
class MrcAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region", "is_equivalent_territory"]
    list_filter = ["region", "is_equivalent_territory"]
    search_fields = ["name", "code", "search_text"]


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "mrc", "population"]
    list_filter = ["mrc__region"]
    search_fields = ["name", "code", "search_text"]
