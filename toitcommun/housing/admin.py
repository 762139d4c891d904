from django.contrib import admin

from toitcommun.admin_readonly import ReadOnlyAdmin

from .models import AvailabilitySnapshot, Building, UnitGroup


class UnitGroupInline(admin.TabularInline):
    can_delete = False
    max_num = 0

    model = UnitGroup
    extra = 0


@admin.register(Building)
class BuildingAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "municipality", "tenure", "form", "is_illustrative"]
    list_filter = ["tenure", "form", "is_illustrative"]
    search_fields = ["name", "address", "organization__name"]
    inlines = [UnitGroupInline]
    readonly_fields = ["version"]


@admin.register(AvailabilitySnapshot)
class AvailabilitySnapshotAdmin(ReadOnlyAdmin):
    list_display = ["building", "clientele", "as_of", "vacant_units", "waiting_list", "reported_by_label"]
    list_filter = ["clientele", "as_of"]
    search_fields = ["building__name"]
