"""The inventory's read API: today's rates and a piece's price, as the current shop."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from back_office.inventory.errors import PricingError
from back_office.inventory.purity import Metal
from back_office.inventory.queries import latest_rates, price_of
from back_office.tenancy.context import tenant_context
from tests.factories.inventory import MetalRateFactory, PieceFactory
from tests.factories.tenants import make_tenant

D = Decimal


def test_latest_rates_gives_the_latest_rate_in_force_per_metal(aurum):
    now = timezone.now()
    with tenant_context(aurum):
        MetalRateFactory(rate_per_gram=D("60"), effective_at=now - timedelta(days=2))
        MetalRateFactory(rate_per_gram=D("62"), effective_at=now - timedelta(hours=1))
        MetalRateFactory(rate_per_gram=D("61"), effective_at=now - timedelta(days=1))
        MetalRateFactory(
            metal=Metal.SILVER,
            rate_per_gram=D("0.80"),
            effective_at=now - timedelta(days=3),
        )

        rates = latest_rates()

    assert {metal: rate.rate_per_gram for metal, rate in rates.items()} == {
        Metal.GOLD: D("62.0000"),
        Metal.SILVER: D("0.8000"),
    }


def test_a_rate_effective_in_the_future_is_not_yet_in_force(aurum):
    now = timezone.now()
    with tenant_context(aurum):
        MetalRateFactory(rate_per_gram=D("60"), effective_at=now - timedelta(hours=1))
        MetalRateFactory(rate_per_gram=D("99"), effective_at=now + timedelta(hours=1))

        assert latest_rates()[Metal.GOLD].rate_per_gram == D("60.0000")
        later = latest_rates(at=now + timedelta(hours=2))
        assert later[Metal.GOLD].rate_per_gram == D("99.0000")


def test_latest_rates_is_empty_for_a_shop_with_no_rates(aurum):
    with tenant_context(aurum):
        assert latest_rates() == {}


def test_another_shops_rates_are_invisible(aurum, luna):
    with tenant_context(luna):
        MetalRateFactory(rate_per_gram=D("70"))
        MetalRateFactory(metal=Metal.PLATINUM, rate_per_gram=D("30"))
    with tenant_context(aurum):
        MetalRateFactory(rate_per_gram=D("65"))

        rates = latest_rates()

    assert list(rates) == [Metal.GOLD]
    assert rates[Metal.GOLD].rate_per_gram == D("65.0000")


@pytest.fixture
def rupee_shop(db):
    """The worked example's shop: INR, 3 % tax."""
    return make_tenant("kanchan", currency="INR", tax_rate=D("3"))


def _worked_example_piece():
    MetalRateFactory(rate_per_gram=D("6500"))
    return PieceFactory(
        net_weight_g=D("10.000"),
        gross_weight_g=D("10.000"),
        fineness=916,
        making_charge_type="percent",
        making_charge=D("10"),
    )


def test_price_of_uses_the_shops_currency_tax_rate_and_todays_rate(rupee_shop):
    with tenant_context(rupee_shop):
        result = price_of(_worked_example_piece())

    assert result.currency == "INR"
    assert result.subtotal == D("65494.00")
    assert result.tax == D("1964.82")
    assert result.total == D("67458.82")


def test_a_rate_priced_piece_costs_the_same_whether_tag_prices_include_tax(db):
    shop = make_tenant(
        "kanchan", currency="INR", tax_rate=D("3"), prices_include_tax=True
    )
    with tenant_context(shop):
        result = price_of(_worked_example_piece())

    assert result.total == D("67458.82")  # the setting is about fixed tag prices


def test_price_of_takes_a_discount(rupee_shop):
    with tenant_context(rupee_shop):
        result = price_of(_worked_example_piece(), discount=D("494"))

    assert result.subtotal == D("65000.00")


def test_price_of_includes_the_pieces_stones(rupee_shop):
    from tests.factories.inventory import StoneFactory

    with tenant_context(rupee_shop):
        piece = _worked_example_piece()
        StoneFactory(
            piece=piece, carats=D("0.250"), value=D("4000"), value_mode="per_carat"
        )
        result = price_of(piece)

    assert result.stones == D("1000.00")
    assert result.subtotal == D("66494.00")


def test_price_of_a_piece_whose_metal_has_no_rate_is_refused(rupee_shop):
    with tenant_context(rupee_shop):
        piece = _worked_example_piece()
        piece.metal = Metal.PLATINUM

        with pytest.raises(PricingError):
            price_of(piece)


def test_price_of_ignores_another_shops_rate(rupee_shop, luna):
    with tenant_context(luna):
        MetalRateFactory(rate_per_gram=D("9999"))
    with tenant_context(rupee_shop):
        piece = PieceFactory()

        with pytest.raises(PricingError):
            price_of(piece)
