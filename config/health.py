"""Liveness and readiness probes: cheap, tenant-independent, never cached."""

import logging
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("value written to the cache could not be read back")
    cache.delete(key)


def _check_storage() -> None:
    # A lookup, not a write: proves the media storage answers without leaving files.
    default_storage.exists("health-check")


CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "storage": _check_storage,
}


@require_GET
@never_cache
def live(request):
    """The process answers. Touches nothing else, so a slow database cannot kill it."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def ready(request):
    """Every dependency a request needs answers; 503 names the ones that do not."""
    failed = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            logger.warning("readiness check %s failed: %s", name, error)
            failed[name] = f"{type(error).__name__}: {error}".strip()
    if failed:
        return JsonResponse(
            {"status": "unavailable", "failed": sorted(failed), "errors": failed},
            status=503,
        )
    return JsonResponse({"status": "ok", "checks": sorted(CHECKS)})
