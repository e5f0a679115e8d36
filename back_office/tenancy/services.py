"""The framework's writes, all to the shop's history: switching the shop the admin
works in, exports of its data, and the changes that apps name as worth recording."""

import logging

from wagtail.log_actions import log

from back_office.tenancy.context import require_tenant
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


def record_export(model, request) -> None:
    """Someone downloaded a listing of the shop's `model` as a spreadsheet.

    The one write a GET makes: an export takes the shop's data away, so the shop's
    history says who took what, with which filters."""
    filters = request.GET.copy()
    file_format = filters.pop("export", [""])[0]
    log(
        instance=require_tenant(),
        action="tenancy.export",
        user=request.user,
        data={
            "what": str(model._meta.verbose_name_plural),
            "format": file_format,
            "filters": filters.urlencode() or "none",
        },
    )


def record_changes(instance, action: str, before: dict, after: dict, user) -> None:
    """Log `action` on `instance` with the values that differ between `before` and
    `after` (name -> text), if any do."""
    changes = {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }
    if changes:
        log(instance=instance, action=action, user=user, data={"changes": changes})
