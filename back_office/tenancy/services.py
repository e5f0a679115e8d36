"""The framework's one write: switching the shop the admin works in, logged."""

import logging

from wagtail.log_actions import log

from back_office.tenancy.errors import TenancyError, TenancyErrorCode
from back_office.tenancy.models import AbstractTenant
from back_office.tenancy.queries import memberships_of

logger = logging.getLogger(__name__)


def switch_to(user, tenant: AbstractTenant) -> None:
    """Let `user` act as `tenant` in the admin, or refuse. Every switch is logged."""
    allowed = user.is_superuser or any(
        membership.tenant_id == tenant.pk for membership in memberships_of(user)
    )
    if not allowed:
        raise TenancyError(
            "You do not work for this shop.", TenancyErrorCode.NOT_A_MEMBER
        )
    log(instance=tenant, action="tenancy.switch", user=user)
    logger.info("user %s switched to tenant %s", user.pk, tenant.pk)
