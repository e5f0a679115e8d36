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
from back_office.sales.models import (
    Customer,
    Reservation,
    ReturnLine,
    Sale,
    SaleCounter,
    SaleLine,
    SaleReturn,
    SalesPolicy,
    StoreCreditEntry,
    Tender,
    TillDay,
    TradeIn,
)
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
from tests.factories.sales import fixed_price_piece, make_reservation, sale_with
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


def _sale(tenant: Tenant) -> Sale:
    """A completed sale of a canary piece to a canary customer, part paid in old
    gold (worth more than the sale: the rest is the customer's store credit), one
    line of it returned for store credit. Made once per tenant object: the sales
    rows' makers share it."""
    if "_canary_sale" not in tenant.__dict__:
        tenant._canary_sale = _make_sale(tenant)
    return tenant._canary_sale


def _make_sale(tenant: Tenant) -> Sale:
    clerk = make_member(tenant, Membership.Role.MANAGER, f"canary@{tenant.slug}.test")
    MetalRateFactory(metal="gold")
    customer = sales_services.add_customer(
        user=clerk, name=f"{tenant.name} canary customer"
    )
    piece = fixed_price_piece(
        title=f"{tenant.name} canary sold piece",
        category=CategoryFactory(name="Canary rings"),
        branch=Branch.objects.first() or BranchFactory(),
    )
    sale = sale_with(piece, user=clerk, customer=customer)
    sales_services.add_trade_in(
        sale,
        user=clerk,
        metal="gold",
        purity="22K",
        tested_by="xrf",
        gross_weight_g="30",
        description=f"{tenant.name} canary old chain",
    )
    sale = sales_services.complete_sale(sale, user=clerk, excess_to="store_credit")
    sales_services.return_lines(
        sale,
        {sale.lines.get().pk: 1},
        user=clerk,
        refund_kind="store_credit",
        reason=f"{tenant.name} canary return",
    )
    return sale


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
        Sale: _sale,
        SaleLine: lambda t: _sale(t).lines.get(),
        Tender: lambda t: _sale(t).tenders.first(),
        TradeIn: lambda t: _sale(t).trade_ins.get(),
        SaleReturn: lambda t: _sale(t).returns.get(),
        ReturnLine: lambda t: _sale(t).returns.get().lines.get(),
        StoreCreditEntry: lambda t: _sale(t).customer.credit_entries.first(),
        Customer: lambda t: _sale(t).customer,
        SaleCounter: lambda t: _sale(t) and SaleCounter.objects.get(),
        TillDay: lambda t: _sale(t).day,
    }.items()
}
