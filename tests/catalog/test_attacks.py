"""What an attack review of the storefront found, each held here: a Redis filled
with random query strings, inputs that answered 500, limits a network could walk
around, and changes the caches did not see."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction, Site
from wagtail.rich_text import RichText

from back_office.inventory import services
from back_office.inventory.purity import Metal
from back_office.sales.models import Reservation
from back_office.tenancy.context import tenant_context
from catalog import shop_data, views
from catalog.models import CatalogPage
from tests.catalog.conftest import skus_on
from tests.factories.catalog import content_page
from tests.factories.inventory import PieceFactory


def kept_pages() -> int:
    return len(cache.keys("storefront:page:*"))


def test_random_query_strings_make_no_cache_entries(get, stock):
    for _ in range(2):  # learn the hostname, then keep the page
        get("/catalog/")
    before = kept_pages()

    for i in range(10):
        get(f"/catalog/?utm_source={i}")
        get(f"/brand.css?v=1&x={i}")
        get(f"/?fbclid={i}")

    assert kept_pages() == before


def test_the_same_selection_in_another_order_is_one_entry(get, stock):
    get("/catalog/?metal=gold&sort=price")
    get("/catalog/?metal=gold&sort=price")
    before = kept_pages()

    get("/catalog/?sort=price&metal=gold&metal=gold")

    assert kept_pages() == before


@pytest.mark.parametrize("bad", ["1e-20000", "1e5", "٣٠٠", "0x10", "1.23456"])
def test_a_price_in_scientific_or_foreign_notation_is_refused_not_a_500(
    get, stock, bad
):
    response = get("/catalog/", data={"min": bad})

    assert response.status_code == 200
    assert "Enter an amount" in response.content.decode()


def test_one_ipv6_network_counts_as_one_sender(client, stock, monkeypatch):
    monkeypatch.setattr(views, "RESERVE_ATTEMPTS_PER_HOUR", 2)
    for device in range(1, 4):
        response = client.post(
            "/catalog/R1/reserve/",
            {"name": ""},
            HTTP_HOST="aurum.localhost",
            REMOTE_ADDR=f"2001:db8:0:1::{device:x}",
        )

    assert response.status_code == 429


def test_the_shop_takes_only_so_many_reservations_an_hour(client, stock, monkeypatch):
    monkeypatch.setattr(views, "SHOP_RESERVATIONS_PER_HOUR", 0)

    response = client.post(
        "/catalog/R1/reserve/", {"name": "Bot"}, HTTP_HOST="aurum.localhost"
    )

    assert response.status_code == 429
    assert "a great many reservations" in response.content.decode()
    with tenant_context(stock):
        assert not Reservation.objects.exists()


def test_a_private_page_opens_with_its_password(client, stock):
    page = content_page(stock, "Trade prices", slug="trade")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="gold"
    )
    form = client.get("/trade/", HTTP_HOST="aurum.localhost").content.decode()
    action = form.split('action="', 1)[1].split('"', 1)[0]

    response = client.post(
        action,
        {"password": "gold", "return_url": "/trade/"},
        HTTP_HOST="aurum.localhost",
    )

    assert response.status_code == 302
    opened = client.get("/trade/", HTTP_HOST="aurum.localhost")
    assert "<h1>Trade prices</h1>" in opened.content.decode()


def test_a_private_catalogue_keeps_its_pieces_out_of_the_sitemap(get, stock):
    catalogue = CatalogPage.objects.get()
    PageViewRestriction.objects.create(
        page=catalogue, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    content = get("/sitemap.xml").content.decode()

    assert "/catalog/R1/" not in content


def test_a_sku_with_a_dot_has_its_page(get, stock):
    with tenant_context(stock):
        PieceFactory(sku="RG.22", title="Dotted ring")

    assert get("/catalog/RG.22/").status_code == 200


def test_robots_and_the_sitemap_answer_head(client, stock):
    for path in ("/robots.txt", "/sitemap.xml", "/brand.css"):
        assert client.head(path, HTTP_HOST="aurum.localhost").status_code == 200


def test_a_rate_entered_ahead_of_time_bounds_how_long_the_shop_data_lives(stock):
    with tenant_context(stock):
        soon = timezone.now() + datetime.timedelta(seconds=90)
        services.record_rate(Metal.GOLD, Decimal("95.00"), soon, "test")

        assert shop_data._lifetime() <= 91


def test_a_hostname_given_up_answers_no_more(
    get, stock, django_capture_on_commit_callbacks
):
    get("/catalog/")
    get("/catalog/")
    site = Site.objects.get(hostname="aurum.localhost")
    site.hostname = "aurum-jewellers.localhost"

    with django_capture_on_commit_callbacks(execute=True):
        site.save()

    assert get("/catalog/").status_code == 404
    assert get("/catalog/", host="aurum-jewellers.localhost").status_code == 200


def test_a_deleted_image_leaves_the_kept_pages(
    get, stock, django_capture_on_commit_callbacks
):
    with tenant_context(stock):
        image = get_image_model().objects.create(
            title="hero", file=get_test_image_file(), collection=stock.collection
        )
    home = stock.home_page.specific
    home.hero_image = image
    home.hero_heading = "With a hero"
    with tenant_context(stock):
        home.save_revision().publish()
    get("/")
    get("/")

    with tenant_context(stock), django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert 'class="hero hero--image"' not in get("/").content.decode()


def test_a_rich_text_link_to_another_shops_page_renders_no_address(
    get, stock, luna_site
):
    secret = content_page(luna_site, "Launch plan", slug="launch")
    home = stock.home_page.specific
    home.intro = RichText(f'<p><a linktype="page" id="{secret.pk}">see</a></p>').source
    home.save_revision().publish()

    content = get("/").content.decode()

    assert "see" in content
    assert "launch" not in content
    assert "luna.localhost" not in content


def test_a_foreign_page_id_in_a_call_to_action_is_dropped(get, stock, luna_site):
    home = stock.home_page.specific
    home.body = json.dumps(
        [
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Go",
                    "text": "",
                    "label": "There",
                    "page": luna_site.home_page_id,
                },
            }
        ]
    )
    home.save_revision().publish()

    content = get("/").content.decode()

    assert "<h2>Go</h2>" in content
    assert "luna.localhost" not in content
    assert skus_on(get("/catalog/"))  # the shop's own catalogue is untouched
