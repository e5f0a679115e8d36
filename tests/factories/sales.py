"""Sales factories. Use inside tenant_context(tenant): rows belong to that shop.

A reservation is made as the storefront makes one, through the service: the piece
reserved on the ledger, its price held (`make_reservation()`).
"""

from decimal import Decimal

from back_office.inventory.models import PricingMode
from back_office.sales import services
from back_office.sales.models import Reservation
from back_office.tenants.models import Branch
from tests.factories.inventory import PieceFactory
from tests.factories.tenants import BranchFactory


def fixed_price_piece(**fields):
    """A piece in stock at a tag price (no metal rate needed to price it)."""
    return PieceFactory(
        **{"pricing_mode": PricingMode.FIXED, "tag_price": Decimal("1250.00"), **fields}
    )


def make_reservation(
    piece=None,
    *,
    branch=None,
    customer_name="Maria Silva",
    phone="",
    email="maria@example.test",
    message="",
    now=None,
) -> Reservation:
    """A storefront reservation of `piece` (a new fixed-price piece by default) for
    pickup at `branch` (the shop's first, by default)."""
    branch = branch or Branch.objects.first() or BranchFactory()
    piece = piece or fixed_price_piece(branch=branch)
    return services.reserve_piece(
        piece,
        branch=branch,
        customer_name=customer_name,
        phone=phone,
        email=email,
        message=message,
        now=now,
    )


def sale_with(*pieces, user, branch=None, customer=None):
    """A sale in progress at `branch` (the first piece's, by default) with the
    pieces scanned onto it."""
    branch = branch or pieces[0].branch
    sale = services.start_sale(branch=branch, user=user)
    for piece in pieces:
        services.add_code(sale, piece.sku, user=user)
    if customer is not None:
        services.set_customer(sale, customer, user=user)
    return sale


def sell(*pieces, user, tender="card", **options):
    """A completed sale of `pieces`, paid in full by one tender (a card by
    default)."""
    from back_office.sales import queries

    sale = sale_with(*pieces, user=user)
    total = queries.price_sale(sale).total
    services.add_tender(sale, tender, total, user=user, reference="SLIP-1")
    return services.complete_sale(sale, user=user, **options)
