from typing import Any

from django.http import HttpRequest

from . import rules


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "is_administrator": rules.is_administrator(user),
        "can_import_housing": bool(
            rules.is_administrator(user)
            or rules.has_role(user, ["regional_coordinator", "organization_staff"])
        ),
    }
