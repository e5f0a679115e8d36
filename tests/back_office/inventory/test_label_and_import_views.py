"""The admin's tag printing and spreadsheet screens, the listing's export, and finding
a piece by scanning its barcode into the listing's search: all as the signed-in shop.
"""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from back_office.inventory.admin.views import labels_url
from back_office.inventory.importing import COLUMNS
from back_office.inventory.models import Piece, PricingMode, StockMovement
from back_office.inventory.services import import_pieces
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Branch, Membership
from tests.factories.inventory import CategoryFactory, MetalRateFactory, PieceFactory
from tests.factories.tenants import BranchFactory, make_member, owner_of


def stock(shop, *skus, **fields):
    """Pieces received into `shop`, at branch MAIN, in category Rings."""
    with tenant_context(shop):
        branch = Branch.objects.filter(code="MAIN").first() or BranchFactory(
            code="MAIN"
        )
        category = CategoryFactory(name="Rings")
        return [
            PieceFactory(sku=sku, branch=branch, category=category, **fields)
            for sku in skus
        ]


@pytest.fixture
def owner(client, aurum):
    client.force_login(owner_of(aurum))
    return client


def listing_url() -> str:
    return reverse(Piece.snippet_viewset.get_url_name("list"))


# Printing tags


def test_the_labels_page_has_one_tag_per_piece_in_the_order_asked(owner, aurum):
    first, second = stock(aurum, "R00041", "R00042")

    response = owner.get(labels_url([second.pk, first.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<div class="tag barbell">') == 2
    assert html.index('aria-label="Barcode R00042"') < html.index(
        'aria-label="Barcode R00041"'
    )
    assert "@page { size: 60mm 12mm; margin: 0; }" in html


def test_another_shops_pieces_are_left_off_the_labels_page(owner, aurum, luna):
    [ours] = stock(aurum, "R00041")
    [theirs] = stock(luna, "LUNA77")

    response = owner.get(labels_url([ours.pk, theirs.pk]))

    html = response.content.decode()
    assert "R00041" in html
    assert "LUNA77" not in html


def test_asking_only_for_another_shops_pieces_is_not_found(owner, luna):
    [theirs] = stock(luna, "LUNA77")

    assert owner.get(labels_url([theirs.pk])).status_code == 404


def test_a_rate_priced_tag_shows_the_price_at_print_time(owner, aurum):
    [ring] = stock(aurum, "R00041")
    with tenant_context(aurum):
        MetalRateFactory(rate_per_gram=Decimal("80.0000"))

    html = owner.get(labels_url([ring.pk])).content.decode()

    # 4.8 g x 80.00 x 0.916 = 351.744; 10 % making = 35.1744; no tax in this shop:
    # 386.9184 -> 386.92
    assert "USD 386.92" in html
    today = timezone.now()  # the shop's clock is UTC
    assert f'<div class="note">rate {today.day} {today:%b}</div>' in html


def test_a_fixed_price_tag_shows_its_tag_price(owner, aurum):
    [ring] = stock(
        aurum, "R00041", pricing_mode=PricingMode.FIXED, tag_price=Decimal("1250.00")
    )

    html = owner.get(labels_url([ring.pk])).content.decode()

    assert "USD 1,250.00" in html
    assert '<div class="note">rate' not in html


def test_the_single_label_stock_can_be_chosen(owner, aurum):
    [ring] = stock(aurum, "R00041")

    html = owner.get(labels_url([ring.pk], size="label")).content.decode()

    assert '<div class="tag label">' in html
    assert "@page { size: 50mm 25mm; margin: 0; }" in html


def test_sales_staff_may_print_tags(client, aurum):
    [ring] = stock(aurum, "R00041")
    client.force_login(make_member(aurum, Membership.Role.SALES))

    assert client.get(labels_url([ring.pk])).status_code == 200


# Importing through the admin


def upload(client, *rows):
    data = io.BytesIO("\n".join([",".join(COLUMNS), *rows]).encode())
    data.name = "pieces.csv"
    return client.post(reverse("inventory_import_pieces"), {"file": data})


ROW = "R100,Solitaire ring,rings,gold,22K,,5.2,4.8,,,MAIN,300,rate,,percent,12,yes,"


def test_an_uploaded_spreadsheet_is_imported_and_the_listing_shown(owner, aurum):
    stock(aurum)  # the branch and the category

    response = upload(owner, ROW, ROW.replace("R100", "R101"))

    assert response.status_code == 302
    assert response["Location"] == listing_url()
    with tenant_context(aurum):
        assert sorted(Piece.objects.values_list("sku", flat=True)) == ["R100", "R101"]
        assert StockMovement.objects.count() == 2


def test_an_upload_with_bad_lines_lists_them_and_imports_nothing(owner, aurum):
    stock(aurum)

    response = upload(owner, ROW, ROW.replace(",MAIN,", ",PARIS,"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported." in html
    assert "line 3: unknown branch &quot;PARIS&quot;" in html
    with tenant_context(aurum):
        assert not Piece.objects.exists()
        assert not StockMovement.objects.exists()


def test_the_import_screen_explains_each_column_and_offers_templates(owner, aurum):
    html = owner.get(reverse("inventory_import_pieces")).content.decode()

    assert "parts per thousand (916, 750, 925) or, for gold, a karat" in html
    assert "docs/" not in html  # nothing an owner cannot open
    for file_format in ("csv", "xlsx"):
        template = reverse("inventory_import_template", args=[file_format])
        assert template in html
        response = owner.get(template)
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="karat-pieces-template.{file_format}"'
        )


def test_sales_staff_may_not_import(client, aurum):
    stock(aurum)
    client.force_login(make_member(aurum, Membership.Role.SALES))

    response = upload(client, ROW)
    template = client.get(reverse("inventory_import_template", args=["csv"]))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert template["Location"] == "/admin/"
    with tenant_context(aurum):
        assert not Piece.objects.exists()


# Scanning into the search


@pytest.mark.parametrize("typed", ["R00042", "r00042", " R00042 "])
def test_scanning_a_barcode_into_the_search_finds_exactly_that_piece(
    owner, aurum, typed
):
    stock(aurum, "R00041", "R00042", "S00042A")

    response = owner.get(listing_url(), {"q": typed})

    found = [piece.sku for piece in response.context["object_list"]]
    assert found == ["R00042"]


# Export, and importing the export


def export(client, fmt: str) -> io.BytesIO:
    response = client.get(listing_url(), {"export": fmt})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    data = io.BytesIO(body)
    data.name = f"pieces.{fmt}"
    return data


def piece_values(shop) -> list[tuple]:
    fields = [
        "sku",
        "title",
        "category__slug",
        "metal",
        "fineness",
        "colour",
        "gross_weight_g",
        "net_weight_g",
        "hallmark",
        "size",
        "branch__code",
        "cost",
        "pricing_mode",
        "tag_price",
        "making_charge_type",
        "making_charge",
        "shown_on_storefront",
        "description",
    ]
    with tenant_context(shop):
        return sorted(Piece.objects.values_list(*fields))


@pytest.fixture
def exported_stock(aurum, luna):
    stock(aurum, "R00041", hallmark="HUID9", size="14", colour="rose")
    stock(
        aurum,
        "R00042",
        pricing_mode=PricingMode.FIXED,
        tag_price=Decimal("1250.50"),
        shown_on_storefront=False,
        description='Says "hello", on two\nlines',
    )
    stock(luna)  # the other shop has the same branch code and category


def test_the_listing_exports_the_import_columns(owner, exported_stock):
    header = export(owner, "csv").getvalue().decode().splitlines()[0]

    assert header == ",".join(COLUMNS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_listing_imports_into_another_shop_unchanged(
    owner, aurum, luna, exported_stock, fmt
):
    exported = export(owner, fmt)

    with tenant_context(luna):
        result = import_pieces(exported)

    assert result.count == 2
    assert piece_values(luna) == piece_values(aurum)


def test_the_xlsx_export_has_the_import_columns(owner, exported_stock):
    workbook = load_workbook(export(owner, "xlsx"))

    header = [cell.value for cell in next(workbook.active.iter_rows(max_row=1))]
    assert header == list(COLUMNS)
