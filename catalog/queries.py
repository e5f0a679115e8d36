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
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    When,
    prefetch_related_objects,
)
from wagtail.images import get_image_model

from back_office.inventory import queries as inventory
from back_office.inventory.errors import PricingError
from back_office.inventory.models import ON_HAND, Piece, PiecePhoto, Stone
from back_office.inventory.pricing import PriceBreakdown, round_money
from back_office.inventory.purity import fineness_ratio, purity_label
from back_office.tenancy.queries import in_shop_collection
from catalog import blocks, structured_data
from catalog.images import prefetch_photos, prefetch_renditions

NEWEST = 8
FEATURED = 12
RELATED = 4


def _priced(pieces, rates):
    """Pieces as cards show them: with their category and today's price."""
    return inventory.with_price_today(pieces, rates).select_related("category")


def featured_pieces(home, rates) -> list[Piece]:
    """The pieces the owner chose, in their order, that are still for sale; or, if
    none of them is and the page says so, the newest (one query, pricing only the
    pieces shown)."""
    from catalog.models import HomeFeaturedPiece

    shown = inventory.storefront_pieces()
    chosen = HomeFeaturedPiece.objects.filter(page=home, piece__in=shown)
    candidates = chosen.order_by("sort_order").values("piece_id")[:FEATURED]
    if home.show_newest_pieces:
        newest = shown.order_by("-created_at", "-id").values("pk")[:NEWEST]
        candidates = candidates.union(newest)
    place = chosen.filter(piece=OuterRef("pk")).values("sort_order")[:1]
    pieces = list(
        _priced(Piece.objects.filter(pk__in=candidates), rates)
        .annotate(place=Subquery(place, output_field=IntegerField()))
        .order_by(F("place").asc(nulls_last=True), "-created_at", "-id")
    )
    if pieces and pieces[0].place is not None:
        return [piece for piece in pieces if piece.place is not None]
    return pieces


@dataclass
class CategoryTile:
    name: str
    slug: str
    image: object | None
    cover_id: int | None = None  # of a photo of its newest piece on show


def featured_categories(home) -> list[CategoryTile]:
    """The owner's featured categories, each with its own image or, if it has
    none, the id of a photo of its newest piece on show (one query)."""
    newest_photo = (
        PiecePhoto.objects.filter(
            piece__category_id=OuterRef("category_id"),
            piece__in=inventory.storefront_pieces(),
        )
        .order_by("-piece__created_at", "sort_order")
        .values("image_id")[:1]
    )
    rows = home.featured_categories.select_related("category", "image").annotate(
        cover=Subquery(newest_photo)
    )
    return [
        CategoryTile(r.category.name, r.category.slug, r.image, r.cover) for r in rows
    ]


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


def stream_image_ids(stream) -> list[int]:
    """The ids of the images a page's body shows, read from its JSON (no query)."""
    ids = []
    for block in stream.raw_data:
        value = block["value"]
        if block["type"] == "image_and_text":
            ids.append(value.get("image"))
        elif block["type"] == "gallery":
            for item in value.get("images", []):
                # A list block's item is {"type": "item", "value": ...} (older
                # streams: the value alone).
                ids.append(item.get("value", item).get("image"))
    return [pk for pk in ids if pk]


def stream_images(stream) -> list:
    """The images a page's body shows, as its blocks hold them."""
    found = []
    for block in stream:
        value = block.value
        if block.block_type == "image_and_text" and value["image"]:
            found.append(value["image"])
        elif block.block_type == "gallery":
            found += [item["image"] for item in value["images"] if item["image"]]
    return found


def home_context(home, data, currency: str) -> dict:
    """Everything the home page shows besides the page's own fields (at most 6
    queries: featured pieces and their photos, tiles, every other image (hero,
    covers, the body's), a call to action's pages, and all the renditions at once).
    The hero's button leads to a live page of the shop's, from the route table."""
    pieces = featured_pieces(home, data.rates)
    prefetch_photos(pieces, renditions=False)
    tiles = featured_categories(home)
    wanted = [tile.cover_id for tile in tiles if not tile.image]
    wanted += [home.hero_image_id, *stream_image_ids(home.body)]
    images = (
        get_image_model()
        .objects.filter(in_shop_collection())
        .in_bulk([pk for pk in wanted if pk])
    )
    home.hero_image = images.get(home.hero_image_id)
    for tile in tiles:
        tile.image = tile.image or images.get(tile.cover_id)
    with blocks.loaded(images.values()):
        body_images = stream_images(home.body)
    shown = [photo.image for piece in pieces for photo in piece.photos.all()]
    shown += [tile.image for tile in tiles if tile.image]
    prefetch_renditions([*shown, home.hero_image, *body_images])
    routes = data.routes.values()
    return {
        "hero_url": next(
            (r.url for r in routes if r.page_id == home.hero_button_page_id), ""
        ),
        "rates": data.rates,
        "featured_pieces": pieces,
        "featured_categories": tiles,
        "rates_strip": rates_strip(data.purities, data.rates, currency),
    }


def piece_and_related(sku: str, rates) -> tuple[Piece | None, list[Piece]]:
    """The piece at this SKU if customers may see it or it was sold from the
    storefront, and the newest few others of its category on show: one query for
    them all, pricing only those rows, then their photos and the piece's stones (4
    queries)."""
    this = Piece.objects.filter(
        sku=sku, shown_on_storefront=True, status__in=[*ON_HAND, Piece.Status.SOLD]
    )
    related = (
        inventory.storefront_pieces()
        .filter(category_id=Subquery(this.values("category_id")[:1]))
        .exclude(sku=sku)
        .order_by("-created_at", "-id")
        .values("pk")[:RELATED]
    )
    rows = list(
        _priced(Piece.objects.filter(pk__in=this.values("pk").union(related)), rates)
        .select_related("branch")
        .annotate(
            this=Case(When(sku=sku, then=1), default=0, output_field=IntegerField())
        )
        .order_by("-this", "-created_at", "-id")
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
