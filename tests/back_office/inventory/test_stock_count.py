"""Stock counts: scan a branch's pieces; the count is kept (who, when, where, what
was scanned, what it found), printable and exportable, and a misplaced piece is
moved to the counted branch in one click."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from back_office.inventory.models import Piece, StockCount
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.factories.inventory import CategoryFactory, PieceFactory
from tests.factories.tenants import BranchFactory, make_member, owner_of


@pytest.fixture
def branches(aurum):
    """Main Street holds HERE1 and GONE1; AWAY1 is recorded at the mall."""
    with tenant_context(aurum):
        main = BranchFactory(code="MAIN", name="Main Street")
        mall = BranchFactory(code="MALL", name="Riverside Mall")
        rings = CategoryFactory(name="Rings")
        for sku, branch in [("HERE1", main), ("GONE1", main), ("AWAY1", mall)]:
            PieceFactory(sku=sku, title=f"Ring {sku}", category=rings, branch=branch)
    return main, mall


@pytest.fixture
def owner(client, aurum):
    client.force_login(owner_of(aurum))
    return client


def _count(client, branch, scanned):
    return client.post(
        reverse("inventory_count"), {"branch": branch.pk, "scanned": scanned}
    )


def _kept(tenant) -> StockCount:
    with tenant_context(tenant):
        return StockCount.objects.select_related("branch", "counted_by").get()


def test_a_count_is_kept_with_who_when_where_and_what_was_scanned(
    owner, aurum, branches
):
    main, _ = branches

    response = _count(owner, main, "here1\nAWAY1\nNOPE9\nHERE1")

    count = _kept(aurum)
    assert response["Location"] == reverse("inventory_count_sheet", args=[count.pk])
    assert (count.branch, count.counted_by) == (main, owner_of(aurum))
    assert count.scanned == ["HERE1", "AWAY1", "NOPE9", "HERE1"]
    assert count.found["missing"] == [{"sku": "GONE1", "title": "Ring GONE1"}]
    assert count.found["misplaced"] == [
        {"sku": "AWAY1", "title": "Ring AWAY1", "recorded_at": "Riverside Mall"}
    ]
    assert count.found["unexpected"] == ["NOPE9"]
    assert count.found["repeated"] == {"HERE1": 2}


def test_the_counts_sheet_lists_what_it_found_and_flags_repeated_scans(
    owner, aurum, branches
):
    main, _ = branches
    sheet = owner.get(_count(owner, main, "HERE1\nAWAY1\nNOPE9\nHERE1")["Location"])

    content = sheet.content.decode()
    for text in (
        "Misplaced (1)",
        "AWAY1 Ring AWAY1 (recorded at Riverside Mall)",
        "Unexpected (1)",
        "NOPE9",
        "Missing (1)",
        "GONE1 Ring GONE1",
        "Scanned more than once (1)",
        "HERE1: 2 times",
    ):
        assert text in content, text
    assert "Stock count" in owner.get(reverse("inventory_count")).content.decode()


def test_a_count_prints_on_its_own_page_and_exports_one_line_per_sku(
    owner, aurum, branches
):
    main, _ = branches
    _count(owner, main, "HERE1\nAWAY1\nNOPE9\nHERE1")
    count = _kept(aurum)
    sheet = reverse("inventory_count_sheet", args=[count.pk])

    printable = owner.get(sheet, {"print": "1"}).content.decode()
    export = owner.get(reverse("inventory_count_export", args=[count.pk]))

    assert printable.startswith("<!DOCTYPE html>")
    assert "Stock count at Main Street" in printable
    assert "window.print()" in printable
    assert "Move to" not in printable
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows == [
        ["sku", "title", "found", "recorded at", "times scanned"],
        ["HERE1", "Ring HERE1", "counted", "Main Street", "2"],
        ["GONE1", "Ring GONE1", "missing", "Main Street", "0"],
        ["AWAY1", "Ring AWAY1", "misplaced", "Riverside Mall", "1"],
        ["NOPE9", "", "unexpected", "", "1"],
    ]


def test_a_misplaced_piece_is_moved_here_in_one_click_through_the_ledger(
    owner, aurum, branches
):
    main, mall = branches
    _count(owner, main, "HERE1\nGONE1\nAWAY1")
    count = _kept(aurum)
    move = reverse("inventory_count_move", args=[count.pk, "AWAY1"])
    assert (
        move
        in owner.get(reverse("inventory_count_sheet", args=[count.pk])).content.decode()
    )

    response = owner.post(move)

    assert response["Location"] == reverse("inventory_count_sheet", args=[count.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "AWAY1 moved to Main Street."
    ]
    with tenant_context(aurum):
        away = Piece.objects.get(sku="AWAY1")
        transfer = away.movements.filter(kind="transferred").order_by("id")
        assert away.branch == main
        assert [m.branch for m in transfer] == [mall, main]
        assert transfer.last().reason.startswith("Found in the stock count of")
    # Moved: the sheet offers it no more.
    assert (
        move
        not in owner.get(
            reverse("inventory_count_sheet", args=[count.pk])
        ).content.decode()
    )


def test_a_scan_that_looks_like_a_formula_is_exported_as_text(owner, aurum, branches):
    main, _ = branches
    _count(owner, main, '=HYPERLINK("HTTP://EVIL.EXAMPLE","OPEN")')

    export = owner.get(reverse("inventory_count_export", args=[_kept(aurum).pk]))

    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert [
        '\'=HYPERLINK("HTTP://EVIL.EXAMPLE","OPEN")',
        "",
        "unexpected",
        "",
        "1",
    ] in rows


def test_a_misplaced_piece_whose_sku_has_a_slash_is_moved_too(owner, aurum, branches):
    main, mall = branches
    with tenant_context(aurum):
        PieceFactory(sku="RG/22", category=CategoryFactory(name="Rings"), branch=mall)
    _count(owner, main, "RG/22")
    count = _kept(aurum)
    sheet = owner.get(reverse("inventory_count_sheet", args=[count.pk]))
    move = reverse("inventory_count_move", args=[count.pk, "RG/22"])

    assert move in sheet.content.decode()
    owner.post(move)
    with tenant_context(aurum):
        assert Piece.objects.get(sku="RG/22").branch == main


def test_only_a_piece_the_count_found_out_of_place_can_be_moved_from_it(
    owner, aurum, branches
):
    main, mall = branches
    _count(owner, main, "HERE1\nGONE1")
    count = _kept(aurum)

    response = owner.post(reverse("inventory_count_move", args=[count.pk, "AWAY1"]))

    assert response.status_code == 404
    with tenant_context(aurum):
        assert Piece.objects.get(sku="AWAY1").branch == mall


def test_sales_staff_count_but_cannot_move_pieces(client, aurum, branches):
    main, mall = branches
    client.force_login(make_member(aurum, Membership.Role.SALES))
    _count(client, main, "AWAY1")
    count = _kept(aurum)
    move = reverse("inventory_count_move", args=[count.pk, "AWAY1"])

    sheet = client.get(
        reverse("inventory_count_sheet", args=[count.pk])
    ).content.decode()
    refused = client.post(move)

    assert "AWAY1" in sheet
    assert move not in sheet
    assert refused["Location"] == "/admin/"
    with tenant_context(aurum):
        assert Piece.objects.get(sku="AWAY1").branch == mall
