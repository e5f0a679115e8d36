"""The demo shops' stock: categories, pieces with stones and photos, quantity stock,
the metal rates of the last months and a few transfers. Repeatable: the same shop
gets the same stock on every machine; a shop that already has pieces is left
alone."""

import io
import random
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.images import ImageFile
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.images.models import Image

from back_office.inventory import services
from back_office.inventory.models import (
    Category,
    MakingChargeType,
    MetalRate,
    Piece,
    PiecePhoto,
    PricingMode,
    StockItem,
    StockMovement,
    StockUnit,
    Stone,
)
from back_office.inventory.purity import Metal, purity_label
from back_office.tenants.models import Branch, Tenant
from demo.photos import draw_piece

CATEGORIES = [
    "Rings",
    "Necklaces",
    "Pendants",
    "Earrings",
    "Bracelets",
    "Bangles",
    "Chains",
]

# Today's rate per gram of the pure metal, per currency (close to market levels).
RATES = {
    "USD": {Metal.GOLD: "86.40", Metal.SILVER: "1.02", Metal.PLATINUM: "31.50"},
    "EUR": {Metal.GOLD: "79.80", Metal.SILVER: "0.94", Metal.PLATINUM: "29.10"},
}

# (category, metal, fineness, colour, net weight range in g, stone or None)
DESIGNS = [
    ("Rings", Metal.GOLD, 750, "yellow", (2.5, 5.5), Stone.Kind.DIAMOND),
    ("Rings", Metal.GOLD, 750, "white", (2.8, 4.5), Stone.Kind.DIAMOND),
    ("Rings", Metal.PLATINUM, 950, "platinum", (4.0, 7.0), Stone.Kind.DIAMOND),
    ("Rings", Metal.GOLD, 585, "rose", (2.0, 3.5), Stone.Kind.RUBY),
    ("Rings", Metal.GOLD, 916, "yellow", (4.0, 9.0), None),
    ("Necklaces", Metal.GOLD, 916, "yellow", (12.0, 30.0), None),
    ("Necklaces", Metal.SILVER, 925, "silver", (8.0, 20.0), Stone.Kind.PEARL),
    ("Pendants", Metal.GOLD, 750, "white", (1.5, 3.5), Stone.Kind.SAPPHIRE),
    ("Pendants", Metal.GOLD, 375, "yellow", (1.0, 2.5), Stone.Kind.EMERALD),
    ("Earrings", Metal.GOLD, 585, "yellow", (1.5, 4.0), Stone.Kind.DIAMOND),
    ("Earrings", Metal.SILVER, 925, "silver", (2.0, 5.0), None),
    ("Bracelets", Metal.GOLD, 750, "rose", (6.0, 14.0), None),
    ("Bangles", Metal.GOLD, 916, "yellow", (10.0, 25.0), None),
    ("Bangles", Metal.SILVER, 925, "silver", (15.0, 30.0), Stone.Kind.SAPPHIRE),
    ("Chains", Metal.GOLD, 916, "yellow", (5.0, 20.0), None),
    ("Chains", Metal.GOLD, 750, "white", (3.0, 10.0), None),
]
TITLES = {
    "Rings": ["Solitaire ring", "Halo ring", "Band", "Cocktail ring", "Signet ring"],
    "Necklaces": ["Rope necklace", "Pearl strand", "Collar necklace"],
    "Pendants": ["Drop pendant", "Heart pendant", "Locket"],
    "Earrings": ["Stud earrings", "Hoop earrings", "Drop earrings"],
    "Bracelets": ["Tennis bracelet", "Link bracelet"],
    "Bangles": ["Plain bangle", "Kada", "Stone-set bangle"],
    "Chains": ["Curb chain", "Box chain", "Figaro chain", "Rope chain"],
}


def _d(value: float, places: str = "0.001") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


def seed_rates(tenant: Tenant, rng: random.Random) -> None:
    """Daily rates ending today, drifting like a real market: thirty days, or as
    many as the sales history goes back (DEMO_SALES_DAYS), from a day earlier."""
    if MetalRate.objects.exists():
        return
    now = timezone.now().replace(hour=9, minute=30, second=0, microsecond=0)
    days = max(30, settings.DEMO_SALES_DAYS + 1)
    for metal, today in RATES.get(tenant.currency, RATES["USD"]).items():
        rate = Decimal(today) * Decimal("0.96")
        daily = []
        for day in range(days, -1, -1):
            rate *= Decimal(str(1 + rng.gauss(0.0013, 0.006)))
            daily.append((now - timedelta(days=day), rate))
        scale = Decimal(today) / daily[-1][1]  # end exactly on today's figure
        for effective_at, value in daily:
            services.record_rate(metal, value * scale, effective_at, "demo")


def photo(tenant, category, colour, stone, seed, title) -> Image:
    """A drawn photo of a piece of `category`, in the shop's collection."""
    image = Image(title=title, collection=tenant.collection)
    png = draw_piece(category.lower(), colour, stone, seed)
    image.file = ImageFile(io.BytesIO(png), name=f"{tenant.slug}-{seed}.png")
    image.save()
    return image


def ensure_categories() -> dict[str, Category]:
    return {
        name: Category.objects.get_or_create(
            slug=name.lower(), defaults={"name": name}
        )[0]
        for name in CATEGORIES
    }


def design_of(number: int) -> tuple:
    """The DESIGNS row of the shop's piece `number` (counted from 1)."""
    return DESIGNS[(number - 1) % len(DESIGNS)]


def receive_piece(
    tenant: Tenant, number: int, rng: random.Random, categories, branches
) -> Piece:
    """The shop's piece `number`, made up from its design and taken into stock
    through the inventory's service, with its stone (if its design has one)."""
    category, metal, fineness, colour, weights, stone_kind = design_of(number)
    net = _d(rng.uniform(*weights))
    title = f"{rng.choice(TITLES[category])} in {purity_label(metal, fineness)}"
    fixed = rng.random() < 0.2
    piece = Piece(
        sku=f"{tenant.slug[:3].upper()}-{number:04d}",
        title=title,
        description=f"{title}, {net} g net, made in our workshop.",
        category=categories[category],
        metal=metal,
        fineness=fineness,
        colour=colour if colour in {"yellow", "white", "rose"} else "natural",
        net_weight_g=net,
        gross_weight_g=net + (_d(rng.uniform(0.1, 0.6)) if stone_kind else 0),
        hallmark=f"HM{rng.randrange(10**5, 10**6)}" if metal == Metal.GOLD else "",
        size=str(rng.randint(48, 62)) if category == "Rings" else "",
        branch=rng.choice(branches),
        cost=_d(rng.uniform(80, 2400), "0.01"),
        pricing_mode=PricingMode.FIXED if fixed else PricingMode.RATE,
        tag_price=_d(rng.uniform(150, 3500), "1.00") if fixed else None,
        making_charge_type=rng.choice(list(MakingChargeType.values)),
        making_charge=_d(rng.choice([8, 10, 12, 14, 18]), "0.01"),
    )
    if piece.making_charge_type == MakingChargeType.FIXED:
        piece.making_charge = _d(rng.choice([40, 60, 90, 120]), "0.01")
    services.receive_piece(piece, reference="OPENING")
    if stone_kind:
        carats = _d(rng.choice([0.25, 0.3, 0.5, 0.7, 1.0, 1.2]))
        Stone.objects.create(
            piece=piece,
            kind=stone_kind,
            origin=rng.choice([Stone.Origin.NATURAL, Stone.Origin.LAB_GROWN]),
            shape=rng.choice(["Round", "Oval", "Princess", "Pear", "Cushion"]),
            carats=carats,
            colour_grade=rng.choice(["D", "E", "F", "G", "H"])
            if stone_kind == Stone.Kind.DIAMOND
            else "",
            clarity_grade=rng.choice(["IF", "VVS1", "VS1", "VS2", "SI1"])
            if stone_kind == Stone.Kind.DIAMOND
            else "",
            certificate_lab=rng.choice(["GIA", "IGI", "HRD"])
            if stone_kind == Stone.Kind.DIAMOND
            else "",
            certificate_number=str(rng.randrange(10**9, 10**10))
            if stone_kind == Stone.Kind.DIAMOND
            else "",
            value_mode=Stone.ValueMode.PER_CARAT,
            value=_d(rng.choice([900, 1500, 2800, 4200]), "0.01"),
        )
    return piece


def seed_pieces(tenant: Tenant, rng: random.Random) -> None:
    if Piece.objects.exists():
        return
    categories = ensure_categories()
    branches = list(Branch.objects.order_by("code"))
    for number in range(1, settings.DEMO_PIECES_PER_SHOP + 1):
        category, _metal, _fineness, colour, _weights, stone_kind = design_of(number)
        piece = receive_piece(tenant, number, rng, categories, branches)
        PiecePhoto.objects.create(
            piece=piece,
            image=photo(tenant, category, colour, stone_kind, number, piece.title),
        )
    # A few pieces moved between branches, one sold, one on memo.
    pieces = list(Piece.objects.order_by("sku"))
    for piece in pieces[:4]:
        other = next(b for b in branches if b.pk != piece.branch_id)
        services.transfer_piece(piece, other, reason="Window display")
    services.move_piece(pieces[5], StockMovement.Kind.SOLD, reference="DEMO-SALE")
    services.move_piece(
        pieces[6], StockMovement.Kind.MEMO_OUT, reason="On approval with a customer"
    )


def seed_quantity_stock(tenant: Tenant) -> None:
    if StockItem.objects.exists():
        return
    chains = Category.objects.get(slug="chains")
    branches = list(Branch.objects.order_by("code"))
    for sku, title, unit, price, threshold, quantities in [
        (
            "SC-45",
            "Sterling silver curb chain 45 cm",
            StockUnit.PIECE,
            "39.00",
            5,
            (12, 3),
        ),
        (
            "SC-50",
            "Sterling silver box chain 50 cm",
            StockUnit.PIECE,
            "45.00",
            5,
            (4, 0),
        ),
        (
            "SW-G",
            "Sterling silver wire (by gram)",
            StockUnit.GRAM,
            "1.90",
            100,
            (250, 80),
        ),
        (
            "MELEE",
            "Diamond melee 1.3 mm (by carat)",
            StockUnit.CARAT,
            "650.00",
            2,
            (3.5, 0),
        ),
    ]:
        item = StockItem.objects.create(
            sku=sku,
            title=title,
            category=chains,
            unit=unit,
            metal=Metal.SILVER if sku.startswith("S") else "",
            fineness=925 if sku.startswith("S") else None,
            unit_price=Decimal(price),
            low_stock_threshold=Decimal(threshold),
        )
        for branch, quantity in zip(branches, quantities, strict=False):
            if quantity:
                services.receive_stock(item, branch, _d(quantity), reference="OPENING")


def seed_inventory(tenant: Tenant) -> None:
    """Run inside tenant_context(tenant)."""
    rng = random.Random(tenant.slug)
    seed_rates(tenant, rng)
    seed_pieces(tenant, rng)
    seed_quantity_stock(tenant)


@contextmanager
def search_index_not_updated():
    """Saves write no search entry (the backends' AUTO_UPDATE off)."""
    backends = {
        name: {**params, "AUTO_UPDATE": False}
        for name, params in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        yield
