from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture
def public_cache(settings):
    """The anonymous page cache on (tests/conftest.py turns it off), empty at the start and the end."""
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()
