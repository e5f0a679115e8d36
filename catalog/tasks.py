"""Celery tasks of the storefront."""

import logging

from wagtail.images import get_image_model

from back_office.tenancy.tasks import tenant_task
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
