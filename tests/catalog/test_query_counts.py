"""Cold storefront pages (the page cache off) run a fixed number of queries, at
most 10, however many pieces the shop has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from back_office.inventory.models import PiecePhoto
from back_office.tenancy.context import tenant_context
from tests.factories.catalog import content_page
from tests.factories.inventory import PieceFactory, StoneFactory, photo_of

PAGES = [
    "/",
    "/catalog/",
    "/catalog/?metal=gold&stone=diamond&max=5000&sort=price",
    "/catalog/?q=ring",
    "/catalog/R1/",
    "/catalog/S1/",
    "/about/",
    "/sitemap.xml",
]


def queries_of(get, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = get(path)
    assert response.status_code in {200, 410}, path
    return len(captured)


@pytest.fixture
def cold(settings, stock):
    settings.KARAT_STOREFRONT_CACHE = False
    content_page(stock, "About us", slug="about")
    with tenant_context(stock):
        for piece in stock_pieces():
            photo_of(piece)
    return stock


def stock_pieces():
    from back_office.inventory.models import Piece

    return Piece.objects.filter(shown_on_storefront=True)


def more_pieces(tenant, count):
    """More diamond rings, each with a photo (one image for them all)."""
    with tenant_context(tenant):
        image = PiecePhoto.objects.first().image
        for _ in range(count):
            piece = PieceFactory(title="Diamond ring")
            StoneFactory(piece=piece)
            PiecePhoto.objects.create(piece=piece, image=image)


@pytest.mark.parametrize("path", PAGES)
def test_a_cold_page_runs_at_most_10_queries(get, cold, path):
    get(path)  # the hostname's shop is remembered from the first request on

    assert queries_of(get, path) <= 10


@pytest.mark.slow
def test_the_query_count_does_not_grow_with_the_stock(get, cold):
    for path in PAGES:
        get(path)
    few = {path: queries_of(get, path) for path in PAGES}

    more_pieces(cold, 995)
    many = {path: queries_of(get, path) for path in PAGES}

    assert many == few
