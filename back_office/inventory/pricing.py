"""What a piece costs today: pure functions over Decimal, no database.

Rate-priced piece:
    metal value = net weight (g) x rate per gram of the pure metal x fineness / 1000
    making      = per gram x net weight | percent of metal value | fixed amount
    stones      = sum of fixed values, or carats x price per carat
    subtotal    = metal value + making + stones - discount
    tax         = subtotal x the shop's tax rate
Fixed-price piece: the tag price (tax included in it when the shop shows prices
with tax). Nothing is rounded until the end: the total is rounded once, to the
currency's minor unit, and the parts are shown rounded from their exact values.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from back_office.inventory.errors import PricingError, PricingErrorCode
from back_office.inventory.purity import fineness_ratio

HUNDRED = Decimal(100)

#: ISO 4217 minor units that are not 2.
MINOR_UNITS = {
    "BHD": 3, "CLP": 0, "IQD": 3, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0,
    "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "TND": 3, "UGX": 0, "VND": 0,
}  # fmt: skip


def minor_unit(currency: str) -> Decimal:
    """The smallest coin of a currency: 0.01 for USD, 1 for JPY, 0.001 for KWD."""
    return Decimal(1).scaleb(-MINOR_UNITS.get(currency.upper(), 2))


def round_money(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str) -> str:
    """How Karat writes an amount: "USD 25,000.00", "JPY 12,500", "KWD 1,250.500"."""
    return f"{currency} {round_money(Decimal(amount), currency):,}"


def format_rate(rate_per_gram: Decimal, currency: str) -> str:
    """A rate per gram, to the currency's minor unit or as many of its four decimals
    as it has: "USD 86.40/g", "USD 86.4012/g"."""
    rate = Decimal(rate_per_gram)
    places = max(
        -minor_unit(currency).as_tuple().exponent, -rate.normalize().as_tuple().exponent
    )
    return f"{currency} {rate.quantize(Decimal(1).scaleb(-min(places, 4))):,}/g"


def format_weight(grams: Decimal) -> str:
    """A weight to the milligram, as a jeweller's scale shows it: "4.169 g"."""
    return f"{Decimal(grams).quantize(Decimal('0.001')):,} g"


def describe_making_charge(charge_type: str, charge: Decimal, currency: str) -> str:
    """A making charge with its unit: "12 % of the metal value", "USD 15.00 per g of
    metal", "USD 60.00 fixed"."""
    if charge_type == "percent":
        return f"{Decimal(charge).normalize():f} % of the metal value"
    if charge_type == "per_gram":
        return f"{format_money(charge, currency)} per g of metal"
    return f"{format_money(charge, currency)} fixed"


@dataclass(frozen=True)
class StoneValue:
    carats: Decimal
    value: Decimal  # the whole stone's value, or its price per carat
    per_carat: bool = False

    @property
    def amount(self) -> Decimal:
        return self.carats * self.value if self.per_carat else self.value


@dataclass(frozen=True)
class Rate:
    rate_per_gram: Decimal  # of the pure metal, in the shop's currency
    effective_at: datetime


@dataclass(frozen=True)
class PriceInputs:
    currency: str
    tax_rate: Decimal  # percent
    prices_include_tax: bool
    fixed_price: Decimal | None = None  # set for fixed-price pieces
    net_weight_g: Decimal = Decimal(0)
    fineness: int = 0
    rate: Rate | None = None
    making_charge_type: str = "percent"  # per_gram | percent | fixed
    making_charge: Decimal = Decimal(0)
    stones: tuple[StoneValue, ...] = ()
    discount: Decimal = Decimal(0)


@dataclass(frozen=True)
class PriceBreakdown:
    """Every figure of a price, from the metal's value to the total."""

    currency: str
    metal_value: Decimal
    making: Decimal
    stones: Decimal
    discount: Decimal
    subtotal: Decimal  # before tax
    tax: Decimal
    total: Decimal  # with tax: what the customer pays
    tax_rate: Decimal
    prices_include_tax: bool
    rate_per_gram: Decimal | None
    rate_effective_at: datetime | None

    def as_dict(self) -> dict:
        """JSON-safe figures that read back exactly: a quoted price, stored."""
        return {
            name: (str(value) if isinstance(value, Decimal) else value)
            for name, value in {
                "currency": self.currency,
                "metal_value": self.metal_value,
                "making": self.making,
                "stones": self.stones,
                "discount": self.discount,
                "subtotal": self.subtotal,
                "tax": self.tax,
                "total": self.total,
                "tax_rate": self.tax_rate,
                "prices_include_tax": self.prices_include_tax,
                "rate_per_gram": self.rate_per_gram,
                "rate_effective_at": (
                    self.rate_effective_at.isoformat()
                    if self.rate_effective_at
                    else None
                ),
            }.items()
        }


def making_charge(charge_type: str, charge: Decimal, net_weight_g, metal_value):
    if charge_type == "per_gram":
        return charge * net_weight_g
    if charge_type == "percent":
        return metal_value * charge / HUNDRED
    if charge_type == "fixed":
        return charge
    raise PricingError(
        f"Unknown making charge type {charge_type!r}.",
        PricingErrorCode.UNKNOWN_MAKING_CHARGE,
    )


def price(inputs: PriceInputs) -> PriceBreakdown:
    currency = inputs.currency
    tax_ratio = inputs.tax_rate / HUNDRED
    stones = sum((s.amount for s in inputs.stones), Decimal(0))

    if inputs.fixed_price is not None:
        metal_value = making = Decimal(0)
        stones = Decimal(0)  # a tag price already includes everything
        asked = inputs.fixed_price - inputs.discount
        if inputs.prices_include_tax:
            total = round_money(asked, currency)
            subtotal_exact = asked / (1 + tax_ratio)
        else:
            subtotal_exact = asked
            total = round_money(asked * (1 + tax_ratio), currency)
        rate_per_gram = rate_at = None
    else:
        if inputs.rate is None:
            raise PricingError(
                "There is no rate for this piece's metal yet.", PricingErrorCode.NO_RATE
            )
        metal_value = (
            inputs.net_weight_g
            * inputs.rate.rate_per_gram
            * fineness_ratio(inputs.fineness)
        )
        making = making_charge(
            inputs.making_charge_type,
            inputs.making_charge,
            inputs.net_weight_g,
            metal_value,
        )
        subtotal_exact = metal_value + making + stones - inputs.discount
        total = round_money(subtotal_exact * (1 + tax_ratio), currency)
        rate_per_gram = inputs.rate.rate_per_gram
        rate_at = inputs.rate.effective_at

    if subtotal_exact < 0:
        raise PricingError(
            "The discount is larger than the price.",
            PricingErrorCode.DISCOUNT_TOO_LARGE,
        )
    subtotal = round_money(subtotal_exact, currency)
    return PriceBreakdown(
        currency=currency,
        metal_value=round_money(metal_value, currency),
        making=round_money(making, currency),
        stones=round_money(stones, currency),
        discount=round_money(inputs.discount, currency),
        subtotal=subtotal,
        # Derived from the rounded figures, so subtotal + tax is exactly the total.
        tax=total - subtotal,
        total=total,
        tax_rate=inputs.tax_rate,
        prices_include_tax=inputs.prices_include_tax,
        rate_per_gram=rate_per_gram,
        rate_effective_at=rate_at,
    )
