from typing import Any

from django.conf import settings
from django.http import HttpRequest


def maps(request: HttpRequest) -> dict[str, Any]:
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}
