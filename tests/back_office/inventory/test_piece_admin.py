"""The piece screens: create, inspect, filter, search, bulk actions."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from back_office.inventory import services
from back_office.inventory.models import Piece, StockMovement
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.factories.inventory import (
    CategoryFactory,
    MetalRateFactory,
    PieceFactory,
    StoneFactory,
)
from tests.factories.tenants import BranchFactory, make_member, owner_of

get_resolver().url_patterns  # noqa: B018 - loading the admin registers the ViewSets
PIECES = Piece.snippet_viewset


def url(name, *args):
    return reverse(PIECES.get_url_name(name), args=args)


@pytest.fixture
def shop(aurum):
    with tenant_context(aurum):
        main, mall = BranchFactory(code="MAIN"), BranchFactory(code="MALL")
        rings = CategoryFactory(name="Rings")
    return aurum, main, mall, rings


@pytest.fixture
def owner(client, shop):
    client.force_login(owner_of(shop[0]))
    return client


def _receive(tenant, **fields):
    with tenant_context(tenant):
        return PieceFactory(**fields)


def _form(rings, branch, **overrides):
    data = {
        "sku": "r-100",
        "title": "Solitaire ring",
        "category": rings.pk,
        "branch": branch.pk,
        "metal": "gold",
        "purity": "gold:750",
        "gross_weight_g": "4.100",
        "net_weight_g": "3.800",
        "pricing_mode": "rate",
        "making_charge_type": "percent",
        "making_charge": "12",
        "cost": "900",
        "shown_on_storefront": "on",
        "stones-TOTAL_FORMS": "1",
        "stones-INITIAL_FORMS": "0",
        "stones-MIN_NUM_FORMS": "0",
        "stones-MAX_NUM_FORMS": "1000",
        "stones-0-kind": "diamond",
        "stones-0-origin": "natural",
        "stones-0-count": "1",
        "stones-0-carats": "0.500",
        "stones-0-certificate_lab": "GIA",
        "stones-0-certificate_number": "2141438167",
        "stones-0-value_mode": "fixed",
        "stones-0-value": "1500",
        "stones-0-ORDER": "1",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_a_piece_added_in_the_admin_is_received_into_stock_with_its_stones(owner, shop):
    tenant, main, _, rings = shop

    response = owner.post(url("add"), _form(rings, main))

    assert response.status_code == 302
    assert response["Location"] == url("list")
    with tenant_context(tenant):
        piece = Piece.objects.get(sku="R-100")
        assert piece.stones.get().certificate_number == "2141438167"
        assert piece.stones.get().tenant == tenant
        assert piece.movements.get().kind == StockMovement.Kind.RECEIVED


def test_net_weight_above_gross_weight_is_refused_with_both_weights(owner, shop):
    tenant, main, _, rings = shop

    response = owner.post(
        url("add"), _form(rings, main, net_weight_g="12.4", gross_weight_g="10.1")
    )

    assert response.status_code == 200
    assert "Net weight 12.4 g exceeds gross weight 10.1 g" in response.content.decode()
    with tenant_context(tenant):
        assert not Piece.objects.exists()


def test_a_fixed_price_piece_needs_a_tag_price(owner, shop):
    tenant, main, _, rings = shop

    response = owner.post(url("add"), _form(rings, main, pricing_mode="fixed"))

    assert response.status_code == 200
    assert "A fixed-price piece needs a tag price." in response.content.decode()
    with tenant_context(tenant):
        assert not Piece.objects.exists()
        assert not StockMovement.objects.exists()


def test_editing_a_piece_cannot_move_it_between_branches(owner, shop):
    tenant, main, mall, rings = shop
    piece = _receive(tenant, category=rings, branch=main)

    owner.post(
        url("edit", piece.pk),
        _form(rings, mall, sku=piece.sku, **{"stones-TOTAL_FORMS": "0"}),
    )

    with tenant_context(tenant):
        piece.refresh_from_db()
        kinds = list(piece.movements.values_list("kind", flat=True))
    assert piece.branch_id == main.pk
    assert kinds == [StockMovement.Kind.RECEIVED]  # no transfer in the ledger


def test_inspect_shows_todays_price_breakdown_and_history(owner, shop):
    tenant, main, _, rings = shop
    with tenant_context(tenant):
        MetalRateFactory(metal="gold", rate_per_gram=Decimal("65.0000"))
    piece = _receive(tenant, category=rings, branch=main)

    content = owner.get(url("inspect", piece.pk)).content.decode()

    # 4.8 g x 65.00 x 0.916 = 285.7920 -> 285.79; 10 % making = 28.5792 -> 28.58;
    # no tax: total 314.3712 -> 314.37
    assert "USD 285.79" in content
    assert "USD 28.58" in content
    assert "USD 314.37" in content
    assert "4.800 g × USD 65.00/g × 916‰" in content
    assert "Received" in content


def test_inspect_says_when_there_is_no_rate_for_the_metal(owner, shop):
    tenant, main, _, rings = shop
    piece = _receive(tenant, category=rings, branch=main)

    content = owner.get(url("inspect", piece.pk)).content.decode()

    assert "There is no rate for this piece&#x27;s metal yet." in content


def test_the_listing_filters_by_status_metal_and_branch(owner, shop):
    tenant, main, mall, rings = shop
    _receive(tenant, sku="GOLD1", category=rings, branch=main)
    _receive(tenant, sku="SILV1", category=rings, branch=mall, metal="silver")
    sold = _receive(tenant, sku="GOLD2", category=rings, branch=main)
    with tenant_context(tenant):
        services.move_piece(sold, StockMovement.Kind.SOLD)

    content = owner.get(
        url("list"), {"status": "in_stock", "metal": "gold", "branch": main.pk}
    ).content.decode()

    assert "GOLD1" in content
    assert "SILV1" not in content
    assert "GOLD2" not in content


def test_a_scanned_barcode_finds_exactly_that_piece(owner, shop):
    tenant, main, _, rings = shop
    _receive(tenant, sku="AUR-1", category=rings, branch=main)
    _receive(tenant, sku="AUR-10", category=rings, branch=main)

    content = owner.get(url("list"), {"q": "aur-1"}).content.decode()

    assert "AUR-1<" in content
    assert "AUR-10" not in content


def test_searching_part_of_a_title_lists_every_match_once(owner, shop):
    tenant, main, _, rings = shop
    with tenant_context(tenant):
        piece = PieceFactory(title="Halo ring", category=rings, branch=main)
        StoneFactory.create_batch(2, piece=piece, certificate_number="GIA-HALO")

    content = owner.get(url("list"), {"q": "halo"}).content.decode()

    assert content.count("More options for &#x27;") == 1


def test_bulk_move_transfers_each_selected_piece_through_the_ledger(owner, shop):
    tenant, main, mall, rings = shop
    pieces = [_receive(tenant, category=rings, branch=main) for _ in range(3)]
    ids = "&".join(f"id={p.pk}" for p in pieces)

    response = owner.post(
        f"/admin/bulk/inventory/piece/move_to_branch/?{ids}&next=/admin/",
        {"to_branch": mall.pk},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    with tenant_context(tenant):
        assert set(Piece.objects.values_list("branch", flat=True)) == {mall.pk}
        assert StockMovement.objects.filter(kind="transferred").count() == 6


def test_bulk_move_moves_nothing_if_one_piece_cannot_move(owner, shop):
    tenant, main, mall, rings = shop
    free = _receive(tenant, category=rings, branch=main)
    reserved = _receive(tenant, category=rings, branch=main)
    with tenant_context(tenant):
        services.move_piece(reserved, StockMovement.Kind.RESERVED)

    response = owner.post(
        f"/admin/bulk/inventory/piece/move_to_branch/?id={free.pk}&id={reserved.pk}",
        {"to_branch": mall.pk},
    )

    assert response.status_code == 200
    assert "Nothing was moved" in response.content.decode()
    with tenant_context(tenant):
        free.refresh_from_db()
        reserved.refresh_from_db()
        assert not StockMovement.objects.filter(kind="transferred").exists()
    assert free.branch_id == main.pk
    assert reserved.branch_id == main.pk


def test_bulk_hide_takes_pieces_off_the_storefront(owner, shop):
    tenant, main, _, rings = shop
    piece = _receive(tenant, category=rings, branch=main)

    owner.post(f"/admin/bulk/inventory/piece/hide_from_storefront/?id={piece.pk}")

    with tenant_context(tenant):
        piece.refresh_from_db()
    assert not piece.shown_on_storefront


def test_transfer_screen_moves_a_piece(owner, shop):
    tenant, main, mall, rings = shop
    piece = _receive(tenant, category=rings, branch=main)

    response = owner.post(
        reverse("inventory_transfer_piece", args=[piece.pk]),
        {"to_branch": mall.pk, "reason": "Display"},
    )

    assert response.status_code == 302
    assert response["Location"] == url("inspect", piece.pk)
    with tenant_context(tenant):
        piece.refresh_from_db()
    assert piece.branch_id == mall.pk


def test_sales_staff_can_look_but_not_add_pieces(client, shop):
    tenant, main, _, rings = shop
    client.force_login(make_member(tenant, Membership.Role.SALES))

    assert client.get(url("list")).status_code == 200
    response = client.post(url("add"), _form(rings, main))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"  # Wagtail's permission refusal
    with tenant_context(tenant):
        assert not Piece.objects.exists()
        assert not StockMovement.objects.exists()


def _listing_queries(client, tenant, rings, branch, total):
    with tenant_context(tenant):
        have = Piece.objects.count()
        Piece.objects.bulk_create(
            PieceFactory.build(
                sku=f"BULK{i}", category=rings, branch=branch, tenant=tenant
            )
            for i in range(have, total)
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("list"), {"status": "in_stock", "q": "ring"})
    assert response.status_code == 200
    return len(queries)


def test_the_piece_listing_runs_as_many_queries_for_1000_pieces_as_for_10(owner, shop):
    tenant, main, _, rings = shop
    owner.get(url("list"))  # warm per-process caches (content types, sites)

    for_10 = _listing_queries(owner, tenant, rings, main, 10)
    for_1000 = _listing_queries(owner, tenant, rings, main, 1000)

    assert for_1000 == for_10
    assert for_10 <= 40


def test_the_stock_ledger_screen_can_be_read_but_offers_no_changes(
    client, admin_user, shop
):
    tenant, main, _, rings = shop
    piece = _receive(tenant, category=rings, branch=main)
    with tenant_context(tenant):
        entry = piece.movements.get()
    client.force_login(admin_user)
    client.post("/admin/shop/switch/", {"tenant": tenant.pk})

    listing = client.get("/admin/stockmovement/")
    inspect = client.get(f"/admin/stockmovement/inspect/{entry.pk}/")

    assert listing.status_code == 200
    assert piece.sku in listing.content.decode()
    assert inspect.status_code == 200
    for path in ["new/", f"edit/{entry.pk}/", f"delete/{entry.pk}/"]:
        assert client.get(f"/admin/stockmovement/{path}").status_code == 404
    assert client.post(f"/admin/stockmovement/delete/{entry.pk}/").status_code == 404
    with tenant_context(tenant):
        assert list(StockMovement.objects.values_list("pk", "kind", "reason")) == [
            (entry.pk, entry.kind, entry.reason)
        ]
