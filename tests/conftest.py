import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (its worker's own key prefix in Redis)."""
    from django.core.cache import cache

    cache.clear()
