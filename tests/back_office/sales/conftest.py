"""A shop with a worked example: shop "sol" (USD, 3 % tax, Indian time) holds
reservations for 48 hours (the default) and prices gold at USD 80.0000 per gram."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from back_office.sales.errors import SalesError
from back_office.tenancy.context import tenant_context
from tests.factories.inventory import MetalRateFactory, PieceFactory, StoneFactory
from tests.factories.tenants import BranchFactory, make_member, make_tenant, owner_of

#: The customer reserves on Sunday 29 Nov 2026 at 18:00 in India (12:30 UTC).
NOW = datetime(2026, 11, 29, 12, 30, tzinfo=UTC)
#: The worked example's price of the ring (see test_reserving.py).
RING_TOTAL = Decimal("621.13")


@pytest.fixture
def shop(db):
    return make_tenant("sol", tax_rate=Decimal("3.00"), timezone="Asia/Kolkata")


@pytest.fixture
def manager(shop):
    return make_member(shop, "manager")


@pytest.fixture
def branch(shop):
    with tenant_context(shop):
        return BranchFactory(name="Main Street", code="MAIN", address="12 MG Road")


@pytest.fixture
def gold_rate(shop):
    with tenant_context(shop):
        return MetalRateFactory(
            metal="gold",
            rate_per_gram=Decimal("80.0000"),
            effective_at=NOW - timedelta(hours=2),
        )


@pytest.fixture
def ring(shop, branch, gold_rate):
    """22K gold, 5 g of metal, 10 % making charge and a diamond worth USD 200.00."""
    with tenant_context(shop):
        piece = PieceFactory(
            sku="SOL-0001",
            title="Lotus ring",
            branch=branch,
            fineness=916,
            net_weight_g=Decimal("5.000"),
            making_charge_type="percent",
            making_charge=Decimal("10.00"),
        )
        StoneFactory(piece=piece, carats=Decimal("0.250"), value=Decimal("200.00"))
    return piece


@pytest.fixture
def clerk_user(shop):
    """Sales staff of the shop."""
    return make_member(shop, "sales")


@pytest.fixture
def owner_client(client, shop):
    client.force_login(owner_of(shop))
    return client


def refused(code, call, *args, **kwargs) -> SalesError:
    """The SalesError that `call(*args, **kwargs)` raises, checked to have `code`."""
    with pytest.raises(SalesError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def text_of(response) -> str:
    """What a person reads on the screen (the main content, without markup)."""
    main = BeautifulSoup(response.content, "html.parser").find("main")
    return " ".join(main.get_text(" ").split())
