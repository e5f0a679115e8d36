"""Celery tasks of the storefront."""

import logging

from celery import shared_task
from wagtail.images import get_image_model

from back_office.tenancy.tasks import tenant_task
from catalog import cache
from catalog.images import ALL_SPECS

logger = logging.getLogger(__name__)


@tenant_task()
def make_renditions(tenant, image_id: int) -> int:
    """Make every size the storefront shows of an image; those that exist are kept.
    Returns how many the image has."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    made = image.get_renditions(*ALL_SPECS)
    logger.info("storefront renditions: image %s of %s ready", image_id, tenant)
    return len(made)


@shared_task
def retire_pages(tenant_id: int) -> None:
    """Retire the shop's kept pages: queued for the moment a rate entered ahead of
    time takes effect, when nothing else changes."""
    cache.bump(tenant_id)
