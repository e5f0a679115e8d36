"""The inventory's read API: today's rates, a piece's price, what the storefront shows.

The storefront (catalog) and the sales app read inventory through these functions.
Every query runs as the current shop (tenant_context), like all tenant-owned access.
"""

from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from back_office.inventory.models import MetalRate, Piece, PricingMode, Stone
from back_office.inventory.pricing import (
    PriceBreakdown,
    PriceInputs,
    Rate,
    StoneValue,
    price,
)
from back_office.tenants.context import require_tenant


def latest_rates(at=None) -> dict[str, MetalRate]:
    """Today's rate per metal: the latest one in force at `at` (default: now)."""
    at = at or timezone.now()
    in_force = MetalRate.objects.filter(effective_at__lte=at)
    latest = in_force.filter(metal=OuterRef("metal")).order_by("-effective_at", "-id")
    rows = in_force.filter(pk=Subquery(latest.values("pk")[:1]))
    return {rate.metal: rate for rate in rows}


def price_inputs(piece: Piece, rates: dict[str, MetalRate], discount=0) -> PriceInputs:
    tenant = require_tenant()
    rate = rates.get(piece.metal)
    return PriceInputs(
        currency=tenant.currency,
        tax_rate=Decimal(tenant.tax_rate),
        prices_include_tax=tenant.prices_include_tax,
        fixed_price=piece.tag_price
        if piece.pricing_mode == PricingMode.FIXED
        else None,
        net_weight_g=piece.net_weight_g,
        fineness=piece.fineness,
        rate=Rate(rate.rate_per_gram, rate.effective_at) if rate else None,
        making_charge_type=piece.making_charge_type,
        making_charge=piece.making_charge,
        stones=tuple(
            StoneValue(
                carats=stone.carats,
                value=stone.value,
                per_carat=stone.value_mode == Stone.ValueMode.PER_CARAT,
            )
            for stone in piece.stones.all()
        ),
        # Callers may pass 0 or a form's string; pricing works in Decimal only.
        discount=Decimal(discount),
    )


def price_of(piece: Piece, rates: dict[str, MetalRate] | None = None, discount=0):
    """The piece's price breakdown at today's rates (pass `rates` to price many)."""
    rates = latest_rates() if rates is None else rates
    return price(price_inputs(piece, rates, discount))


def priced(pieces, rates=None) -> list[tuple[Piece, PriceBreakdown | None]]:
    """Price a list of pieces with one rate lookup; None where a piece has no rate."""
    rates = latest_rates() if rates is None else rates
    result = []
    for piece in pieces:
        try:
            result.append((piece, price_of(piece, rates)))
        except ValueError:
            result.append((piece, None))
    return result
