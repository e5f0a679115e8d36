"""Celery tasks that work on one shop's data run as that shop.

`@tenant_task` tasks take the tenant's id as their first argument; the task body runs
inside tenant_context(tenant), so managers and RLS both see that shop alone.
"""

import functools

from celery import shared_task

from back_office.tenancy.context import tenant_context
from back_office.tenancy.models import get_tenant_model


def tenant_task(*task_args, **task_options):
    """Like @shared_task, for `f(tenant, ...)`, called as `f.delay(tenant_id, ...)`."""

    def decorate(func):
        @functools.wraps(func)
        def run(tenant_id, *args, **kwargs):
            tenant = get_tenant_model().objects.get(pk=tenant_id)
            with tenant_context(tenant):
                return func(tenant, *args, **kwargs)

        return shared_task(*task_args, **task_options)(run)

    return decorate
