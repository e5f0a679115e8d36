"""What search engines and sharing read (sitemap, robots, structured data), and the
shop's branding with its contrast rules."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import PageViewRestriction

from catalog.models import ShopBranding
from tests.factories.catalog import content_page

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_of(response) -> dict[str, str]:
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }


def test_the_sitemap_lists_pages_and_pieces_on_show_with_lastmod(get, stock):
    content_page(stock, "About us", slug="about")
    stock.home_page.specific.save_revision().publish()

    urls = sitemap_of(get("/sitemap.xml"))

    base = "http://aurum.localhost"
    assert set(urls) == {
        f"{base}/",
        f"{base}/catalog/",
        f"{base}/about/",
        *(f"{base}/catalog/{sku}/" for sku in ("R1", "R2", "R3", "N1", "N2")),
    }
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\d", lastmod or "") for lastmod in urls.values()
    )


def test_a_private_page_is_left_out_of_the_sitemap(
    get, stock, django_capture_on_commit_callbacks
):
    page = content_page(stock, "Staff notes", slug="staff")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )

    assert "http://aurum.localhost/staff/" not in sitemap_of(get("/sitemap.xml"))
    assert "password" in get("/staff/").content.decode().lower()


def test_each_shops_sitemap_is_its_own(get, stock, luna_site):
    luna = sitemap_of(get("/sitemap.xml", host="luna.localhost"))

    assert set(luna) == {"http://luna.localhost/", "http://luna.localhost/catalog/"}


def test_robots_allows_the_shop_and_points_at_its_sitemap(get, stock):
    robots = get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://aurum.localhost/sitemap.xml" in robots


def test_the_platforms_own_hosts_are_not_indexed(client, db):
    robots = client.get("/robots.txt", HTTP_HOST="localhost").content.decode()

    assert "Disallow: /\n" in robots


def test_the_home_page_describes_the_jewellery_store(get, stock):
    site = stock.home_page.get_site()
    branding = ShopBranding.for_site(site)
    branding.address = "1 Main Street\nSpringfield"
    branding.phone = "+1 555 0100"
    branding.opening_hours = [
        (
            "branch",
            {
                "branch": "MAIN",
                "hours": [{"days": ["Mo", "Tu"], "opens": "09:00", "closes": "17:30"}],
            },
        )
    ]
    branding.save()

    content = get("/").content.decode()

    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', content, re.S
    )
    store = json.loads(found[1])
    assert store["@type"] == "JewelryStore"
    assert store["address"]["streetAddress"] == "1 Main Street Springfield"
    assert store["telephone"] == "+1 555 0100"
    assert store["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "name": "Main Street",
            "dayOfWeek": ["Monday", "Tuesday"],
            "opens": "09:00",
            "closes": "17:30",
        }
    ]
    assert "Mon, Tue" in content and "09:00" in content  # noqa: PT018


def test_structured_data_cannot_be_broken_out_of(get, stock):
    from back_office.tenancy.context import tenant_context
    from tests.catalog.conftest import pieces_of

    with tenant_context(stock):
        piece = pieces_of(stock)["R1"]
        piece.description = "</script><script>alert(1)</script>"
        piece.save()

    content = get("/catalog/R1/").content.decode()

    assert "<script>alert(1)" not in content
    assert "\\u003c/script\\u003e" in content


@pytest.mark.parametrize(
    ("brand", "accent", "refused"),
    [
        ("#2b2420", "#8a6420", set()),
        ("#f5d76e", "#8a6420", {"brand_colour"}),  # white on light yellow
        ("#2b2420", "#e0b050", {"accent_colour"}),  # pale gold links on paper
        ("#999999", "#bbbbbb", {"brand_colour", "accent_colour"}),
    ],
)
def test_a_colour_pair_failing_wcag_aa_is_refused(stock, brand, accent, refused):
    branding = ShopBranding(site=stock.home_page.get_site(), brand_colour=brand)
    branding.accent_colour = accent

    if not refused:
        branding.full_clean()
        return
    with pytest.raises(ValidationError) as error:
        branding.full_clean()
    assert set(error.value.message_dict) == refused
    assert "WCAG AA" in " ".join(sum(error.value.message_dict.values(), []))


def test_the_brand_stylesheet_carries_the_shops_colours(get, stock, luna_site):
    branding = ShopBranding.for_site(luna_site.home_page.get_site())
    branding.brand_colour = "#1e3a5c"
    branding.save()

    aurum = get("/brand.css").content.decode()
    luna = get("/brand.css", host="luna.localhost").content.decode()

    assert "--brand:#2b2420" in aurum
    assert "--brand:#1e3a5c" in luna


def test_storefront_pages_have_a_strict_content_security_policy(get, stock):
    policy = get("/catalog/R1/")["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'self'" in policy


def test_no_page_loads_anything_from_another_origin(get, stock):
    content_page(stock, "About us", slug="about")
    for path in ("/", "/catalog/", "/catalog/R1/", "/catalog/R1/reserve/", "/about/"):
        content = get(path).content.decode()
        loaded = re.findall(r'(?:src|srcset)="([^"]+)"', content)
        loaded += re.findall(r'<link rel="stylesheet" href="([^"]+)"', content)
        for address in loaded:
            assert not address.startswith(("http:", "https:", "//")), (path, address)
