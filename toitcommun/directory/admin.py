"""The directory in the admin: browsing only. Services change through the staff pages and the API,
which check who may and write the audit."""

from django.contrib import admin

from toitcommun.admin_readonly import ReadOnlyAdmin

from .models import (
    DirectoryOrganization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["territory_code", "name"]


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["location", "description"]


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ["name", "directory_organization", "status", "last_verified_on", "version"]
    list_filter = ["status", "categories"]
    search_fields = ["name", "alternate_name", "directory_organization__name"]
    list_select_related = ["directory_organization"]
    inlines = [ServiceAreaInline, ServiceAtLocationInline]
    readonly_fields = ["version", "created_at", "updated_at"]
    exclude = ["search_text"]


@admin.register(DirectoryOrganization)
class DirectoryOrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "email", "website"]
    search_fields = ["name", "alternate_name", "organization__name"]
    list_select_related = ["organization"]


@admin.register(Taxonomy)
class TaxonomyAdmin(ReadOnlyAdmin):
    list_display = ["name", "version"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "taxonomy", "name_en"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code", "name_en"]
