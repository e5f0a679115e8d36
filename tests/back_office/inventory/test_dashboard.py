from decimal import Decimal

import pytest

from back_office.inventory import services
from back_office.inventory.models import StockMovement
from back_office.tenancy.context import tenant_context
from tests.factories.inventory import (
    CategoryFactory,
    MetalRateFactory,
    PieceFactory,
    StockItemFactory,
)
from tests.factories.tenants import BranchFactory, owner_of


@pytest.fixture
def stocked_shop(aurum):
    with tenant_context(aurum):
        main, mall = BranchFactory(name="Main Street"), BranchFactory(name="Mall")
        rings = CategoryFactory()
        MetalRateFactory(metal="gold", rate_per_gram=Decimal("60.0000"))
        for branch, grams in [(main, "10.000"), (main, "5.000"), (mall, "2.000")]:
            PieceFactory(
                category=rings, branch=branch, fineness=750, net_weight_g=grams
            )
        sold = PieceFactory(category=rings, branch=main, net_weight_g="9.000")
        services.move_piece(sold, StockMovement.Kind.SOLD)
        PieceFactory(category=rings, branch=main, metal="platinum")
        chain = StockItemFactory(title="Curb chain", low_stock_threshold=5)
        services.receive_stock(chain, main, 3)
        StockItemFactory(title="Box chain", low_stock_threshold=5)
        plenty = StockItemFactory(title="Rope chain", low_stock_threshold=5)
        services.receive_stock(plenty, mall, 8)
    return aurum


def test_the_dashboard_values_stock_by_branch_and_metal_at_todays_rate(
    client, stocked_shop
):
    client.force_login(owner_of(stocked_shop))

    content = client.get("/admin/").content.decode()

    # Main Street: (10 + 5) g x 0.750 = 11.250 g pure x 60.00 = 675.00
    assert "11.250" in content
    assert "USD 675.00" in content
    # Mall: 2 g x 0.750 = 1.500 g pure x 60.00 = 90.00; the sold piece counts nowhere
    assert "USD 90.00" in content
    assert "USD 765.00" in content
    assert "No rate yet for: platinum" in content


def test_the_dashboard_counts_pieces_by_status(client, stocked_shop):
    client.force_login(owner_of(stocked_shop))

    content = client.get("/admin/").content.decode()

    assert "In stock: <strong>4</strong>" in content
    assert "Sold: <strong>1</strong>" in content


def test_the_dashboard_lists_quantity_items_below_their_threshold(client, stocked_shop):
    client.force_login(owner_of(stocked_shop))

    content = client.get("/admin/").content.decode()

    assert "Curb chain: <strong>3</strong>" in content
    assert "Box chain: <strong>0</strong>" in content
    assert "Rope chain" not in content


def test_the_dashboard_writes_money_with_thousands_separators_and_the_currency(
    client, aurum
):
    with tenant_context(aurum):
        MetalRateFactory(metal="gold", rate_per_gram=Decimal("86.4000"))
        PieceFactory(net_weight_g=Decimal("400.000"), fineness=916)
    client.force_login(owner_of(aurum))

    content = client.get("/admin/").content.decode()

    # 400 g x 0.916 = 366.400 g pure x 86.40 = 31,656.96
    assert "USD 31,656.96" in content
    assert "31656.96" not in content
