"""Reads of the storefront's pages: the home page's featured things, a piece and
its neighbours, today's rates as the shop sells them, the sitemap's pieces.

Every read runs as the site's shop (the tenancy middleware's tenant_context). The
counts of queries are pinned by tests: each function says what it costs, and
photos of everything on a page are fetched together (images.prefetch_photos).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from wagtail.images import get_image_model

from back_office.inventory import queries as inventory
from back_office.inventory.errors import PricingError
from back_office.inventory.models import Piece, PiecePhoto, Stone
from back_office.inventory.pricing import PriceBreakdown, round_money
from back_office.inventory.purity import fineness_ratio, purity_label
from catalog import structured_data
from catalog.images import prefetch_photos, prefetch_renditions

NEWEST = 8
FEATURED = 12
RELATED = 4


def _priced(pieces, rates):
    """Pieces as cards show them: with their category and today's price."""
    return inventory.with_price_today(pieces, rates).select_related("category")


def featured_pieces(home, rates) -> list[Piece]:
    """The pieces the owner chose, in their order, that are still for sale; or, if
    none of them is and the page says so, the newest (one query)."""
    from catalog.models import HomeFeaturedPiece

    shown = inventory.storefront_pieces()
    chosen = HomeFeaturedPiece.objects.filter(page=home)
    place = chosen.filter(piece=OuterRef("pk")).values("sort_order")[:1]
    any_chosen = Exists(chosen.filter(piece__in=shown))
    newest = Q(Value(home.show_newest_pieces)) & ~Q(any_chosen)
    pieces = (
        _priced(shown, rates)
        .annotate(place=Subquery(place, output_field=IntegerField()))
        .filter(Q(place__isnull=False) | newest)
        .order_by(F("place").asc(nulls_last=True), "-created_at", "-id")
    )
    found = list(pieces[:FEATURED])
    return found if found and found[0].place is not None else found[:NEWEST]


@dataclass
class CategoryTile:
    name: str
    slug: str
    image: object | None


def featured_categories(home) -> list[CategoryTile]:
    """The owner's featured categories, each with its own image or a photo of its
    newest piece on show (one query, two with such photos)."""
    rows = list(home.featured_categories.select_related("category", "image"))
    tiles = [CategoryTile(r.category.name, r.category.slug, r.image) for r in rows]
    without = {
        r.category_id: tile for r, tile in zip(rows, tiles, strict=True) if not r.image
    }
    if without:
        newest_photo = (
            PiecePhoto.objects.filter(
                piece__category_id=OuterRef("category_id"),
                piece__in=inventory.storefront_pieces(),
            )
            .order_by("-piece__created_at", "sort_order")
            .values("image_id")[:1]
        )
        found = (
            home.featured_categories.filter(category_id__in=without)
            .annotate(cover=Subquery(newest_photo))
            .values_list("category_id", "cover")
        )
        images = get_image_model().objects.in_bulk([c for _, c in found if c])
        for category_id, cover in found:
            without[category_id].image = images.get(cover)
    return tiles


@dataclass(frozen=True)
class RateLine:
    purity: str
    rate_per_gram: Decimal  # of the alloy, rounded as a price: pure rate x fineness
    effective_at: datetime


def rates_strip(purities, rates, currency: str) -> list[RateLine]:
    """Today's rate per gram of each metal and purity the shop has on show."""
    return [
        RateLine(
            purity_label(metal, fineness),
            round_money(
                rates[metal].rate_per_gram * fineness_ratio(fineness), currency
            ),
            rates[metal].effective_at,
        )
        for metal, fineness in purities
        if metal in rates
    ]


def stream_images(stream) -> list:
    """The images a page's body shows (Wagtail loads them in one query)."""
    found = []
    for block in stream:
        value = block.value
        if block.block_type == "image_and_text" and value["image"]:
            found.append(value["image"])
        elif block.block_type == "gallery":
            found += [item["image"] for item in value["images"] if item["image"]]
    return found


def home_context(home, data, currency: str) -> dict:
    """Everything the home page shows besides the page's own fields (at most 7
    queries: featured pieces and their photos, tiles and their covers, the hero
    and the body's images, and all their renditions at once)."""
    pieces = featured_pieces(home, data.rates)
    prefetch_photos(pieces, renditions=False)
    tiles = featured_categories(home)
    images = [photo.image for piece in pieces for photo in piece.photos.all()]
    images += [tile.image for tile in tiles if tile.image]
    if home.hero_image_id:
        images.append(home.hero_image)
    images += stream_images(home.body)
    prefetch_renditions(images)
    return {
        "rates": data.rates,
        "featured_pieces": pieces,
        "featured_categories": tiles,
        "rates_strip": rates_strip(data.purities, data.rates, currency),
    }


def piece_and_related(sku: str, rates) -> tuple[Piece | None, list[Piece]]:
    """The piece at this SKU if customers may see it or it was sold from the
    storefront, and a few others of its category on show: one query for them all,
    then their photos and the piece's stones (4 queries)."""
    shown = inventory.storefront_pieces()
    sold = Piece.objects.filter(status=Piece.Status.SOLD, shown_on_storefront=True)
    category = Piece.objects.filter(sku=sku).values("category_id")[:1]
    rows = list(
        _priced(
            Piece.objects.filter(
                Q(sku=sku, pk__in=shown.values("pk"))
                | Q(sku=sku, pk__in=sold.values("pk"))
                | Q(pk__in=shown.values("pk"), category_id=Subquery(category))
            ),
            rates,
        )
        .select_related("branch")
        .annotate(
            this=Case(When(sku=sku, then=1), default=0, output_field=IntegerField())
        )
        .order_by("-this", "-created_at", "-id")[: RELATED + 1]
    )
    if not rows or rows[0].sku != sku:
        return None, []
    piece = rows[0]
    prefetch_related_objects(
        [piece], Prefetch("stones", queryset=Stone.objects.order_by("sort_order"))
    )
    prefetch_photos(rows)
    return piece, rows[1:]


@dataclass(frozen=True)
class PricedPiece:
    piece: Piece
    breakdown: PriceBreakdown | None  # None: no rate for its metal yet


def priced(piece: Piece, rates) -> PricedPiece:
    try:
        return PricedPiece(piece, inventory.price_of(piece, rates))
    except PricingError:
        return PricedPiece(piece, None)


def sitemap_pieces():
    """(sku, updated_at) of every piece on show, for the sitemap."""
    return (
        inventory.storefront_pieces()
        .order_by("sku")
        .values_list("sku", "updated_at")
        .iterator(chunk_size=2000)
    )


def store_data(request, data) -> dict:
    """The home page's JewelryStore: the shop, where it is and when it opens."""
    tenant = request.tenant
    branding = data.branding
    return structured_data.jewelry_store(
        branding.display_name or tenant.name,
        request.build_absolute_uri("/"),
        branding,
        data.hours,
        request.build_absolute_uri(data.logo_url) if data.logo_url else "",
    )


def reservation(reference: str):
    """A reservation by the reference its customer was given."""
    from back_office.sales.models import Reservation

    return (
        Reservation.objects.select_related("piece", "branch")
        .filter(reference=reference)
        .first()
    )


def piece_pages(tenant) -> str:
    """Where the shop's pieces' pages start, on its first hostname:
    "https://aurum.example/catalog/", or "" without a live catalogue."""
    from wagtail.models import Site

    from catalog.models import CatalogPage

    site = Site.objects.filter(root_page_id=tenant.home_page_id).order_by("pk").first()
    catalog = CatalogPage.objects.live().child_of(tenant.home_page).first()
    if site is None or catalog is None:
        return ""
    return site.root_url + catalog.url_path[len(tenant.home_page.url_path) - 1 :]
