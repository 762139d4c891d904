from django.contrib import admin

from .models import ApiToken, AuditEvent, RoleAssignment
from .services import role_assign, role_revoke


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "territory_code"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name", "territory_code"]
    autocomplete_fields = ["organization"]

    # Roles change through the services, so that each change is checked and audited.
    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        created = role_assign(actor=request.user, user=obj.user, role=obj.role, organization=obj.organization,
                              territory_code=obj.territory_code)
        obj.pk = created.pk

    def delete_model(self, request, obj):
        role_revoke(actor=request.user, assignment=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            role_revoke(actor=request.user, assignment=obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is browsed, never changed."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_label", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_used_at"]
    readonly_fields = ["user", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
