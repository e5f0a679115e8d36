"""The piece listing and the piece's sheet as a jeweller reads them, and what each
role is offered there: sales staff see no cost and no action they may not take."""

import csv
import io
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from back_office.inventory import services
from back_office.inventory.models import Piece
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.factories.inventory import (
    CategoryFactory,
    MetalRateFactory,
    PieceFactory,
    StoneFactory,
    photo_of,
)
from tests.factories.tenants import BranchFactory, make_member, owner_of

get_resolver().url_patterns  # noqa: B018 - loading the admin registers the ViewSets
PIECES = Piece.snippet_viewset


def url(name, *args):
    return reverse(PIECES.get_url_name(name), args=args)


@pytest.fixture
def ring(aurum):
    """An 18K ring with a certified diamond, moved once between branches."""
    with tenant_context(aurum):
        main = BranchFactory(name="Main Street")
        mall = BranchFactory(name="Riverside Mall")
        MetalRateFactory(metal="gold", rate_per_gram=Decimal("86.4000"))
        piece = PieceFactory(
            sku="AUR-0001",
            title="Solitaire ring",
            category=CategoryFactory(name="Rings"),
            branch=main,
            fineness=750,
            gross_weight_g=Decimal("4.619"),
            net_weight_g=Decimal("4.169"),
            making_charge_type="per_gram",
            making_charge=Decimal("15.00"),
            cost=Decimal("801.09"),
        )
        StoneFactory(
            piece=piece,
            carats=Decimal("0.300"),
            value=Decimal("840.00"),
            certificate_lab="GIA",
            certificate_number="5338774288",
        )
        services.transfer_piece(piece, mall, reason="Window display")
    return piece


@pytest.fixture
def sales(client, aurum):
    client.force_login(make_member(aurum, Membership.Role.SALES))
    return client


@pytest.fixture
def owner(client, aurum):
    client.force_login(owner_of(aurum))
    return client


def _text(response) -> str:
    """What a person reads on the screen (the main content, without markup)."""
    main = BeautifulSoup(response.content, "html.parser").find("main")
    return " ".join(main.get_text(" ").split())


def test_the_sheet_reads_like_a_jewellers_stock_card(owner, ring):
    text = _text(owner.get(url("inspect", ring.pk)))

    assert "Purity 18K gold (750)" in text
    assert "Gross weight 4.619 g" in text
    assert "Net metal weight 4.169 g" in text
    assert "Making charge USD 15.00 per g of metal" in text
    assert "1 × natural diamond" in text
    assert "0.3 ct" in text
    assert "GIA 5338774288" in text
    assert "In stock at Riverside Mall" in text.replace("IN STOCK", "In stock")
    # The ledger: the transfer is one line, without its internal reference.
    assert "Moved Main Street → Riverside Mall" in text
    assert "Window display" in text
    with tenant_context(ring.tenant):
        reference = ring.movements.filter(kind="transferred").first().reference
    assert reference not in text
    for raw in ("None", "True", "False", f"ID {ring.pk}"):
        assert raw not in text.split(), raw


def test_the_sheet_shows_the_price_as_jewellers_show_it(owner, ring):
    text = _text(owner.get(url("inspect", ring.pk)))

    # 4.169 g x 86.40 x 0.750 = 270.1512 -> 270.15; making 15.00 x 4.169 = 62.535
    # -> 62.54 (62.535 exact); stones 840.00; no tax: 1,172.6862 -> 1,172.69
    assert "4.169 g × USD 86.40/g × 750‰ USD 270.15" in text
    assert "Making charge USD 15.00 per g of metal USD 62.54" in text
    assert "Stones USD 840.00" in text
    assert "The customer pays USD 1,172.69" in text
    assert "the price follows today's rate" in text


def test_the_owner_sees_the_cost_and_every_action(owner, ring):
    content = owner.get(url("inspect", ring.pk)).content.decode()

    assert "USD 801.09" in content
    assert url("edit", ring.pk) in content
    assert reverse("inventory_transfer_piece", args=[ring.pk]) in content
    assert f"{reverse('inventory_labels')}?id={ring.pk}" in content


def test_sales_staff_see_no_cost_and_only_the_tag_to_print(sales, ring):
    content = sales.get(url("inspect", ring.pk)).content.decode()

    assert "801.09" not in content
    assert "Cost" not in _text(sales.get(url("inspect", ring.pk)))
    assert url("edit", ring.pk) not in content
    assert reverse("inventory_transfer_piece", args=[ring.pk]) not in content
    assert f"{reverse('inventory_labels')}?id={ring.pk}" in content


def test_the_listing_shows_photo_price_weight_and_purity_and_opens_the_sheet(
    owner, ring
):
    with tenant_context(ring.tenant):
        photo_of(ring)

    listing = BeautifulSoup(owner.get(url("list")).content, "html.parser")
    sku = listing.find("a", href=url("inspect", ring.pk))

    assert " ".join(sku.get_text().split()) == "AUR-0001"
    row = sku.find_parent("tr")
    cells = " ".join(row.get_text(" ").split())
    assert "18K gold (750)" in cells
    assert "4.169 g" in cells
    assert "USD 1,172.69" in cells
    assert row.find("img", class_="piece-thumbnail")


def test_the_listing_with_photos_runs_as_many_queries_for_30_pieces_as_for_3(
    owner, ring
):
    def listing_queries(count):
        with tenant_context(ring.tenant):
            while Piece.objects.count() < count:
                photo_of(PieceFactory(category=ring.category, branch=ring.branch))
        owner.get(url("list"))  # renditions are made once, on the first view
        with CaptureQueriesContext(connection) as queries:
            assert owner.get(url("list")).status_code == 200
        return len(queries)

    assert listing_queries(30) == listing_queries(3)


def _bulk_actions(client) -> set[str]:
    footer = BeautifulSoup(client.get(url("list")).content, "html.parser").find(
        class_="bulk-actions-buttons"
    )
    return {" ".join(a.get_text().split()) for a in footer.find_all("a")}


def test_sales_staff_are_offered_only_the_bulk_actions_they_may_take(sales, ring):
    assert _bulk_actions(sales) == {"Print tags"}


def test_the_owner_is_offered_the_stock_bulk_actions_but_no_delete(owner, ring):
    # No role deletes a piece: one entered by mistake is written off.
    assert _bulk_actions(owner) == {
        "Move to branch",
        "Print tags",
        "Show on storefront",
        "Hide from storefront",
    }


def _exported_columns(client) -> list[str]:
    response = client.get(url("list"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    return next(csv.reader(io.StringIO(content)))


def test_sales_staff_export_the_listing_without_costs(sales, ring):
    assert "cost" not in _exported_columns(sales)


def test_the_owners_export_carries_the_cost_to_import_again(owner, ring):
    assert "cost" in _exported_columns(owner)


def _sidebar_search_url(client) -> str:
    """Where the admin's search box sends a query (Wagtail's sidebar props)."""
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    match = re.search(r'"wagtail\.sidebar\.SearchModule", "_args": \["(.*?)"\]', html)
    return match.group(1) if match else ""


@pytest.mark.parametrize("role", [Membership.Role.OWNER, Membership.Role.SALES])
def test_the_admins_search_box_finds_pieces(client, aurum, ring, role):
    member = (
        owner_of(aurum) if role == Membership.Role.OWNER else make_member(aurum, role)
    )
    client.force_login(member)

    search = _sidebar_search_url(client)
    assert search == url("list")
    for term in ("aur-0001", "Solitaire", "5338774288"):
        found = client.get(search, {"q": term}).content.decode()
        assert url("inspect", ring.pk) in found, term


def _write_off(client, piece, reason):
    return client.post(
        reverse("inventory_write_off_piece", args=[piece.pk]), {"reason": reason}
    )


def test_a_piece_entered_by_mistake_is_written_off_through_the_ledger(owner, ring):
    assert reverse("inventory_write_off_piece", args=[ring.pk]) in (
        owner.get(url("inspect", ring.pk)).content.decode()
    )

    response = _write_off(owner, ring, "Entered twice")

    assert response["Location"] == url("inspect", ring.pk)
    with tenant_context(ring.tenant):
        ring.refresh_from_db()
        last = ring.movements.order_by("-id").first()
    assert ring.status == Piece.Status.WRITTEN_OFF
    assert (last.kind, last.quantity_delta, last.reason) == (
        "written_off",
        Decimal(-1),
        "Entered twice",
    )
    assert url("inspect", ring.pk) not in owner.get(url("list")).content.decode()
    written_off = owner.get(url("list"), {"status": "written_off"}).content.decode()
    assert url("inspect", ring.pk) in written_off


def test_a_write_off_needs_a_reason_and_writes_nothing_without(owner, ring):
    response = _write_off(owner, ring, "")

    assert response.status_code == 200
    with tenant_context(ring.tenant):
        ring.refresh_from_db()
        assert ring.status == Piece.Status.IN_STOCK
        assert not ring.movements.filter(kind="written_off").exists()


def test_a_sold_piece_cannot_be_written_off(owner, ring):
    with tenant_context(ring.tenant):
        services.move_piece(ring, "sold")

    response = _write_off(owner, ring, "Entered twice")

    assert "AUR-0001 is sold, so it cannot be written off." in (
        response.content.decode()
    )
    with tenant_context(ring.tenant):
        assert not ring.movements.filter(kind="written_off").exists()


def test_sales_staff_cannot_write_off(sales, ring):
    sheet = sales.get(url("inspect", ring.pk)).content.decode()

    assert reverse("inventory_write_off_piece", args=[ring.pk]) not in sheet
    assert _write_off(sales, ring, "Entered twice")["Location"] == "/admin/"
    with tenant_context(ring.tenant):
        ring.refresh_from_db()
        assert ring.status == Piece.Status.IN_STOCK
