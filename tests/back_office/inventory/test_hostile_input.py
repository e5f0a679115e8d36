"""Input that used to answer 500 or exhaust a worker is refused with a message and
writes nothing: spreadsheet bombs, oversized cells, odd digits, SKUs a barcode
cannot print, quantities the stock cannot hold."""

import io
import re
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from back_office.inventory import services
from back_office.inventory.errors import ImportRefused, StockError
from back_office.inventory.importing import COLUMNS, read_rows
from back_office.inventory.models import Piece, StockLevel, StockMovement
from back_office.inventory.services import import_pieces
from back_office.tenancy.context import tenant_context
from tests.back_office.inventory.test_importing import (
    GOOD_ROWS,
    HEADER,
    csv_file,
    with_column,
)
from tests.factories.inventory import (
    CategoryFactory,
    PieceFactory,
    StockItemFactory,
    piece_form,
)
from tests.factories.tenants import BranchFactory, owner_of

WHOLE_SHEET = "A1:XFD1048576"  # 16,384 columns by 1,048,576 rows


@pytest.fixture
def shop(aurum):
    with tenant_context(aurum):
        BranchFactory(code="MAIN", name="Main street")
        BranchFactory(code="KOCHI", name="Kochi")
        for name in ("Rings", "Chains", "Bangles"):
            CategoryFactory(name=name)
        yield aurum


def _xlsx(rows: list[list[str]], declared: str | None = None) -> io.BytesIO:
    """A workbook of `rows`; `declared` rewrites the sheet's stated dimension."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    if declared is None:
        plain.seek(0)
        plain.name = "pieces.xlsx"
        return plain
    crafted = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]+"',
                    f'<dimension ref="{declared}"'.encode(),
                    data,
                )
            target.writestr(item, data)
    crafted.seek(0)
    crafted.name = "pieces.xlsx"
    return crafted


def _refused(source, **kwargs) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        import_pieces(source, **kwargs)
    return [str(error) for error in caught.value.errors]


def _nothing_written():
    return not Piece.objects.exists() and not StockMovement.objects.exists()


def test_a_workbook_declaring_the_whole_sheet_is_read_to_its_real_cells(shop):
    # 1,500 rows declared 16,384 columns wide: padded, that is 24 million cells.
    row = GOOD_ROWS[0].split(",")
    bomb = _xlsx([HEADER.split(","), *[row] * 1500], declared=WHOLE_SHEET)

    tracemalloc.start()
    rows = read_rows(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert len(rows) == 1500
    assert set(rows[0]) == set(COLUMNS)
    assert peak < 100 * 2**20, f"{peak / 2**20:.0f} MB to read the file"


def test_more_rows_than_the_limit_are_refused(shop, settings):
    settings.KARAT_IMPORT_LIMITS = {"rows": 2}

    for file in [
        csv_file(*GOOD_ROWS),
        _xlsx([HEADER.split(","), *(r.split(",") for r in GOOD_ROWS)]),
    ]:
        assert _refused(file) == [
            "line 1: the file has more than 2 rows: import it in parts"
        ]
    assert _nothing_written()


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused(shop, settings):
    settings.KARAT_IMPORT_LIMITS = {"unpacked_bytes": 2**20}
    huge = [["x" * 5_000 for _ in range(10)] for _ in range(60)]  # 3 MB of text

    errors = _refused(_xlsx([HEADER.split(","), *huge]))

    assert errors == ["line 1: the workbook unpacks to more than 1 MB"]
    assert _nothing_written()


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(shop, settings):
    settings.KARAT_IMPORT_LIMITS = {"file_bytes": 2**20}
    filler = with_column(GOOD_ROWS[0], "description", "x" * 5_000)

    errors = _refused(csv_file(*[filler] * 300))

    assert errors == ["line 1: the file is larger than 1 MB"]
    assert _nothing_written()


@pytest.mark.parametrize("length", [20_000, 200_000], ids=["ours", "csv-modules"])
def test_a_cell_longer_than_the_limit_is_refused(shop, length):
    row = with_column(GOOD_ROWS[0], "description", "x" * length)

    (error,) = _refused(csv_file(GOOD_ROWS[1], row))

    assert error.startswith("line ")
    assert "longer than" in error or "field larger than field limit" in error
    assert _nothing_written()


@pytest.mark.parametrize("fineness", ["²", "²k", "2²K"])
def test_a_fineness_in_unusual_digits_is_refused_with_its_line(shop, fineness):
    errors = _refused(csv_file(with_column(GOOD_ROWS[0], "fineness", fineness)))

    assert len(errors) == 1
    assert errors[0].startswith("line 2: ")
    assert _nothing_written()


def test_a_sku_a_barcode_cannot_print_is_refused_in_the_import(shop):
    errors = _refused(csv_file(with_column(GOOD_ROWS[0], "sku", "SKU-É")))

    assert errors == [
        "line 2: sku: Use letters (A-Z), digits and - . _ / only: the SKU is "
        "printed as a barcode."
    ]
    assert _nothing_written()


@pytest.mark.parametrize(
    ("sku", "message"),
    [
        ("r100", "already exists"),
        ("SKU-É", "Use letters (A-Z), digits and - . _ / only"),
    ],
    ids=["same-sku-in-lower-case", "not-printable-as-a-barcode"],
)
def test_the_piece_form_refuses_a_sku_with_a_message(client, aurum, sku, message):
    with tenant_context(aurum):
        branch, category = BranchFactory(), CategoryFactory()
        PieceFactory(sku="R100", branch=branch, category=category)
    client.force_login(owner_of(aurum))

    response = client.post(
        reverse("wagtailsnippets_inventory_piece:add"),
        piece_form(category, branch, sku=sku),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    with tenant_context(aurum):
        assert list(Piece.objects.values_list("sku", flat=True)) == ["R100"]


def test_a_quantity_the_stock_cannot_hold_is_refused_and_nothing_is_written(
    client, aurum
):
    with tenant_context(aurum):
        branch = BranchFactory()
        chain = StockItemFactory(sku="SC-45")
        services.receive_stock(chain, branch, 1)
    client.force_login(owner_of(aurum))

    response = client.post(
        reverse("inventory_receive_stock", args=[chain.pk]),
        {"branch": branch.pk, "quantity": "9999999"},
    )

    assert response.status_code == 200
    assert "cannot hold more than 9,999,999.999 pieces" in response.content.decode()
    with tenant_context(aurum):
        assert StockLevel.objects.get(item=chain).quantity == Decimal(1)
        assert chain.movements.count() == 1


def test_the_stock_service_refuses_a_level_beyond_what_it_can_hold(aurum):
    with tenant_context(aurum):
        branch, chain = BranchFactory(), StockItemFactory(sku="SC-45")
        services.receive_stock(chain, branch, Decimal("9999999.000"))

        with pytest.raises(StockError, match="cannot hold more") as refused:
            services.receive_stock(chain, branch, Decimal("1.000"))

        assert refused.value.code == "too_much"
        assert StockLevel.objects.get(item=chain).quantity == Decimal("9999999.000")
        assert chain.movements.count() == 1


@pytest.mark.parametrize(
    "rows",
    [{}, {f"photos-{n}-junk": "1" for n in range(5)}, {"photos-0-ORDER": "abc"}],
    ids=["rows-not-sent", "rows-of-junk", "order-not-a-number"],
)
def test_a_piece_form_counting_rows_it_does_not_send_is_refused(client, aurum, rows):
    with tenant_context(aurum):
        branch, category = BranchFactory(), CategoryFactory()
    client.force_login(owner_of(aurum))
    # Five photo rows announced, none sent whole, and no SKU: the form shows again.
    form = piece_form(category, branch, sku="", **{"photos-TOTAL_FORMS": "5"}, **rows)

    response = client.post(reverse("wagtailsnippets_inventory_piece:add"), form)

    assert response.status_code == 200
    with tenant_context(aurum):
        assert _nothing_written()
