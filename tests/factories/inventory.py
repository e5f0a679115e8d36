"""Inventory factories. Use inside tenant_context(tenant): rows belong to that shop.

A piece is made as the product makes one: received into stock through the service,
with its ledger entry (`PieceFactory()`); `PieceFactory.build()` is an unsaved piece
for a test to receive, import or post itself.
"""

from decimal import Decimal

import factory
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from back_office.inventory import services
from back_office.inventory.models import (
    Category,
    MetalRate,
    Piece,
    PiecePhoto,
    PricingMode,
    StockItem,
    StockUnit,
    Stone,
)
from back_office.inventory.purity import Metal
from back_office.tenants.models import Branch


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = "Rings"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


def _a_branch():
    from tests.factories.tenants import BranchFactory

    return Branch.objects.first() or BranchFactory()


class PieceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Piece

    sku = factory.Sequence(lambda n: f"R{n:05d}")
    title = factory.Sequence(lambda n: f"Gold ring {n}")
    category = factory.SubFactory(CategoryFactory)
    metal = Metal.GOLD
    fineness = 916
    net_weight_g = Decimal("4.800")
    gross_weight_g = factory.LazyAttribute(
        lambda piece: Decimal(piece.net_weight_g) + Decimal("0.400")
    )
    branch = factory.LazyFunction(_a_branch)
    cost = Decimal("300.00")
    pricing_mode = PricingMode.RATE
    making_charge_type = "percent"
    making_charge = Decimal("10.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.receive_piece(model_class(*args, **kwargs))


class StoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stone

    piece = factory.SubFactory(PieceFactory)
    kind = Stone.Kind.DIAMOND
    carats = Decimal("0.500")
    value = Decimal("800.00")


class StockItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockItem

    sku = factory.Sequence(lambda n: f"CH{n:04d}")
    title = factory.Sequence(lambda n: f"Silver chain 45 cm ({n})")
    category = factory.SubFactory(CategoryFactory, name="Chains")
    unit = StockUnit.PIECE
    metal = Metal.SILVER
    fineness = 925
    unit_price = Decimal("39.00")
    low_stock_threshold = Decimal("5")


class MetalRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetalRate

    metal = Metal.GOLD
    rate_per_gram = Decimal("65.0000")
    effective_at = factory.LazyFunction(timezone.now)
    source = "manual"


def piece_form(category, branch, **fields) -> dict[str, str]:
    """What the admin's add-piece form posts for a plain gold band, with `fields`
    changed (no stones, no photos unless given)."""
    return {
        "sku": "R1",
        "title": "Band",
        "category": category.pk,
        "branch": branch.pk,
        "metal": "gold",
        "purity": "gold:750",
        "gross_weight_g": "5",
        "net_weight_g": "4",
        "cost": "0",
        "pricing_mode": "rate",
        "making_charge_type": "percent",
        "making_charge": "10",
        "stones-TOTAL_FORMS": "0",
        "stones-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        **fields,
    }


def photo_of(piece: Piece) -> PiecePhoto:
    """A photo of the piece, in its shop's media collection."""
    image = get_image_model().objects.create(
        title=f"{piece.sku} photo",
        file=get_test_image_file(),
        collection=piece.tenant.collection,
    )
    return PiecePhoto.objects.create(piece=piece, image=image)
