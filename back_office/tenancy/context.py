"""The current tenant: one value that code-level scoping and PostgreSQL RLS both read.

`tenant_context(tenant)` opens a transaction, sets the context variable (read by the
tenant-aware managers) and the transaction-local setting `app.tenant_id` (read by the
row-level security policies), and restores both on exit. The database setting is set
with `set_config(..., true)`, so it dies with the transaction: a pooled or persistent
connection never carries one tenant's setting into another request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import connection, transaction

if TYPE_CHECKING:
    from back_office.tenancy.models import AbstractTenant as Tenant

_current_tenant: ContextVar[Tenant | None] = ContextVar("current_tenant", default=None)


class TenantNotSet(RuntimeError):
    """Tenant-owned rows were queried with no tenant chosen."""


def current_tenant() -> Tenant | None:
    return _current_tenant.get()


def require_tenant() -> Tenant:
    tenant = _current_tenant.get()
    if tenant is None:
        raise TenantNotSet(
            "No shop is selected: tenant-owned data is only reachable inside "
            "tenant_context(tenant)."
        )
    return tenant


def set_database_tenant(tenant_id: int | None) -> None:
    """Set `app.tenant_id`, which RLS reads, until the current transaction ends.

    The database half of tenant_context; transaction-local (`set_config(..., true)`),
    so it can never outlive the transaction on a pooled or persistent connection.
    """
    if connection.vendor != "postgresql":
        return  # SQLite (the demo) has no RLS; code-level scoping still applies.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('app.tenant_id', %s, true)",
            ["" if tenant_id is None else str(tenant_id)],
        )


@contextmanager
def tenant_context(tenant: Tenant | None) -> Iterator[Tenant | None]:
    """Run the block as `tenant` (or as nobody, with None), in one transaction."""
    with transaction.atomic():
        previous = _current_tenant.get()
        token = _current_tenant.set(tenant)
        set_database_tenant(tenant.pk if tenant else None)
        try:
            yield tenant
        finally:
            _current_tenant.reset(token)
        # Reached only without an error. (On an error, rolling back this block's
        # transaction or savepoint restores the setting by itself.)
        set_database_tenant(previous.pk if previous else None)
