import factory

from back_office.tenancy.context import tenant_context
from back_office.tenants import services
from back_office.tenants.models import Branch, Membership, Tenant

PASSWORD = "shop-pass-123"


def make_tenant(slug: str, **kwargs) -> Tenant:
    """A fully onboarded shop (storefront, collection, groups, owner)."""
    options = {
        "name": f"{slug.title()} Jewellers",
        "slug": slug,
        "hostname": f"{slug}.localhost",
        "owner_email": f"owner@{slug}.test",
        "owner_password": PASSWORD,
    }
    options.update(kwargs)
    return services.create_tenant(**options).tenant


def owner_of(tenant: Tenant):
    with tenant_context(tenant):
        return Membership.objects.get(role=Membership.Role.OWNER).user


def make_member(tenant: Tenant, role: str, email: str | None = None):
    email = email or f"{role}@{tenant.slug}.test"
    membership, _ = services.add_member(tenant, email, role, password=PASSWORD)
    return membership.user


class BranchFactory(factory.django.DjangoModelFactory):
    """Build inside tenant_context(tenant): the row belongs to the current shop."""

    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"Branch {n}")
    code = factory.Sequence(lambda n: f"B{n:03d}")
    address = "1 High Street"


def shop_history(tenant: Tenant, **filters) -> list[tuple[str, str, int | None]]:
    """The shop's log entries as (action, object id, user id), oldest first."""
    from back_office.tenancy.models import ShopLogEntry

    with tenant_context(tenant):
        return list(
            ShopLogEntry.objects.filter(**filters)
            .order_by("timestamp", "id")
            .values_list("action", "object_id", "user_id")
        )
