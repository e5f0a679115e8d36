"""The price of a piece (back_office/inventory/pricing.py): pure functions, no database.

The shop's worked example: 10 g of 22K gold (916) at a 24K rate of 6,500.00 a gram,
10 % making, 3 % tax: metal 59,540.00, making 5,954.00, subtotal 65,494.00,
tax 1,964.82, total 67,458.82.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from back_office.inventory.pricing import (
    PriceInputs,
    PricingError,
    Rate,
    StoneValue,
    minor_unit,
    price,
    round_money,
)

D = Decimal
RATE_AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def gold_22k(**overrides) -> PriceInputs:
    """The worked example; each test changes only what it is about."""
    inputs = {
        "currency": "INR",
        "tax_rate": D("3"),
        "prices_include_tax": False,
        "net_weight_g": D("10.000"),
        "fineness": 916,
        "rate": Rate(D("6500.0000"), RATE_AT),
        "making_charge_type": "percent",
        "making_charge": D("10"),
    }
    inputs.update(overrides)
    return PriceInputs(**inputs)


def fixed(tag_price, **overrides) -> PriceInputs:
    inputs = {
        "currency": "USD",
        "tax_rate": D("10"),
        "prices_include_tax": False,
        "fixed_price": D(tag_price),
    }
    inputs.update(overrides)
    return PriceInputs(**inputs)


# The formula


def test_worked_example_22k_gold_with_percent_making_and_tax():
    result = price(gold_22k())

    assert result.metal_value == D("59540.00")
    assert result.making == D("5954.00")
    assert result.stones == D("0.00")
    assert result.discount == D("0.00")
    assert result.subtotal == D("65494.00")
    assert result.tax == D("1964.82")
    assert result.total == D("67458.82")


def test_breakdown_records_the_rate_used_and_the_tax_settings():
    result = price(gold_22k())

    assert result.rate_per_gram == D("6500.0000")
    assert result.rate_effective_at == RATE_AT
    assert result.tax_rate == D("3")
    assert result.prices_include_tax is False
    assert result.currency == "INR"


def test_every_figure_is_a_decimal():
    result = price(gold_22k(stones=(StoneValue(D("0.5"), D("100")),)))

    for name in ["metal_value", "making", "stones", "subtotal", "tax", "total"]:
        assert isinstance(getattr(result, name), Decimal), name


def test_zero_making_charge_prices_the_metal_alone():
    result = price(gold_22k(making_charge=D("0")))

    assert result.making == D("0.00")
    assert result.subtotal == D("59540.00")
    assert result.total == D("61326.20")


def test_making_charge_per_gram_is_multiplied_by_the_net_weight():
    result = price(gold_22k(making_charge_type="per_gram", making_charge=D("450")))

    assert result.making == D("4500.00")
    assert result.subtotal == D("64040.00")


def test_fixed_making_charge_is_added_as_is():
    result = price(gold_22k(making_charge_type="fixed", making_charge=D("2500")))

    assert result.making == D("2500.00")
    assert result.subtotal == D("62040.00")


def test_unknown_making_charge_type_is_refused():
    with pytest.raises(PricingError, match="making charge"):
        price(gold_22k(making_charge_type="per_piece"))


def test_lower_purity_costs_proportionally_less_metal():
    result = price(gold_22k(fineness=750))

    assert result.metal_value == D("48750.00")  # 10 g x 6,500 x 0.750


# Stones


def test_fixed_stone_values_are_added():
    stones = (StoneValue(D("0.500"), D("1200.00")), StoneValue(D("0.100"), D("80")))
    result = price(gold_22k(stones=stones))

    assert result.stones == D("1280.00")
    assert result.subtotal == D("66774.00")


def test_per_carat_stone_value_is_carats_times_price_per_carat():
    stones = (StoneValue(D("0.350"), D("2000.00"), per_carat=True),)
    result = price(gold_22k(stones=stones))

    assert result.stones == D("700.00")
    assert result.subtotal == D("66194.00")


def test_stones_are_not_charged_on_top_of_a_fixed_tag_price():
    result = price(fixed("500.00", stones=(StoneValue(D("1"), D("900")),)))

    assert result.stones == D("0.00")
    assert result.subtotal == D("500.00")


# Fixed-price pieces


def test_fixed_price_with_tax_exclusive_display_adds_tax_on_top():
    result = price(fixed("500.00"))

    assert result.subtotal == D("500.00")
    assert result.tax == D("50.00")
    assert result.total == D("550.00")


def test_fixed_price_with_tax_inclusive_display_contains_the_tax():
    result = price(fixed("550.00", prices_include_tax=True))

    assert result.total == D("550.00")
    assert result.subtotal == D("500.00")
    assert result.tax == D("50.00")


def test_fixed_price_has_no_metal_making_or_rate():
    result = price(fixed("500.00"))

    assert result.metal_value == D("0.00")
    assert result.making == D("0.00")
    assert result.rate_per_gram is None
    assert result.rate_effective_at is None


def test_fixed_price_needs_no_metal_rate():
    assert price(fixed("120.00", rate=None)).total == D("132.00")


def test_discount_comes_off_a_fixed_price_before_tax():
    result = price(fixed("500.00", discount=D("50.00")))

    assert result.discount == D("50.00")
    assert result.subtotal == D("450.00")
    assert result.total == D("495.00")


# Discount and tax display


def test_discount_comes_off_before_tax():
    result = price(gold_22k(discount=D("494.00")))

    assert result.discount == D("494.00")
    assert result.subtotal == D("65000.00")
    assert result.tax == D("1950.00")
    assert result.total == D("66950.00")


def test_discount_larger_than_the_price_is_refused():
    with pytest.raises(PricingError, match="discount is larger"):
        price(gold_22k(discount=D("70000")))


def test_discount_larger_than_a_fixed_price_is_refused():
    with pytest.raises(PricingError, match="discount is larger"):
        price(fixed("100.00", discount=D("100.01")))


def test_discount_equal_to_the_price_gives_zero():
    assert price(fixed("100.00", discount=D("100.00"))).total == D("0.00")


def test_a_rate_priced_piece_costs_the_same_however_tag_prices_are_entered():
    # Whether tag prices are entered with tax only matters to fixed-price pieces.
    assert price(gold_22k()).total == D("67458.82")
    assert price(gold_22k(prices_include_tax=True)).total == D("67458.82")


def test_zero_tax_rate_makes_total_equal_subtotal():
    result = price(gold_22k(tax_rate=D("0")))

    assert result.tax == D("0.00")
    assert result.total == result.subtotal == D("65494.00")


# Rounding


def test_total_is_rounded_once_not_summed_from_rounded_parts():
    # 2.5 g of 18K at 60.0025/g, 8 % making: metal 112.5046875, making 9.000375.
    # Rounded parts add up to 121.50; the exact subtotal 121.5050625 rounds to 121.51.
    result = price(
        gold_22k(
            currency="USD",
            tax_rate=D("0"),
            net_weight_g=D("2.500"),
            fineness=750,
            rate=Rate(D("60.0025"), RATE_AT),
            making_charge=D("8"),
        )
    )

    assert result.metal_value == D("112.50")
    assert result.making == D("9.00")
    assert result.subtotal == D("121.51")
    assert result.total == D("121.51")


def test_subtotal_plus_tax_is_exactly_the_total():
    # 3.333 g x 6,543.2132 x 0.916 = 19,976.6131095696; 10 % making 1,997.66131095696
    # subtotal 21,974.27442052656 -> 21,974.27; x 1.075 = 23,622.345002066052
    # -> total 23,622.35, so the tax is 1,648.08 (7.5 % of the subtotal on its own,
    # 1,648.0706, would round to 1,648.07 and lose the cent).
    result = price(
        gold_22k(
            net_weight_g=D("3.333"),
            rate=Rate(D("6543.2132"), RATE_AT),
            tax_rate=D("7.5"),
        )
    )

    assert result.subtotal == D("21974.27")
    assert result.tax == D("1648.08")
    assert result.total == D("23622.35")
    assert result.subtotal + result.tax == result.total


def test_half_a_cent_rounds_up():
    assert round_money(D("10.005"), "USD") == D("10.01")
    assert round_money(D("10.0049"), "USD") == D("10.00")


def test_yen_prices_have_no_decimals():
    result = price(
        gold_22k(currency="JPY", rate=Rate(D("13456.7800"), RATE_AT), tax_rate=D("10"))
    )

    assert minor_unit("JPY") == D("1")
    assert result.metal_value == D("123264")  # 10 x 13,456.78 x 0.916 = 123,264.1048
    assert result.subtotal == D("135591")  # 135,590.51528
    assert result.total == D("149150")  # 149,149.566808
    assert result.tax == D("13559")
    assert result.total.as_tuple().exponent == 0


def test_kuwaiti_dinar_prices_have_three_decimals():
    result = price(
        gold_22k(currency="KWD", rate=Rate(D("20.1234"), RATE_AT), tax_rate=D("0"))
    )

    assert minor_unit("kwd") == D("0.001")
    assert result.metal_value == D("184.330")  # 184.330344
    assert result.subtotal == D("202.763")  # 202.7633784
    assert result.total.as_tuple().exponent == -3


def test_an_unlisted_currency_has_two_decimals():
    assert minor_unit("EUR") == D("0.01")


# Refusals and serialisation


def test_a_rate_priced_piece_with_no_rate_is_refused():
    with pytest.raises(PricingError, match="no rate"):
        price(gold_22k(rate=None))


def test_as_dict_gives_every_figure_as_a_string_that_reads_back_exactly():
    result = price(gold_22k(stones=(StoneValue(D("0.2"), D("150.00")),)))

    figures = result.as_dict()

    assert figures == {
        "currency": "INR",
        "metal_value": "59540.00",
        "making": "5954.00",
        "stones": "150.00",
        "discount": "0.00",
        "subtotal": "65644.00",
        "tax": "1969.32",
        "total": "67613.32",
        "tax_rate": "3",
        "prices_include_tax": False,
        "rate_per_gram": "6500.0000",
        "rate_effective_at": "2026-11-28T09:00:00+00:00",
    }
    for name in ["metal_value", "making", "subtotal", "tax", "total"]:
        assert D(figures[name]) == getattr(result, name)
    assert datetime.fromisoformat(figures["rate_effective_at"]) == RATE_AT


def test_as_dict_of_a_fixed_price_has_no_rate():
    figures = price(fixed("500.00")).as_dict()

    assert figures["rate_per_gram"] is None
    assert figures["rate_effective_at"] is None
    assert figures["total"] == "550.00"
