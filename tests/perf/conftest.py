from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture
def public_cache(settings):
    """The anonymous page cache on (tests/conftest.py turns it off), empty at the start and the end."""
    from toitcommun import public_cache as kept

    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    kept._boundaries.clear()  # tests write opening hours without an audit event
    yield
    cache.clear()
    kept._boundaries.clear()
