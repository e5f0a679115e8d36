"""Celery tasks of the inventory: refreshing metal rates from the provider.

Beat runs `refresh_metal_rates` (config/settings/base.py, CELERY_BEAT_SCHEDULE). It
looks at each active shop as that shop (row-level security hides every feed
otherwise) and queues one `refresh_shop_rates` per shop whose feed is enabled.
"""

import logging

from celery import shared_task

from back_office.inventory import metrics, queries, services
from back_office.inventory.models import RateFeed
from back_office.tenancy.context import tenant_context
from back_office.tenancy.tasks import tenant_task
from back_office.tenants.models import Tenant

logger = logging.getLogger(__name__)


@tenant_task()
def refresh_shop_rates(tenant: Tenant) -> dict:
    """Fetch one shop's rates; the rates in force stay on any failure."""
    feed = RateFeed.objects.filter(enabled=True).first()
    if feed is None:
        return {"stored": {}, "refused": {}, "error": "no enabled feed"}
    return services.refresh_rates(feed).summary()


@shared_task
def refresh_metal_rates() -> int:
    """Queue a refresh for every active shop with an enabled feed; return how many."""
    queued, ages = [], []
    for tenant in Tenant.objects.filter(status=Tenant.Status.ACTIVE).order_by("pk"):
        with tenant_context(tenant):
            if RateFeed.objects.filter(enabled=True).exists():
                queued.append(tenant.pk)
                ages.append(queries.rate_ages())
    # Before this round's fetches: the alert allows a day, beat runs every 15 min.
    metrics.publish_rate_ages(ages)
    for tenant_id in queued:
        refresh_shop_rates.delay(tenant_id)
    logger.info("metal rates: refresh queued for %d shops", len(queued))
    return len(queued)
