"""Storefront factories: a shop's site with its catalogue page, as an owner makes
it in the page editor (pages added and published as revisions)."""

from decimal import Decimal

from django.utils import timezone

from back_office.inventory import services
from back_office.inventory.purity import Metal
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Tenant
from catalog.models import CatalogPage, ContentPage
from tests.factories.tenants import BranchFactory, make_tenant


def publish_under(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_shop_site(slug: str, *, gold_rate="80.00", **tenant_options) -> Tenant:
    """A shop with a published catalogue page at /catalog/, a branch, and today's
    gold and silver rates."""
    options = {"currency": "USD", "tax_rate": Decimal("3.00"), **tenant_options}
    tenant = make_tenant(slug, **options)
    with tenant_context(tenant):
        BranchFactory(name="Main Street", code="MAIN", address="1 Main Street")
        publish_under(
            tenant.home_page.specific,
            CatalogPage(title="Collection", slug="catalog", show_in_menus=True),
        )
        a_day_ago = timezone.now() - timezone.timedelta(days=1)
        services.record_rate(Metal.GOLD, Decimal(gold_rate), a_day_ago, "test")
        services.record_rate(Metal.SILVER, Decimal("1.00"), a_day_ago, "test")
    return tenant


def content_page(tenant: Tenant, title: str, **fields) -> ContentPage:
    with tenant_context(tenant):
        return publish_under(
            tenant.home_page.specific, ContentPage(title=title, **fields)
        )
