"""A piece's page: specifications, the price breakdown as jewellers show it, its
photos, availability, and the pages of pieces no longer on show."""

import json
import re
from datetime import date
from decimal import Decimal

from django.utils import timezone

from back_office.inventory import queries
from back_office.tenancy.context import tenant_context
from catalog import tasks
from tests.catalog.conftest import pieces_of, skus_on
from tests.factories.inventory import photo_of


def structured(response, kind: str) -> dict:
    for found in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>',
        response.content.decode(),
        re.S,
    ):
        data = json.loads(found)
        if data["@type"] == kind:
            return data
    raise AssertionError(f"no {kind} on the page")


def text_of(response) -> str:
    """The page's text, tags and runs of white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_breakdown_shows_metal_making_stones_tax_and_total(get, stock):
    text = text_of(get("/catalog/R1/"))

    assert "Metal 4.000 g × USD 80.00/g × 750/1000 USD 240.00" in text
    assert "Making charge 10 % of the metal value USD 24.00" in text
    assert "Stones USD 800.00" in text
    assert "Tax (3 %) USD 31.92" in text
    assert "Total USD 1,095.92" in text
    assert "follows today's gold rate of USD 80.00/g" in text


def test_the_price_on_the_page_is_the_pricing_modules_breakdown(get, stock):
    text = text_of(get("/catalog/N1/"))

    with tenant_context(stock):
        breakdown = queries.price_of(pieces_of(stock)["N1"])
    assert breakdown.total == Decimal("163.26")
    assert f"Total USD {breakdown.total:,}" in text
    assert "Making charge USD 2.00 per g of metal USD 40.00" in text


def test_a_fixed_price_piece_shows_its_price_not_a_rate(get, stock):
    text = text_of(get("/catalog/N2/"))

    assert "USD 927.00" in text
    assert "A fixed price" in text
    assert "follows today's" not in text


def test_the_specifications_name_purity_weights_and_stones(get, stock):
    text = text_of(get("/catalog/R1/"))

    assert "Purity 18K · 750‰" in text
    assert "Gross weight 4.400 g" in text
    assert "Net metal weight 4.000 g" in text
    assert "Diamond 0.5 ct" in text
    assert "GIA 2211" in text


def test_availability_names_the_branch_and_offers_the_reservation(get, stock):
    response = get("/catalog/R1/")

    assert "In stock at <strong>Main Street</strong>" in response.content.decode()
    assert 'href="/catalog/R1/reserve/"' in response.content.decode()


def test_a_reserved_piece_is_shown_without_the_reserve_action(get, stock):
    response = get("/catalog/R3/")

    assert response.status_code == 200
    assert "Reserved" in text_of(response)
    assert "/catalog/R3/reserve/" not in response.content.decode()


def test_related_pieces_are_others_of_its_category(get, stock):
    response = get("/catalog/R1/")

    related = response.content.decode().split("You may also like")[1]
    assert set(re.findall(r'href="/catalog/([^"]+)/"', related)) == {"R2", "R3"}


def test_a_sold_piece_answers_gone_with_similar_pieces(get, stock):
    response = get("/catalog/S1/")

    assert response.status_code == 410
    assert "Sold ring has found its owner" in response.content.decode()
    assert set(skus_on(response)) == {"R1", "R2", "R3"}


def test_a_hidden_or_unknown_piece_is_not_found(get, stock):
    assert get("/catalog/H1/").status_code == 404
    assert get("/catalog/NOPE/").status_code == 404
    assert get("/catalog/H1/reserve/").status_code == 404


def test_a_sku_in_other_letters_goes_to_the_pieces_address(get, stock):
    response = get("/catalog/r1/")

    assert response.status_code == 301
    assert response["Location"] == "/catalog/R1/"


def test_structured_data_offers_todays_price(get, stock):
    response = get("/catalog/R1/")
    product = structured(response, "Product")

    assert product["sku"] == "R1"
    assert product["offers"]["price"] == "1095.92"
    assert product["offers"]["priceCurrency"] == "USD"
    assert product["offers"]["availability"] == "https://schema.org/InStoreOnly"
    today = timezone.localdate()
    assert date.fromisoformat(product["offers"]["priceValidUntil"]) > today
    crumbs = structured(response, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Collection", "Solitaire ring"]
    assert crumbs[-1]["item"] == "http://aurum.localhost/catalog/R1/"


def test_the_page_is_shareable_with_canonical_address_and_card(get, stock):
    content = get("/catalog/r1/", follow=True).content.decode()

    assert '<link rel="canonical" href="http://aurum.localhost/catalog/R1/">' in content
    assert '<meta property="og:type" content="product">' in content
    assert '<meta property="og:title" content="Solitaire ring">' in content


def test_photos_come_from_ready_renditions_with_sizes_set(get, stock):
    with tenant_context(stock):
        photo = photo_of(pieces_of(stock)["R1"])
        tasks.make_renditions.run(stock.pk, photo.image_id)

    content = get("/catalog/R1/").content.decode()

    gallery = re.search(r'<figure class="gallery__slide"[^>]*>\s*(<img[^>]+>)', content)
    image = gallery.group(1)
    assert "srcset=" in image
    assert 'loading="eager"' in image
    assert re.search(r'width="\d+" height="\d+"', image)
    assert '<meta property="og:image" content="http://aurum.localhost/' in content


def test_rendering_a_piece_page_makes_no_rendition(get, stock):
    with tenant_context(stock):
        image = photo_of(pieces_of(stock)["R1"]).image  # its sizes are not made yet

    def made():
        with tenant_context(stock):  # renditions are visible with their shop only
            return image.renditions.count()

    response = get("/catalog/R1/")

    assert response.status_code == 200
    assert made() == 0
    tasks.make_renditions.run(stock.pk, image.pk)
    assert made() > 0  # the count above could see them


def test_the_printed_price_tags_qr_code_opens_the_pieces_page(get, stock):
    from back_office.inventory.admin.views import labels_url
    from tests.back_office.inventory.test_labels import decoded, rasterize
    from tests.factories.tenants import StaffClient, owner_of

    owner = StaffClient()
    owner.force_login(owner_of(stock))
    piece = pieces_of(stock)["R1"]

    page = owner.get(labels_url([piece.pk])).content.decode()
    qr = re.search(r'<svg[^>]*class="qr"[^>]*>.*?</svg>', page, re.S)[0]
    [(kind, url)] = decoded(rasterize(qr))

    assert (kind, url) == ("QRCODE", "http://aurum.localhost/catalog/R1/")
    assert get("/catalog/R1/").status_code == 200
