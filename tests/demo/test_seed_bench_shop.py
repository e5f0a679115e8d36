import pytest
from django.core.management import CommandError, call_command

from back_office.inventory.models import Piece, PiecePhoto, StockMovement, Stone
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Tenant
from demo.inventory import DESIGNS

pytestmark = pytest.mark.django_db

HOST = "bench.localhost"
PIECES = 40  # more than one design cycle (16), fewer than a batch (500)


@pytest.fixture
def bench_shop(capsys):
    call_command("seed_bench_shop", pieces=PIECES, hostname=HOST)
    return Tenant.objects.get(slug="bench"), capsys.readouterr().out


def test_bench_shop_receives_every_piece_through_the_ledger_with_a_photo(bench_shop):
    tenant, _output = bench_shop

    with tenant_context(tenant):
        assert Piece.objects.count() == PIECES
        received = StockMovement.objects.filter(
            kind=StockMovement.Kind.RECEIVED, piece__isnull=False
        )
        assert sorted(received.values_list("piece__sku", flat=True)) == sorted(
            Piece.objects.values_list("sku", flat=True)
        )
        assert PiecePhoto.objects.count() == PIECES
        # A photo per design, shared by the pieces of that design.
        assert PiecePhoto.objects.values("image").distinct().count() == len(DESIGNS)


def test_bench_shop_pieces_are_found_by_the_storefront_search(bench_shop, client):
    tenant, _output = bench_shop
    with tenant_context(tenant):
        diamond_rings = set(
            Stone.objects.filter(
                kind=Stone.Kind.DIAMOND, piece__category__slug="rings"
            ).values_list("piece__sku", flat=True)
        )
        others = set(Piece.objects.values_list("sku", flat=True)) - diamond_rings

    response = client.get("/catalog/?q=diamond+ring", HTTP_HOST=HOST)

    assert response.status_code == 200
    page = response.content.decode()
    assert diamond_rings
    assert all(f"/catalog/{sku}/" in page for sku in diamond_rings)
    assert not any(f"/catalog/{sku}/" in page for sku in others)


def test_bench_shop_names_a_piece_on_show_with_a_diamond(bench_shop, client):
    tenant, output = bench_shop
    sku = next(
        line.removeprefix("sample piece: ")
        for line in output.splitlines()
        if line.startswith("sample piece: ")
    )

    response = client.get(f"/catalog/{sku}/", HTTP_HOST=HOST)

    assert response.status_code == 200
    with tenant_context(tenant):
        piece = Piece.objects.get(sku=sku)
        assert piece.stones.filter(kind=Stone.Kind.DIAMOND).exists()


def test_bench_shop_is_refused_a_second_time_and_nothing_is_added(bench_shop):
    tenant, _output = bench_shop

    with pytest.raises(CommandError, match="exists already"):
        call_command("seed_bench_shop", pieces=5, hostname="other.localhost")

    assert Tenant.objects.count() == 1
    with tenant_context(tenant):
        assert Piece.objects.count() == PIECES
