import re
from decimal import Decimal

import pytest

from back_office.inventory import services
from back_office.inventory.models import Category, Piece, PricingMode, Stone
from back_office.inventory.purity import Metal
from back_office.tenancy.context import tenant_context
from tests.factories.catalog import make_shop_site
from tests.factories.inventory import PieceFactory, StoneFactory
from tests.factories.tenants import BranchFactory

HOST = "aurum.localhost"
CARD = re.compile(r'class="card__link" href="/catalog/([^"]+)/"')


def skus_on(response) -> list[str]:
    """The SKUs of the piece cards a page shows, in order."""
    return CARD.findall(response.content.decode())


@pytest.fixture
def aurum_site(db):
    return make_shop_site("aurum")


@pytest.fixture
def luna_site(db):
    return make_shop_site("luna", currency="EUR")


@pytest.fixture
def get(client):
    def get(path, host=HOST, **extra):
        return client.get(path, HTTP_HOST=host, **extra)

    return get


@pytest.fixture
def stock(aurum_site):
    """Aurum's pieces, priced at gold 80.00/g and silver 1.00/g, 3 % tax:

    R1  Solitaire ring, 18K yellow, 4 g, 10 %, natural diamond 0.5 ct at 800
        240.00 + 24.00 + 800.00 = 1,064.00, +3 % = 1,095.92
    R2  Ruby band, 14K rose, 3 g, 10 %, lab-grown ruby at 200
        140.40 + 14.04 + 200.00 = 354.44, +3 % = 365.07
    N1  Pearl necklace, sterling silver, 20 g, 2.00/g, natural pearl at 100
        18.50 + 40.00 + 100.00 = 158.50, +3 % = 163.26
    N2  Gold chain, 22K yellow, 10 g, tag price 900 before tax, at the Mall: 927.00
    R3  Reserved ring (18K white, 2 g, 10 %): 132.00 +3 % = 135.96, reserved
    H1  hidden from the storefront; S1 sold.
    """
    with tenant_context(aurum_site):
        rings = Category.objects.create(name="Rings", slug="rings")
        necklaces = Category.objects.create(name="Necklaces", slug="necklaces")
        mall = BranchFactory(name="Riverside Mall", code="MALL")
        common = {"making_charge_type": "percent", "making_charge": Decimal("10")}
        r1 = PieceFactory(
            sku="R1",
            title="Solitaire ring",
            category=rings,
            fineness=750,
            colour="yellow",
            net_weight_g=Decimal("4"),
            **common,
        )
        StoneFactory(
            piece=r1,
            kind=Stone.Kind.DIAMOND,
            carats=Decimal("0.5"),
            value=Decimal("800"),
            certificate_lab="GIA",
            certificate_number="2211",
        )
        r2 = PieceFactory(
            sku="R2",
            title="Ruby band",
            category=rings,
            fineness=585,
            colour="rose",
            net_weight_g=Decimal("3"),
            **common,
        )
        StoneFactory(
            piece=r2,
            kind=Stone.Kind.RUBY,
            origin=Stone.Origin.LAB_GROWN,
            carats=Decimal("0.3"),
            value=Decimal("200"),
        )
        n1 = PieceFactory(
            sku="N1",
            title="Pearl necklace",
            category=necklaces,
            metal=Metal.SILVER,
            fineness=925,
            colour="natural",
            net_weight_g=Decimal("20"),
            making_charge_type="per_gram",
            making_charge=Decimal("2"),
        )
        StoneFactory(
            piece=n1, kind=Stone.Kind.PEARL, carats=Decimal("0"), value=Decimal("100")
        )
        PieceFactory(
            sku="N2",
            title="Gold chain",
            category=necklaces,
            fineness=916,
            colour="yellow",
            net_weight_g=Decimal("10"),
            branch=mall,
            pricing_mode=PricingMode.FIXED,
            tag_price=Decimal("900"),
        )
        r3 = PieceFactory(
            sku="R3",
            title="Reserved ring",
            category=rings,
            fineness=750,
            colour="white",
            net_weight_g=Decimal("2"),
            **common,
        )
        services.move_piece(r3, "reserved", reason="test")
        PieceFactory(
            sku="H1", title="Hidden ring", category=rings, shown_on_storefront=False
        )
        s1 = PieceFactory(sku="S1", title="Sold ring", category=rings)
        services.move_piece(s1, "sold", reference="1")
    return aurum_site


def pieces_of(tenant):
    with tenant_context(tenant):
        return {piece.sku: piece for piece in Piece.objects.all()}
