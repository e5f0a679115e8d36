"""Cold storefront pages (the page cache off) run a fixed number of queries, at
most 10, however many pieces the shop has."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from back_office.inventory.models import Category, PiecePhoto
from back_office.tenancy.context import tenant_context
from catalog.models import HomeFeaturedCategory
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
    about = content_page(stock, "About us", slug="about")
    with tenant_context(stock):
        photos = [photo_of(piece) for piece in stock_pieces()]
        dress_the_home_page(stock.home_page.specific, about, photos)
    return stock


def dress_the_home_page(home, about, photos):
    """Everything a home page can show: a hero with its image and button, featured
    categories (one with its own image, one with its newest piece's photo), and a
    body with an image and text, a gallery and a call to action."""
    image = [photo.image for photo in photos]
    home.hero_image = image[0]
    home.hero_button_label = "About us"
    home.hero_button_page = about
    home.featured_categories.add(
        HomeFeaturedCategory(category=Category.objects.get(slug="rings"))
    )
    home.featured_categories.add(
        HomeFeaturedCategory(
            category=Category.objects.get(slug="necklaces"), image=image[1]
        )
    )
    home.body = json.dumps(
        [
            {
                "type": "image_and_text",
                "value": {"image": image[2].pk, "alt": "", "text": "<p>Ours</p>"},
            },
            {
                "type": "gallery",
                "value": {
                    "heading": "The workshop",
                    "images": [
                        {
                            "type": "item",
                            "value": {"image": i.pk, "caption": ""},
                            "id": f"item-{i.pk}",
                        }
                        for i in image[3:5]
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Visit",
                    "text": "",
                    "label": "About us",
                    "page": about.pk,
                },
            },
        ]
    )
    home.save_revision().publish()


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


def test_the_dressed_home_page_shows_all_it_was_given(get, cold):
    content = get("/").content.decode()

    assert 'class="hero hero--image"' in content
    assert 'href="/about/"' in content  # the hero's button and the call to action
    assert "<h2>The workshop</h2>" in content
    assert content.count("<li><figure>") == 2  # both photos of the gallery
    assert "Ours" in content
    assert "Rings" in content
    assert "Necklaces" in content
