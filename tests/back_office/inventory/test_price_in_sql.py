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

D = Decimal
KINDS = {  # each piece: 4.8 g net, 22K gold (916) unless it says otherwise
    "KPCT": {"making_charge_type": "percent", "making_charge": D("12")},
    "KPGR": {"making_charge_type": "per_gram", "making_charge": D("7.50")},
    "KFIX": {"making_charge_type": "fixed", "making_charge": D("45")},
    "KSIL": {"metal": "silver", "fineness": 925, "making_charge": D("0")},
    "KTAG": {"pricing_mode": "fixed", "tag_price": D("1999.00")},
}

# What the customer pays for each piece, worked by hand. Gold at 86.40/g, silver at
# 1.02/g, tax 3 %; every piece has two stones: 1,500.00 + 0.250 ct x 2,400.00 =
# 2,100.00.
#   gold metal 4.8 x 86.40 x 0.916 = 379.88352; silver 4.8 x 1.02 x 0.925 = 4.5288
#   KPCT 379.88352 + 12 % 45.5860224 + 2,100 = 2,525.4695424; x 1.03 = 2,601.2336287
#   KPGR 379.88352 + 7.50 x 4.8 = 36.00 + 2,100 = 2,515.88352;  x 1.03 = 2,591.3600256
#   KFIX 379.88352 + 45.00 + 2,100 = 2,524.88352;               x 1.03 = 2,600.6300256
#   KSIL 4.5288 + 0 + 2,100 = 2,104.5288;                       x 1.03 = 2,167.664664
#   KTAG the tag price, stones included: 1,999.00 x 1.03 = 2,058.97 where tag prices
#   are entered before tax, 1,999.00 where they are entered with it.
# Rounded half up, by whether the shop enters tag prices with tax:
PRICE_TODAY = {
    False: {
        "KPCT": D("2601.23"),
        "KPGR": D("2591.36"),
        "KFIX": D("2600.63"),
        "KSIL": D("2167.66"),
        "KTAG": D("2058.97"),
    },
    True: {
        "KPCT": D("2601.23"),
        "KPGR": D("2591.36"),
        "KFIX": D("2600.63"),
        "KSIL": D("2167.66"),
        "KTAG": D("1999.00"),
    },
}


@pytest.fixture(params=[False, True], ids=["tax-exclusive", "tax-inclusive"])
def priced_shop(request, aurum):
    aurum.tax_rate, aurum.prices_include_tax = D("3.00"), request.param
    aurum.save()
    with tenant_context(aurum):
        BranchFactory()
        MetalRateFactory(metal="gold", rate_per_gram=D("86.4000"))
        MetalRateFactory(metal="silver", rate_per_gram=D("1.0200"))
        for sku, kind in KINDS.items():
            piece = PieceFactory(sku=sku, category=CategoryFactory(), **kind)
            StoneFactory(piece=piece, value=D("1500"))
            StoneFactory(
                piece=piece,
                value_mode=Stone.ValueMode.PER_CARAT,
                carats=D("0.250"),
                value=D("2400"),
            )
        # No platinum rate: no price.
        PieceFactory(sku="KPLT", category=CategoryFactory(), metal="platinum")
    return aurum


def test_the_sql_price_matches_the_price_breakdown_for_every_kind_of_piece(
    priced_shop,
):
    sql_prices = {}
    with tenant_context(priced_shop):
        rates = queries.latest_rates()
        for piece in queries.with_price_today(Piece.objects.all()):
            sql_prices[piece.sku] = piece.price_today
            if piece.metal == "platinum":
                assert piece.price_today is None
                continue
            expected = queries.price_of(piece, rates).total
            assert piece.price_today == expected, piece

    # Both agree, and with the figures worked by hand.
    assert sql_prices == {
        **PRICE_TODAY[priced_shop.prices_include_tax],
        "KPLT": None,
    }


def test_the_piece_listing_filters_by_todays_price(client, priced_shop):
    prices = PRICE_TODAY[priced_shop.prices_include_tax]
    # The 2nd and 3rd cheapest, bounds included: KSIL and KPGR in either shop.
    low, high = sorted(prices.values())[1:3]
    client.force_login(owner_of(priced_shop))

    content = client.get(
        reverse(Piece.snippet_viewset.get_url_name("list")),
        {"price_min": low, "price_max": high},
    ).content.decode()

    shown = {sku for sku in [*prices, "KPLT"] if sku in content}
    assert shown == {sku for sku, price in prices.items() if low <= price <= high}
    assert shown == {"KSIL", "KPGR"}
