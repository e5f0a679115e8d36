"""An attacker from another shop: the storefront and its editor keep each shop's
pieces, pages, images, settings and cache entries to that shop."""

import json

import pytest
from django.core.exceptions import ValidationError
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from back_office.tenancy.context import tenant_context
from catalog.blocks import ShopImageChooserBlock, ShopPageChooserBlock
from catalog.models import ShopBranding
from tests.catalog.conftest import skus_on
from tests.factories.tenants import StaffClient, owner_of


@pytest.fixture
def lunas_image(luna_site):
    with tenant_context(luna_site):
        return get_image_model().objects.create(
            title="luna canary",
            file=get_test_image_file(),
            collection=luna_site.collection,
        )


@pytest.fixture
def owner(aurum_site):
    client = StaffClient()
    client.force_login(owner_of(aurum_site))
    return client


def settings_url(site) -> str:
    return f"/admin/settings/catalog/shopbranding/{site.pk}/"


def test_a_shops_pieces_are_never_on_anothers_site(get, stock, luna_site):
    assert skus_on(get("/catalog/", host="luna.localhost")) == []
    assert get("/catalog/R1/", host="luna.localhost").status_code == 404
    assert get("/catalog/R1/reserve/", host="luna.localhost").status_code == 404
    assert (
        get("/catalog/", data={"q": "ring"}, host="luna.localhost").status_code == 200
    )
    assert skus_on(get("/catalog/", data={"q": "ring"}, host="luna.localhost")) == []


def test_a_stream_block_takes_only_the_shops_own_images(aurum_site, lunas_image):
    block = ShopImageChooserBlock()

    with tenant_context(aurum_site):
        with pytest.raises(ValidationError):
            block.clean(lunas_image.pk)
        assert block.to_python(lunas_image.pk) is None
        assert block.bulk_to_python([lunas_image.pk]) == [None]


def test_a_stream_block_links_only_to_the_shops_own_pages(aurum_site, luna_site):
    block = ShopPageChooserBlock()

    with tenant_context(aurum_site):
        with pytest.raises(ValidationError):
            block.clean(luna_site.home_page_id)
        assert block.clean(aurum_site.home_page_id).pk == aurum_site.home_page_id


def test_a_page_naming_another_shops_image_shows_nothing_of_it(
    get, aurum_site, lunas_image
):
    home = aurum_site.home_page.specific
    # As a posted stream is stored: JSON naming the image by its id.
    home.body = json.dumps(
        [
            {
                "type": "image_and_text",
                "value": {"image": lunas_image.pk, "alt": "", "text": "<p>Ours</p>"},
            }
        ]
    )
    with tenant_context(aurum_site):
        home.save_revision().publish()

    content = get("/").content.decode()

    assert "Ours" in content
    assert "luna canary" not in content
    assert "original_images/" not in content


def test_a_gallery_naming_another_shops_image_shows_the_rest(
    get, aurum_site, lunas_image
):
    home = aurum_site.home_page.specific
    home.body = json.dumps(
        [
            {
                "type": "gallery",
                "value": {
                    "heading": "Our workshop",
                    "images": [
                        {
                            "type": "item",
                            "value": {"image": lunas_image.pk, "caption": ""},
                            "id": "a",
                        }
                    ],
                },
            }
        ]
    )
    with tenant_context(aurum_site):
        home.save_revision().publish()

    response = get("/")

    assert response.status_code == 200
    assert "Our workshop" in response.content.decode()
    assert "luna canary" not in response.content.decode()


def test_an_owner_edits_the_own_shops_branding(owner, aurum_site):
    url = settings_url(aurum_site.home_page.get_site())

    response = owner.get(url)

    assert response.status_code == 200
    assert "Brand colour" in response.content.decode()


def test_another_shops_branding_is_refused_to_an_owner(owner, aurum_site, luna_site):
    luna = luna_site.home_page.get_site()
    before = ShopBranding.for_site(luna).brand_colour

    opened = owner.get(settings_url(luna))
    posted = owner.post(settings_url(luna), {"brand_colour": "#000000"})

    for response in (opened, posted):  # Wagtail sends a refusal to the dashboard
        assert (response.status_code, response.get("Location")) == (302, "/admin/")
    assert ShopBranding.for_site(luna).brand_colour == before


def test_the_settings_screen_offers_only_the_shops_own_sites(
    owner, aurum_site, luna_site
):
    content = owner.get(settings_url(aurum_site.home_page.get_site())).content.decode()

    assert "luna.localhost" not in content


def test_a_colour_pair_failing_contrast_is_refused_in_the_editor(owner, aurum_site):
    site = aurum_site.home_page.get_site()
    form = {
        "display_name": "",
        "brand_colour": "#f5d76e",
        "accent_colour": "#8a6420",
        "address": "",
        "phone": "",
        "email": "",
        "opening_hours-count": "0",
        "instagram_url": "",
        "facebook_url": "",
        "pinterest_url": "",
        "show_rates": "on",
    }

    response = owner.post(settings_url(site), form)

    assert response.status_code == 200
    assert "WCAG AA" in response.content.decode()
    assert ShopBranding.for_site(site).brand_colour == "#2b2420"


def test_sales_staff_do_not_change_the_branding(aurum_site):
    from tests.factories.tenants import make_member

    client = StaffClient()
    client.force_login(make_member(aurum_site, "sales"))

    response = client.get(settings_url(aurum_site.home_page.get_site()))

    assert response.status_code in {302, 403}
