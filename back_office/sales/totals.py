"""The arithmetic of a sale: pure functions over Decimal, no database.

Line prices come from the inventory's pricing module (pricing.price); here they
get their discounts, the sale's totals, the payments' settlement and a trade-in's
value. Every discount is an amount before tax: a percentage is taken from the
price before tax, or from the making charge (SalesPolicy.discount_basis), and an
amount is taken off the price before tax. Tax is then charged on what is left, so
it is always charged on the full value of the new pieces: a trade-in pays like
any other tender and never lowers the tax.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from back_office.inventory.pricing import (
    HUNDRED,
    PriceBreakdown,
    PriceInputs,
    price,
    round_money,
)
from back_office.inventory.purity import fineness_ratio

ZERO = Decimal(0)
RATE_PLACES = Decimal("0.0001")


def discount_amount(
    kind: str, value: Decimal, base: Decimal, making: Decimal, basis: str, currency
) -> Decimal:
    """The discount before tax that `kind` ("amount" or "percent") and `value` give
    on a line whose price before tax is `base` and making charge `making`."""
    if not kind or not value:
        return ZERO
    if kind == "amount":
        return round_money(value, currency)
    taken_from = making if basis == "making" and making > 0 else base
    return round_money(taken_from * value / HUNDRED, currency)


def priced(inputs: PriceInputs, discount: Decimal) -> PriceBreakdown:
    """The breakdown with `discount` taken off the price before tax.

    pricing.price takes a tag price's discount in the tag's own terms, which
    include the tax when the shop's tags do; here a discount is always before tax,
    so it is grossed up for such tags."""
    if inputs.fixed_price is not None and inputs.prices_include_tax:
        discount = discount * (1 + inputs.tax_rate / HUNDRED)
    return price(replace(inputs, discount=discount))


def with_discount(held: PriceBreakdown, discount: Decimal) -> PriceBreakdown:
    """A held quote (a reservation's) with a discount before tax: the tax is
    charged again on what is left, at the quote's own rate."""
    if not discount:
        return held
    subtotal = held.subtotal - discount
    total = round_money(subtotal * (1 + held.tax_rate / HUNDRED), held.currency)
    return replace(
        held,
        discount=held.discount + discount,
        subtotal=subtotal,
        tax=total - subtotal,
        total=total,
    )


def spread(amount: Decimal, weights: list[Decimal], currency: str) -> list[Decimal]:
    """`amount` shared in proportion to `weights`, rounded, the last share taking
    what rounding left, so the shares add up to `amount` exactly."""
    whole = sum(weights, ZERO)
    if not weights or whole <= 0:
        return [ZERO] * len(weights)
    shares = [round_money(amount * weight / whole, currency) for weight in weights]
    shares[-1] = amount - sum(shares[:-1], ZERO)
    return shares


@dataclass(frozen=True)
class Settlement:
    """How the tenders meet a sale's total."""

    total: Decimal
    paid: Decimal  # every tender, cash as handed over
    remaining: Decimal  # still to pay (0 once covered)
    change: Decimal  # cash handed back
    excess: Decimal  # trade-ins beyond the total: paid out or given as credit
    other: Decimal  # card, transfer and store credit
    due_after_metal: Decimal  # what the trade-ins leave to pay: the most `other` may be

    @property
    def is_covered(self) -> bool:
        return self.remaining == 0


def settle(total: Decimal, cash: Decimal, other: Decimal, trade_ins: Decimal):
    """Meet `total` with trade-ins first, then the other tenders (card, transfer,
    credit), then cash handed over. Only cash gives change, and only old metal
    worth more than the sale leaves an excess (paid out or given as credit): the
    other tenders may pay what the old metal leaves due and no more (services
    refuse more), so no card ever turns into cash or credit."""
    due_after_metal = max(total - trade_ins, ZERO)
    excess = max(trade_ins - total, ZERO)
    cash_due = max(due_after_metal - other, ZERO)
    paid = cash + other + trade_ins
    remaining = max(cash_due - cash, ZERO)
    change = max(cash - cash_due, ZERO)
    return Settlement(total, paid, remaining, change, excess, other, due_after_metal)


@dataclass(frozen=True)
class TradeInValue:
    net_weight_g: Decimal  # gross less stones and dirt
    melted_weight_g: Decimal  # after the melting loss
    fine_weight_g: Decimal  # of pure metal
    value: Decimal


def trade_in_value(
    gross_weight_g: Decimal,
    deduction_g: Decimal,
    melting_loss_percent: Decimal,
    fineness: int,
    buy_rate: Decimal,
    currency: str,
) -> TradeInValue:
    """What old metal is worth to the shop: its weight less stones and dirt, less
    the melting loss, of pure metal, at the buy rate per gram of pure metal."""
    net = gross_weight_g - deduction_g
    melted = net * (1 - melting_loss_percent / HUNDRED)
    fine = melted * fineness_ratio(fineness)
    return TradeInValue(net, melted, fine, round_money(fine * buy_rate, currency))


def buy_rate(market_rate: Decimal, margin_percent: Decimal) -> Decimal:
    """The shop's buy rate per gram of pure metal: today's rate less its margin."""
    return (market_rate * (1 - margin_percent / HUNDRED)).quantize(RATE_PLACES)
