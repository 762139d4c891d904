from django.contrib import admin

from toitcommun.admin_readonly import ReadOnlyAdmin

from .models import Membership, Organization


class MembershipInline(admin.TabularInline):
    can_delete = False
    max_num = 0

    model = Membership
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "municipality", "is_illustrative"]
    list_filter = ["kind", "is_illustrative"]
    search_fields = ["name", "name_key"]
    inlines = [MembershipInline]
    readonly_fields = ["version"]
