"""`manage.py import_pieces --tenant SLUG FILE`: the shop is the one named, a bad file
exits non-zero listing its bad lines, and a progress bar is drawn on stderr."""

import io

import pytest
from django.core.management import CommandError, call_command

from back_office.inventory.importing import COLUMNS
from back_office.inventory.models import Piece, StockMovement
from back_office.tenancy.context import tenant_context
from tests.factories.inventory import CategoryFactory
from tests.factories.tenants import BranchFactory

HEADER = ",".join(COLUMNS)
RING = (
    "R100,Solitaire ring,Rings,gold,22K,yellow,5.2,4.8,,,MAIN,300,rate,,percent,12,yes,"
)
CHAIN = "R101,Rope chain,Rings,gold,916,,10.1,10.1,,,MAIN,800,fixed,1499,fixed,0,no,"


class Run:
    """The command's exit status and output, as `manage.py` would give them
    (manage.py prints a CommandError on stderr and exits with its returncode)."""

    def __init__(self, *args):
        out, err = io.StringIO(), io.StringIO()
        self.status = 0
        try:
            call_command("import_pieces", *args, stdout=out, stderr=err)
        except CommandError as error:
            self.status = error.returncode
            err.write(f"CommandError: {error}\n")
        self.out, self.err = out.getvalue(), err.getvalue()


@pytest.fixture
def shops(aurum, luna):
    for shop in (aurum, luna):
        with tenant_context(shop):
            BranchFactory(code="MAIN")
            CategoryFactory(name="Rings")
    return aurum, luna


@pytest.fixture
def sheet(tmp_path):
    def write(*rows, name="pieces.csv"):
        path = tmp_path / name
        path.write_text("\n".join([HEADER, *rows]) + "\n")
        return str(path)

    return write


def pieces_of(shop) -> list[str]:
    with tenant_context(shop):
        return sorted(Piece.objects.values_list("sku", flat=True))


def test_the_command_imports_into_the_shop_named_by_tenant(shops, sheet):
    aurum, luna = shops

    run = Run("--tenant", "luna", sheet(RING, CHAIN))

    assert run.status == 0
    assert run.out == "Imported 2 pieces into Luna Jewellers from pieces.csv.\n"
    assert pieces_of(luna) == ["R100", "R101"]
    assert pieces_of(aurum) == []


def test_the_command_draws_a_progress_bar_on_stderr(shops, sheet):
    err = Run("--tenant", "aurum", sheet(RING, CHAIN)).err

    assert f"Checking  [{'#' * 30}]      2/2" in err
    assert f"Importing [{'#' * 30}]      2/2" in err


def test_a_bad_file_exits_non_zero_listing_the_bad_lines(shops, sheet):
    aurum, _ = shops
    bad = CHAIN.replace(",MAIN,", ",PARIS,")

    run = Run("--tenant", "aurum", "--no-progress", sheet(RING, bad, RING))

    assert run.status == 1
    assert run.err == (
        "CommandError: Nothing was imported into Aurum Jewellers: fix these lines "
        "and run the import again.\n"
        'line 3: unknown branch "PARIS": use a branch code of this shop\n'
        "line 4: SKU R100 is repeated (first on line 2)\n"
    )
    assert pieces_of(aurum) == []
    with tenant_context(aurum):
        assert not StockMovement.objects.exists()


def test_an_unknown_shop_slug_exits_non_zero(shops, sheet):
    aurum, luna = shops

    run = Run("--tenant", "nobody", sheet(RING))

    assert run.status == 1
    assert run.err == 'CommandError: There is no shop with the slug "nobody".\n'
    for shop in (aurum, luna):
        assert pieces_of(shop) == []
        with tenant_context(shop):
            assert not StockMovement.objects.exists()


def test_the_command_reads_xlsx_by_its_extension(shops, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(list(COLUMNS))
    workbook.active.append(RING.split(","))
    workbook.save(tmp_path / "pieces.xlsx")

    assert Run("--tenant", "aurum", str(tmp_path / "pieces.xlsx")).status == 0
    assert pieces_of(shops[0]) == ["R100"]
