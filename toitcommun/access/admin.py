from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User

from .models import ApiToken, AuditEvent, RoleAssignment
from .services import api_tokens_revoke_all, role_assign, role_revoke


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
    list_display = ["user", "name", "created_at", "last_used_at", "expires_at"]
    readonly_fields = ["user", "name", "digest", "created_at", "last_used_at", "expires_at"]
    exclude = ["auth_hash"]

    # Tokens are revoked by their owner (/comptes/jetons/) or with the account: always audited.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UserAdmin(DjangoUserAdmin):
    """Django's user admin; a new password or a deactivation revokes the user's API tokens."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            api_tokens_revoke_all(actor=request.user, user=obj, reason="deactivation")

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None:
                api_tokens_revoke_all(actor=request.user, user=user, reason="password_change")
        return response


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
