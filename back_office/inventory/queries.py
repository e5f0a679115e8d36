"""Reads of the inventory that several screens, tasks and other apps share: today's
rates, a piece's price, the stock's value.

Every query runs as the current shop (tenant_context), like all tenant-owned access.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from back_office.inventory.models import (
    ON_HAND,
    MetalRate,
    Piece,
    PricingMode,
    RateFeed,
    StockItem,
    Stone,
)
from back_office.inventory.pricing import (
    PriceInputs,
    Rate,
    StoneValue,
    minor_unit,
    price,
    round_money,
)
from back_office.tenancy.context import require_tenant
from back_office.tenants.models import Branch


def storefront_pieces():
    """The pieces a shop's customers may see: shown on the storefront, and in the
    shop (in stock, or reserved and back on sale if the hold lapses)."""
    return Piece.objects.filter(shown_on_storefront=True, status__in=ON_HAND)


def standing_rates():
    """The rate history as pricing reads it: a corrected rate gives way to its
    correction."""
    return MetalRate.objects.filter(correction__isnull=True)


def latest_rates(at=None) -> dict[str, MetalRate]:
    """Today's rate per metal: the latest one in force at `at` (default: now)."""
    at = at or timezone.now()
    in_force = standing_rates().filter(effective_at__lte=at)
    latest = in_force.filter(metal=OuterRef("metal")).order_by("-effective_at", "-id")
    rows = in_force.filter(pk=Subquery(latest.values("pk")[:1]))
    return {rate.metal: rate for rate in rows}


def rate_ages(now=None) -> dict[str, float]:
    """Seconds since the current shop's rate per metal took effect."""
    now = now or timezone.now()
    return {
        metal: (now - rate.effective_at).total_seconds()
        for metal, rate in latest_rates(at=now).items()
    }


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


def price_terms(piece: Piece) -> dict[str, str]:
    """What the piece's price is made of besides the day's rate, as text: a change
    to any of these is a price change, recorded in the shop's history."""
    stones = "; ".join(
        f"{stone.carats} ct at {stone.value} {stone.get_value_mode_display()}"
        for stone in piece.stones.all()
    )
    return {
        "pricing": piece.get_pricing_mode_display(),
        "tag price": "" if piece.tag_price is None else str(piece.tag_price),
        "metal": f"{piece.get_metal_display()} {piece.fineness}",
        "net weight (g)": str(piece.net_weight_g),
        "making charge": (
            f"{piece.making_charge} {piece.get_making_charge_type_display()}"
        ),
        "stones": stones,
    }


def feed_terms(feed: RateFeed) -> dict[str, str]:
    """Where the shop's rates come from, as text, for its history."""
    return {
        "provider URL": feed.url or "the platform's provider",
        "enabled": "yes" if feed.enabled else "no",
        "largest plausible change (%)": str(feed.max_change_percent),
    }


def price_of(piece: Piece, rates: dict[str, MetalRate] | None = None, discount=0):
    """The piece's price breakdown at today's rates (pass `rates` to price many)."""
    rates = latest_rates() if rates is None else rates
    return price(price_inputs(piece, rates, discount))


@dataclass(frozen=True)
class StockValue:
    branch: str
    metal: str
    pure_weight_g: Decimal
    value: Decimal | None  # None when the metal has no rate yet


def stock_value_by_branch_and_metal(rates=None) -> list[StockValue]:
    """The metal in stock, per branch and metal, valued at today's rates."""
    rates = latest_rates() if rates is None else rates
    currency = require_tenant().currency
    rows = (
        Piece.objects.filter(status__in=ON_HAND)
        .values("branch__name", "metal")
        .annotate(pure_milligrams=Sum(F("net_weight_g") * F("fineness")))
        .order_by("branch__name", "metal")
    )
    result = []
    for row in rows:
        pure = row["pure_milligrams"] / 1000
        rate = rates.get(row["metal"])
        value = round_money(pure * rate.rate_per_gram, currency) if rate else None
        result.append(StockValue(row["branch__name"], row["metal"], pure, value))
    return result


def pieces_by_status() -> dict[str, int]:
    counts = Piece.objects.values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in counts}


def low_stock_items():
    """Quantity items whose stock over all branches is below their threshold."""
    return (
        StockItem.objects.annotate(
            on_hand=Coalesce(Sum("levels__quantity"), Decimal(0))
        )
        .filter(low_stock_threshold__gt=0, on_hand__lt=F("low_stock_threshold"))
        .order_by("on_hand")
    )


PRICE = DecimalField(max_digits=20, decimal_places=6)


def with_price_today(pieces, rates=None):
    """Annotate `price_today`: what the customer pays for each piece today (its
    total, tax included, as its tag shows it), computed in SQL with the formula of
    pricing.price, so a listing can filter and sort by price. A rate-priced piece
    whose metal has no rate gets NULL."""
    rates = latest_rates() if rates is None else rates
    tenant = require_tenant()
    rate = Case(
        *[When(metal=metal, then=Value(r.rate_per_gram)) for metal, r in rates.items()],
        default=None,
        output_field=PRICE,
    )
    net = F("net_weight_g")
    metal_value = ExpressionWrapper(
        net * F("fineness") * rate / 1000, output_field=PRICE
    )
    making = Case(
        When(making_charge_type="per_gram", then=F("making_charge") * net),
        When(making_charge_type="percent", then=metal_value * F("making_charge") / 100),
        default=F("making_charge"),
        output_field=PRICE,
    )
    stone_amounts = (
        Stone.objects.filter(piece=OuterRef("pk"))
        .annotate(
            amount=Case(
                When(
                    value_mode=Stone.ValueMode.PER_CARAT, then=F("carats") * F("value")
                ),
                default=F("value"),
                output_field=PRICE,
            )
        )
        .values("piece")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    stones = Coalesce(Subquery(stone_amounts, output_field=PRICE), Value(Decimal(0)))
    with_tax = Value(Decimal(1 + tenant.tax_rate / 100))
    # A fixed tag price is entered with the tax in it, or before tax (the shop says).
    fixed = F("tag_price") if tenant.prices_include_tax else F("tag_price") * with_tax
    price = Case(
        When(pricing_mode=PricingMode.FIXED, then=fixed),
        default=ExpressionWrapper(
            (metal_value + making + stones) * with_tax, output_field=PRICE
        ),
        output_field=PRICE,
    )
    # Rounded like the tag, so "up to 1,250.00" includes a piece shown at 1,250.00.
    places = -minor_unit(tenant.currency).as_tuple().exponent
    return pieces.annotate(price_today=Round(price, places, output_field=PRICE))


# Stock count


@dataclass
class CountResult:
    """What scanning a branch's pieces found."""

    branch: Branch
    counted: list[Piece] = field(default_factory=list)
    missing: list[Piece] = field(default_factory=list)  # should be here, not scanned
    misplaced: list[Piece] = field(default_factory=list)  # scanned, belongs elsewhere
    unexpected: list[str] = field(default_factory=list)  # scanned, not in stock at all
    repeated: dict[str, int] = field(default_factory=dict)  # SKU -> times scanned

    @property
    def is_clean(self) -> bool:
        return not (self.missing or self.misplaced or self.unexpected)

    def as_record(self) -> dict:
        """The result as it is kept (StockCount.found): SKUs with the titles and
        branches of the moment."""

        def pieces(found):
            return [{"sku": p.sku, "title": p.title} for p in found]

        return {
            "counted": pieces(self.counted),
            "missing": pieces(self.missing),
            "misplaced": [
                {"sku": p.sku, "title": p.title, "recorded_at": str(p.branch)}
                for p in self.misplaced
            ],
            "unexpected": self.unexpected,
            "repeated": self.repeated,
        }


def count_stock(branch: Branch, scanned_skus: list[str]) -> CountResult:
    """Compare the SKUs scanned at a branch with what the ledger says is there."""
    scans = [sku.strip().upper() for sku in scanned_skus if sku.strip()]
    scanned = set(scans)
    result = CountResult(
        branch=branch,
        repeated={sku: n for sku, n in sorted(Counter(scans).items()) if n > 1},
    )
    expected = Piece.objects.filter(branch=branch, status__in=ON_HAND)
    for piece in expected.order_by("sku"):
        (result.counted if piece.sku in scanned else result.missing).append(piece)
    known = {
        p.sku: p
        for p in Piece.objects.select_related("branch").filter(
            sku__in=scanned, status__in=ON_HAND
        )
    }
    for sku in sorted(scanned):
        piece = known.get(sku)
        if piece is None:
            result.unexpected.append(sku)
        elif piece.branch_id != branch.pk:
            result.misplaced.append(piece)
    return result
