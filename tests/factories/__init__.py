"""Factories, and one "make an object of this model for a shop" function per
tenant-owned model, which the isolation tests (RLS and admin sweeps) use."""

from collections.abc import Callable

from django.db.models import Model
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.log_actions import log

from back_office.inventory import services as stock
from back_office.inventory.models import (
    Category,
    MetalRate,
    Piece,
    PiecePhoto,
    RateFeed,
    StockCount,
    StockItem,
    StockLevel,
    StockMovement,
    Stone,
)
from back_office.sales import services as sales_services
from back_office.sales.models import Reservation, SalesPolicy
from back_office.tenancy.context import tenant_context
from back_office.tenancy.models import ShopLogEntry
from back_office.tenants import services as tenants_services
from back_office.tenants.models import Branch, Invitation, Membership, RoleGroup, Tenant
from tests.factories.inventory import (
    CategoryFactory,
    MetalRateFactory,
    PieceFactory,
    StockItemFactory,
    StoneFactory,
)
from tests.factories.sales import fixed_price_piece, make_reservation
from tests.factories.tenants import BranchFactory, make_member


def _in_context(make: Callable[[Tenant], Model]) -> Callable[[Tenant], Model]:
    def made(tenant: Tenant) -> Model:
        with tenant_context(tenant):
            return make(tenant)

    return made


def _piece(tenant: Tenant) -> Piece:
    return PieceFactory(
        title=f"{tenant.name} canary piece",
        category=CategoryFactory(name="Canary rings"),
        branch=Branch.objects.first() or BranchFactory(),
    )


def _photo(tenant: Tenant) -> PiecePhoto:
    image = Image.objects.create(
        title=f"{tenant.name} canary photo",
        file=get_test_image_file(),
        collection=tenant.collection,
    )
    return PiecePhoto.objects.create(piece=_piece(tenant), image=image)


def _stock_level(tenant: Tenant) -> StockLevel:
    item = StockItemFactory(title=f"{tenant.name} canary chain")
    return stock.receive_stock(item, Branch.objects.first() or BranchFactory(), 10)


def _invitation(tenant: Tenant) -> Invitation:
    return tenants_services.invite(
        tenant, f"canary-invitee@{tenant.slug}.test", Membership.Role.SALES, by=None
    )


def _reservation(tenant: Tenant) -> Reservation:
    piece = fixed_price_piece(
        title=f"{tenant.name} canary reserved piece",
        category=CategoryFactory(name="Canary rings"),
        branch=Branch.objects.first() or BranchFactory(),
    )
    return make_reservation(
        piece,
        customer_name=f"{tenant.name} canary customer",
        email=f"canary-customer@{tenant.slug}.test",
        message="A canary's message",
    )


def _membership(tenant: Tenant) -> Membership:
    user = make_member(tenant, Membership.Role.SALES, f"clerk@{tenant.slug}.test")
    return Membership.objects.get(user=user)


#: model -> function(tenant) returning a saved instance owned by that tenant.
OBJECT_MAKERS: dict[type[Model], Callable[[Tenant], Model]] = {
    model: _in_context(make)
    for model, make in {
        Branch: lambda t: BranchFactory(name=f"{t.name} canary branch"),
        Membership: _membership,
        Invitation: _invitation,
        RoleGroup: lambda t: RoleGroup.objects.first(),
        Category: lambda t: CategoryFactory(name=f"{t.name} canary category"),
        Piece: _piece,
        Stone: lambda t: StoneFactory(piece=_piece(t), certificate_number="CANARY1"),
        PiecePhoto: _photo,
        StockItem: lambda t: StockItemFactory(title=f"{t.name} canary chain"),
        StockLevel: _stock_level,
        StockMovement: lambda t: _stock_level(t).item.movements.get(),
        MetalRate: lambda t: MetalRateFactory(source=f"{t.slug} canary feed"),
        ShopLogEntry: lambda t: log(
            instance=BranchFactory(name=f"{t.name} canary logged branch"),
            action="wagtail.edit",
        ),
        RateFeed: lambda t: RateFeed.objects.create(
            url=f"https://{t.slug}-canary.example/rates.json"
        ),
        StockCount: lambda t: stock.record_count(
            Branch.objects.first() or BranchFactory(), [_piece(t).sku]
        ),
        SalesPolicy: lambda t: sales_services.update_sales_policy(
            reservation_hold_hours=24, user=None
        ),
        Reservation: _reservation,
    }.items()
}
