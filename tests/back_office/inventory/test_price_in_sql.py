"""Listing by price: the SQL price agrees with pricing.price for every kind of piece."""

from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse

from back_office.inventory import queries
from back_office.inventory.models import Piece, Stone
from back_office.tenancy.context import tenant_context
from tests.factories.inventory import (
    CategoryFactory,
    MetalRateFactory,
    PieceFactory,
    StoneFactory,
)
from tests.factories.tenants import BranchFactory, owner_of

get_resolver().url_patterns  # noqa: B018 - loading the admin registers the ViewSets

KINDS = [
    {"making_charge_type": "percent", "making_charge": Decimal("12")},
    {"making_charge_type": "per_gram", "making_charge": Decimal("7.50")},
    {"making_charge_type": "fixed", "making_charge": Decimal("45")},
    {"metal": "silver", "fineness": 925, "making_charge": Decimal("0")},
    {"pricing_mode": "fixed", "tag_price": Decimal("1999.00")},
]


@pytest.fixture(params=[False, True], ids=["tax-exclusive", "tax-inclusive"])
def priced_shop(request, aurum):
    aurum.tax_rate, aurum.prices_include_tax = Decimal("3.00"), request.param
    aurum.save()
    with tenant_context(aurum):
        BranchFactory()
        MetalRateFactory(metal="gold", rate_per_gram=Decimal("86.4000"))
        MetalRateFactory(metal="silver", rate_per_gram=Decimal("1.0200"))
        for kind in KINDS:
            piece = PieceFactory(category=CategoryFactory(), **kind)
            StoneFactory(piece=piece, value=Decimal("1500"))
            StoneFactory(
                piece=piece,
                value_mode=Stone.ValueMode.PER_CARAT,
                carats=Decimal("0.250"),
                value=Decimal("2400"),
            )
        # No platinum rate: no price.
        PieceFactory(category=CategoryFactory(), metal="platinum")
    return aurum


def test_the_sql_price_matches_the_price_breakdown_for_every_kind_of_piece(
    priced_shop,
):
    with tenant_context(priced_shop):
        rates = queries.latest_rates()
        for piece in queries.with_display_price(Piece.objects.all()):
            if piece.metal == "platinum":
                assert piece.display_price is None
                continue
            expected = queries.price_of(piece, rates).display_price
            assert piece.display_price == expected, piece


def test_the_piece_listing_filters_by_todays_price(client, priced_shop):
    with tenant_context(priced_shop):
        prices = {
            p.sku: queries.price_of(p).display_price
            for p in Piece.objects.exclude(metal="platinum")
        }
    low, high = sorted(prices.values())[1:3]
    client.force_login(owner_of(priced_shop))

    content = client.get(
        reverse(Piece.snippet_viewset.get_url_name("list")),
        {"price_min": low, "price_max": high},
    ).content.decode()

    shown = {sku for sku in prices if sku in content}
    assert shown == {sku for sku, price in prices.items() if low <= price <= high}
    assert len(shown) == 2
