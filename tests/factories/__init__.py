"""Factories, and one "make an object of this model for a shop" function per
tenant-owned model shown in the admin, for the isolation sweep."""

from collections.abc import Callable

from django.db.models import Model

from back_office.tenants.context import tenant_context
from back_office.tenants.models import Branch, Membership, Tenant
from tests.factories.tenants import BranchFactory, make_member


def _branch(tenant: Tenant) -> Branch:
    with tenant_context(tenant):
        return BranchFactory(name=f"{tenant.name} canary branch")


def _membership(tenant: Tenant) -> Membership:
    user = make_member(tenant, Membership.Role.SALES, f"clerk@{tenant.slug}.test")
    with tenant_context(tenant):
        return Membership.objects.get(user=user)


#: model -> function(tenant) returning a saved instance owned by that tenant.
OBJECT_MAKERS: dict[type[Model], Callable[[Tenant], Model]] = {
    Branch: _branch,
    Membership: _membership,
}
