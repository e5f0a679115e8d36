"""The stock ledger: every change of stock is an entry, and on-hand equals the sum."""

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum

from back_office.inventory import services
from back_office.inventory.errors import StockError
from back_office.inventory.models import Piece, StockLevel, StockMovement
from back_office.tenancy.context import tenant_context
from tests.factories.inventory import CategoryFactory, PieceFactory, StockItemFactory
from tests.factories.tenants import BranchFactory

Status = Piece.Status
Kind = StockMovement.Kind


@pytest.fixture
def shop(aurum):
    with tenant_context(aurum):
        yield aurum


@pytest.fixture
def branches(shop):
    return BranchFactory(code="MAIN"), BranchFactory(code="MALL")


@pytest.fixture
def piece(branches):
    return PieceFactory(category=CategoryFactory(), branch=branches[0])


def _kinds(piece):
    return list(
        piece.movements.order_by("id").values_list(
            "kind", "branch__code", "quantity_delta"
        )
    )


def test_receiving_a_piece_writes_a_received_entry(piece):
    assert piece.status == Status.IN_STOCK
    assert _kinds(piece) == [("received", "MAIN", Decimal("1.000"))]


def test_a_transfer_is_one_entry_out_and_one_in_with_a_shared_reference(
    piece, branches
):
    services.transfer_piece(piece, branches[1], reason="Window display")

    piece.refresh_from_db()
    assert piece.branch == branches[1]
    out, into = piece.movements.filter(kind="transferred").order_by("id")
    assert (out.branch, out.quantity_delta) == (branches[0], Decimal(-1))
    assert (into.branch, into.quantity_delta) == (branches[1], Decimal(1))
    assert out.reference == into.reference
    assert out.reason == "Window display"


def test_a_piece_that_is_not_in_stock_cannot_be_transferred(piece, branches):
    services.move_piece(piece, Kind.RESERVED, reference="R-1")

    with pytest.raises(StockError, match="is reserved, so it cannot be moved"):
        services.transfer_piece(piece, branches[1])
    assert piece.movements.filter(kind="transferred").count() == 0
    piece.refresh_from_db()
    assert (piece.status, piece.branch) == (Status.RESERVED, branches[0])


def test_a_sold_piece_cannot_be_sold_again(piece):
    services.move_piece(piece, Kind.SOLD, reference="S-1")

    with pytest.raises(StockError, match="is sold, so it cannot be sold"):
        services.move_piece(piece, Kind.SOLD, reference="S-2")
    assert piece.movements.filter(kind="sold").count() == 1
    assert [k for k, _, _ in _kinds(piece)] == ["received", "sold"]


def test_a_reserved_piece_can_be_sold_or_released(piece):
    for kind in [Kind.RESERVED, Kind.RELEASED, Kind.RESERVED, Kind.SOLD]:
        services.move_piece(piece, kind)

    piece.refresh_from_db()
    assert piece.status == Status.SOLD
    assert [k for k, _, _ in _kinds(piece)] == [
        "received",
        "reserved",
        "released",
        "reserved",
        "sold",
    ]


def test_a_returned_piece_comes_back_into_stock_at_the_branch_it_is_returned_to(
    piece, branches
):
    services.move_piece(piece, Kind.SOLD)
    services.move_piece(piece, Kind.RETURNED, branch=branches[1], reference="S-1")

    piece.refresh_from_db()
    assert (piece.status, piece.branch) == (Status.IN_STOCK, branches[1])


def test_sending_a_piece_for_repair_needs_a_reason(piece):
    with pytest.raises(StockError, match="Say why"):
        services.move_piece(piece, Kind.REPAIR_OUT, reason=" ")
    assert piece.movements.count() == 1  # only its receipt
    piece.refresh_from_db()
    assert piece.status == Status.IN_STOCK

    services.move_piece(piece, Kind.REPAIR_OUT, reason="Prong repair")
    piece.refresh_from_db()
    assert piece.status == Status.IN_REPAIR
    assert _kinds(piece)[-1] == ("repair_out", "MAIN", Decimal(-1))


def test_quantity_cannot_go_below_zero_and_nothing_is_written(branches):
    chain = StockItemFactory()
    services.receive_stock(chain, branches[0], 3)

    with pytest.raises(StockError, match="Only 3 pieces of .* at .*; cannot take 5"):
        services.sell_stock(chain, branches[0], 5)

    assert StockLevel.objects.get(item=chain, branch=branches[0]).quantity == 3
    assert chain.movements.count() == 1


def test_a_quantity_transfer_moves_stock_between_branches(branches):
    melee = StockItemFactory(unit="carat", sku="MELEE")
    services.receive_stock(melee, branches[0], Decimal("2.500"))

    services.transfer_stock(melee, branches[0], branches[1], Decimal("0.750"))

    levels = dict(
        StockLevel.objects.filter(item=melee).values_list("branch__code", "quantity")
    )
    assert levels == {"MAIN": Decimal("1.750"), "MALL": Decimal("0.750")}


def test_an_adjustment_needs_a_reason(branches):
    chain = StockItemFactory()
    services.receive_stock(chain, branches[0], 3)

    with pytest.raises(StockError, match="Say why"):
        services.adjust_stock(chain, branches[0], -1, reason="")
    assert StockLevel.objects.get(item=chain, branch=branches[0]).quantity == 3
    assert chain.movements.count() == 1  # only the receipt
    services.adjust_stock(chain, branches[0], -1, reason="Broken clasp")

    assert chain.movements.get(kind="adjusted").reason == "Broken clasp"


def test_ledger_entries_cannot_be_changed_or_deleted(piece):
    entry = piece.movements.get()

    entry.reason = "rewritten"
    with pytest.raises(ValidationError, match="cannot be changed"):
        entry.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        entry.delete()
    assert list(StockMovement.objects.values_list("pk", "reason")) == [(entry.pk, "")]


def test_the_application_role_may_not_update_or_delete_ledger_rows(piece):
    entry = piece.movements.get()
    for statement in [
        "UPDATE inventory_stockmovement SET reason = 'x'",
        "DELETE FROM inventory_stockmovement",
    ]:
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert list(StockMovement.objects.values_list("pk", "reason")) == [(entry.pk, "")]


def _assert_ledger_matches_stock():
    for level in StockLevel.objects.all():
        total = level.item.movements.filter(branch=level.branch).aggregate(
            total=Sum("quantity_delta")
        )["total"]
        assert level.quantity == total, f"{level}: ledger says {total}"
    for piece in Piece.objects.all():
        per_branch = dict(
            piece.movements.values("branch")
            .annotate(total=Sum("quantity_delta"))
            .values_list("branch", "total")
        )
        on_hand = piece.status in (Status.IN_STOCK, Status.RESERVED)
        expected = {piece.branch_id: 1} if on_hand else {}
        assert {b: t for b, t in per_branch.items() if t} == expected, piece.sku


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_on_hand_always_equals_the_ledger_sum_after_random_operations(branches, seed):
    rng = random.Random(seed)
    pieces = [PieceFactory(category=CategoryFactory()) for _ in range(6)]
    items = [StockItemFactory() for _ in range(3)]
    piece_operations = [
        lambda p: services.transfer_piece(p, rng.choice(branches)),
        *[
            lambda p, kind=kind: services.move_piece(
                p, kind, branch=rng.choice(branches), reason="checked"
            )
            for kind in services.stock.DOING
            if kind != Kind.TRANSFERRED
        ],
    ]
    item_operations = [
        lambda i: services.receive_stock(i, rng.choice(branches), rng.randint(1, 9)),
        lambda i: services.sell_stock(i, rng.choice(branches), rng.randint(1, 4)),
        lambda i: services.return_stock(i, rng.choice(branches), 1),
        lambda i: services.adjust_stock(
            i, rng.choice(branches), rng.choice([-2, -1, 1, 2]), reason="count"
        ),
        lambda i: services.transfer_stock(i, *rng.sample(branches, 2), 1),
    ]

    refused = 0
    for _ in range(150):
        try:
            if rng.random() < 0.6:
                rng.choice(piece_operations)(rng.choice(pieces))
            else:
                rng.choice(item_operations)(rng.choice(items))
        except StockError:
            refused += 1  # refused operations must leave no trace either

    _assert_ledger_matches_stock()
    assert 0 < refused < 150
    assert StockMovement.objects.count() > 50


@pytest.mark.parametrize("quantity", ["2.5", "0.001"])
def test_items_counted_in_pieces_move_by_whole_pieces_only(aurum, quantity):
    with tenant_context(aurum):
        branch = BranchFactory()
        chain = StockItemFactory(unit="piece")
        with pytest.raises(StockError, match="counted in pieces: use a whole number"):
            services.receive_stock(chain, branch, quantity)
        assert not StockMovement.objects.filter(item=chain).exists()
        gold = StockItemFactory(unit="gram")
        assert services.receive_stock(gold, branch, "2.5").quantity == Decimal("2.5")
