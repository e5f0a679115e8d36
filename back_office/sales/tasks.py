"""Celery tasks of sales: ending reservations whose hold is over.

Beat runs `release_expired_reservations` every few minutes (config/settings/base.py,
CELERY_BEAT_SCHEDULE). It looks at each active shop as that shop (row-level
security hides every reservation otherwise) and queues one
`expire_shop_reservations` per shop with a hold that has ended. Running either
twice does nothing more: an expired reservation is no longer open.
"""

import logging

from celery import shared_task
from django.utils import timezone

from back_office.sales import queries, services
from back_office.tenancy.context import tenant_context
from back_office.tenancy.tasks import tenant_task
from back_office.tenants.models import Tenant

logger = logging.getLogger(__name__)


@tenant_task()
def expire_shop_reservations(tenant: Tenant) -> int:
    """Expire one shop's reservations whose hold has ended; return how many."""
    expired = services.expire_reservations()
    if expired:
        logger.info("reservations of %s: %d expired", tenant.slug, expired)
    return expired


@shared_task
def release_expired_reservations() -> int:
    """Queue the expiry for every active shop with a hold that has ended; return
    how many shops."""
    now = timezone.now()
    queued = []
    for tenant in Tenant.objects.filter(status=Tenant.Status.ACTIVE).order_by("pk"):
        with tenant_context(tenant):
            if queries.due_reservations(now).exists():
                queued.append(tenant.pk)
    for tenant_id in queued:
        expire_shop_reservations.delay(tenant_id)
    logger.info("reservations: expiry queued for %d shops", len(queued))
    return len(queued)
