from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browsing only: changes go through the pages and services, which check and audit them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
