"""Importing pieces from a spreadsheet (back_office/inventory/importing.py): every row
is checked first, and the file goes in whole (one ledger entry per piece) or not at all.
"""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from back_office.inventory.errors import ImportRefused
from back_office.inventory.importing import (
    COLUMNS,
    read_rows,
    template_csv,
    template_xlsx,
)
from back_office.inventory.models import Piece, PricingMode, StockMovement
from back_office.inventory.services import import_pieces
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Branch
from tests.factories.inventory import CategoryFactory, PieceFactory
from tests.factories.tenants import BranchFactory, owner_of

HEADER = ",".join(COLUMNS)
GOOD_ROWS = [
    "R100,Solitaire ring,Rings,gold,22K,yellow,5.200,4.800,HUID1A,14,MAIN,300,rate,,"
    "percent,12,yes,A classic",
    "R101,Rope chain,chains,Gold,750,Yellow,10.1,10.1,,,main,800.50,fixed,1499.00,"
    "fixed,0,no,",
    "S200,Silver bangle,Bangles,silver,925,,21,20.5,,,KOCHI,20,Fixed tag price,89,"
    "per_gram,1.5,,",
]


def csv_file(*rows: str, header: str = HEADER) -> io.BytesIO:
    data = io.BytesIO("\n".join([header, *rows]).encode())
    data.name = "pieces.csv"
    return data


def with_column(row: str, column: str, value: str) -> str:
    cells = next(csv.reader([row]))
    cells[COLUMNS.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


@pytest.fixture
def shop(aurum):
    """Aurum with its branches and categories, as the current shop."""
    with tenant_context(aurum):
        BranchFactory(code="MAIN", name="Main street")
        BranchFactory(code="KOCHI", name="Kochi")
        for name in ("Rings", "Chains", "Bangles"):
            CategoryFactory(name=name)
        yield aurum


def refused(source, **kwargs) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        import_pieces(source, **kwargs)
    return [str(error) for error in caught.value.errors]


def nothing_written() -> bool:
    return not Piece.objects.exists() and not StockMovement.objects.exists()


# A good file


def test_a_good_csv_file_takes_every_piece_into_stock(shop):
    result = import_pieces(csv_file(*GOOD_ROWS), owner_of(shop))

    assert result.count == 3
    assert sorted(Piece.objects.values_list("sku", flat=True)) == [
        "R100",
        "R101",
        "S200",
    ]


def test_each_imported_piece_gets_one_received_ledger_entry(shop):
    user = owner_of(shop)

    import_pieces(csv_file(*GOOD_ROWS), user)

    entries = StockMovement.objects.all()
    assert entries.count() == 3
    assert {(e.piece.sku, e.kind, e.quantity_delta, e.user) for e in entries} == {
        ("R100", "received", Decimal(1), user),
        ("R101", "received", Decimal(1), user),
        ("S200", "received", Decimal(1), user),
    }


def test_imported_values_are_read_as_a_jeweller_writes_them(shop):
    import_pieces(csv_file(*GOOD_ROWS))

    ring = Piece.objects.get(sku="R100")
    chain = Piece.objects.get(sku="R101")
    bangle = Piece.objects.get(sku="S200")
    assert (ring.fineness, ring.purity) == (916, "22K gold (916)")
    assert (ring.gross_weight_g, ring.net_weight_g) == (Decimal("5.2"), Decimal("4.8"))
    assert ring.category.name == "Rings"
    assert ring.branch.code == "MAIN"
    assert ring.shown_on_storefront is True
    assert (chain.category.slug, chain.branch.code) == ("chains", "MAIN")
    assert (chain.pricing_mode, chain.tag_price) == ("fixed", Decimal("1499.00"))
    assert chain.shown_on_storefront is False
    assert bangle.pricing_mode == PricingMode.FIXED
    assert (bangle.making_charge_type, bangle.making_charge) == (
        "per_gram",
        Decimal("1.50"),
    )
    assert bangle.shown_on_storefront is True  # blank means shown


def test_optional_columns_may_be_left_out(shop):
    header = "sku,title,category,metal,fineness,branch,gross_weight_g,net_weight_g"

    import_pieces(csv_file("r7,Plain band,Rings,gold,18k,MAIN,3,3", header=header))

    band = Piece.objects.get()
    assert (band.sku, band.fineness, band.pricing_mode) == ("R7", 750, "rate")
    assert band.cost == Decimal(0)


def test_an_xlsx_workbook_imports_like_a_csv_file(shop):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in GOOD_ROWS:
        cells = next(csv.reader([row]))
        # Numbers as a spreadsheet stores them: floats and ints, not text.
        for column in ("gross_weight_g", "net_weight_g", "cost", "tag_price"):
            index = COLUMNS.index(column)
            cells[index] = float(cells[index]) if cells[index] else None
        fineness = COLUMNS.index("fineness")
        if cells[fineness].isdigit():
            cells[fineness] = int(cells[fineness])
        sheet.append(cells)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)

    result = import_pieces(data, filename="pieces.xlsx")

    assert result.count == 3
    assert Piece.objects.get(sku="R100").net_weight_g == Decimal("4.8")
    assert Piece.objects.get(sku="R101").tag_price == Decimal("1499")


# A file with bad rows


def test_a_file_with_bad_rows_imports_nothing_and_names_each_bad_line(shop):
    bad_weight = with_column(
        with_column(GOOD_ROWS[0], "gross_weight_g", "10.1"), "net_weight_g", "12.4"
    )
    rows = [
        GOOD_ROWS[0].replace("R100", "G1"),  # line 2: good
        GOOD_ROWS[1],  # line 3: good
        # line 4
        with_column(GOOD_ROWS[0], "category", "Tiaras").replace("R100", "G2"),
        GOOD_ROWS[2],  # line 5: good
        # line 6
        with_column(GOOD_ROWS[0], "fineness", "23K").replace("R100", "G3"),
        bad_weight,  # line 7
    ]

    errors = refused(csv_file(*rows))

    assert errors == [
        'line 4: unknown category "Tiaras": add it under Inventory > Categories '
        "first, or use an existing category's name or slug",
        'line 6: "23K" is not a standard karat (9K, 10K, 14K, 18K, 21K, 22K, 24K)',
        "line 7: net weight 12.4 g exceeds gross weight 10.1 g",
    ]
    assert nothing_written()


def test_every_problem_of_a_row_is_listed(shop):
    row = with_column(
        with_column(GOOD_ROWS[0], "gross_weight_g", "heavy"), "metal", "tin"
    )

    errors = refused(csv_file(with_column(row, "title", "")))

    assert errors == [
        "line 2: title is required",
        'line 2: metal "tin" is not one of gold, silver, platinum, palladium',
        "line 2: gross_weight_g: Enter a number.",
    ]
    assert nothing_written()


@pytest.mark.parametrize("metal", ["silver", "platinum"])
def test_a_karat_mark_on_a_metal_other_than_gold_is_refused_with_its_line(shop, metal):
    row = with_column(with_column(GOOD_ROWS[0], "metal", metal), "fineness", "22K")

    errors = refused(csv_file(GOOD_ROWS[1], row))

    assert errors == ['line 3: "22K" is a karat: gold only']
    assert nothing_written()


def test_an_unknown_branch_is_refused(shop):
    errors = refused(csv_file(with_column(GOOD_ROWS[0], "branch", "PARIS")))

    assert errors == ['line 2: unknown branch "PARIS": use a branch code of this shop']
    assert nothing_written()


def test_a_near_miss_of_a_category_or_branch_asks_did_you_mean(shop):
    row = with_column(with_column(GOOD_ROWS[0], "category", "Bangle"), "branch", "MIAN")

    errors = refused(csv_file(row))

    assert errors == [
        'line 2: unknown category "Bangle" (did you mean "Bangles"?): add it under '
        "Inventory > Categories first, or use an existing category's name or slug",
        'line 2: unknown branch "MIAN" (did you mean "MAIN"?): use a branch code of '
        "this shop",
    ]
    assert nothing_written()


def test_the_template_to_fill_in_imports_as_it_is(shop):
    for name, content in [
        ("template.csv", template_csv()),
        ("template.xlsx", template_xlsx()),
    ]:
        rows = read_rows(io.BytesIO(content), name)

        assert [list(row) for row in rows] == [list(COLUMNS)], name
        assert rows[0]["category"] == "Bangles"  # the shop's own, first by name
        assert rows[0]["branch"] == "KOCHI"
    import_pieces(io.BytesIO(template_csv()), filename="template.csv")
    assert Piece.objects.get().fineness == 750  # the example's 18K


def test_a_fixed_price_piece_without_a_tag_price_is_refused(shop):
    errors = refused(csv_file(with_column(GOOD_ROWS[1], "tag_price", "")))

    assert errors == ["line 2: a fixed-price piece needs a tag price"]
    assert nothing_written()


def test_a_sku_repeated_in_the_file_is_refused_in_any_case(shop):
    errors = refused(
        csv_file(GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0].replace("R100", "r100"))
    )

    assert errors == ["line 4: SKU R100 is repeated (first on line 2)"]
    assert nothing_written()


def test_a_sku_already_in_the_shop_is_refused(shop):
    PieceFactory(sku="R101")

    errors = refused(csv_file(*GOOD_ROWS))

    assert errors == ["line 3: SKU R101 is already in this shop's stock"]
    assert list(Piece.objects.values_list("sku", flat=True)) == ["R101"]
    assert StockMovement.objects.count() == 1  # the piece's own receipt


def test_a_sku_used_by_another_shop_is_no_obstacle(shop, luna):
    with tenant_context(luna):
        PieceFactory(sku="R100")

    assert import_pieces(csv_file(*GOOD_ROWS)).count == 3


def test_the_header_must_name_the_known_columns(shop):
    errors = refused(csv_file(GOOD_ROWS[0], header=HEADER.replace("sku", "code")))

    assert errors == [
        "line 1: missing column(s) sku",
        f"line 1: unknown column(s) code; the columns are {', '.join(COLUMNS)}",
    ]
    assert nothing_written()


def test_a_file_with_no_pieces_is_refused(shop):
    assert refused(csv_file()) == ["line 1: the file has no pieces"]
    assert nothing_written()


def test_blank_lines_are_skipped_but_counted(shop):
    bad = with_column(GOOD_ROWS[1], "branch", "NOWHERE")

    errors = refused(csv_file(GOOD_ROWS[0], ",,,", bad))

    assert errors == [
        'line 4: unknown branch "NOWHERE": use a branch code of this shop'
    ]
    assert nothing_written()  # not even the good row on line 2


def test_only_csv_and_xlsx_files_are_read(shop):
    data = io.BytesIO(b"whatever")

    assert refused(data, filename="pieces.pdf") == [
        "line 1: the file must be a .csv or .xlsx spreadsheet"
    ]
    assert nothing_written()


def test_a_csv_file_saved_by_excel_with_a_byte_order_mark_is_read(shop):
    data = io.BytesIO(("\ufeff" + HEADER + "\n" + GOOD_ROWS[0]).encode())

    assert read_rows(data, "excel.csv")[0]["sku"] == "R100"


# Shops


def test_an_import_only_sees_the_importing_shops_branches_and_categories(shop, luna):
    with tenant_context(luna):
        BranchFactory(code="LUNA")
        CategoryFactory(name="Tiaras")
    row = with_column(with_column(GOOD_ROWS[0], "branch", "LUNA"), "category", "Tiaras")

    errors = refused(csv_file(row))

    assert errors == [
        'line 2: unknown category "Tiaras": add it under Inventory > Categories '
        "first, or use an existing category's name or slug",
        'line 2: unknown branch "LUNA": use a branch code of this shop',
    ]
    assert nothing_written()
    with tenant_context(luna):
        assert nothing_written()


def test_imported_pieces_belong_to_the_importing_shop_only(shop, luna):
    import_pieces(csv_file(*GOOD_ROWS))

    assert set(Piece.objects.values_list("tenant_id", flat=True)) == {shop.pk}
    with tenant_context(luna):
        assert not Piece.objects.exists()
        assert not Branch.objects.exists()
