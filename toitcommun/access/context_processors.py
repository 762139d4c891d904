from typing import Any

from django.http import HttpRequest

from . import rules


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "is_administrator": rules.is_administrator(user),
        "can_keep_directory": _can_keep_directory(user),
        "works_with_tenants": _works_with_tenants(user),
        "is_privacy_officer": bool(user is not None and user.is_authenticated
                                   and rules.has_role(user, ["privacy_officer"])),
        "is_researcher": bool(user is not None and user.is_authenticated and rules.has_role(user, ["researcher"])),
        "can_import_housing": bool(
            rules.is_administrator(user)
            or rules.has_role(user, ["regional_coordinator", "organization_staff"])
        ),
    }


def _can_keep_directory(user: Any) -> bool:
    from toitcommun.directory.rules import can_use_directory_staff_pages

    return bool(user is not None and user.is_authenticated and can_use_directory_staff_pages(user))


def _works_with_tenants(user: Any) -> bool:
    from toitcommun.people.rules import works_with_tenants

    return bool(user is not None and user.is_authenticated and works_with_tenants(user))
