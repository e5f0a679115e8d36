"""The piece lifecycle: the moves models.PIECE_TRANSITIONS allows, and no other."""

import re
from decimal import Decimal

import pytest

from back_office.inventory import services
from back_office.inventory.errors import StockError, StockErrorCode
from back_office.inventory.models import PIECE_TRANSITIONS, Piece, StockMovement
from back_office.tenancy.context import tenant_context
from tests.factories.inventory import PieceFactory
from tests.factories.tenants import BranchFactory
from tests.utils import PROJECT_DIR

Status, Kind = Piece.Status, StockMovement.Kind
PIECE_MOVES = [kind for kind in services.stock.DOING if kind != Kind.TRANSFERRED]
# How to bring a piece in stock into each status, by the table's own moves.
WAY_TO = {
    Status.IN_STOCK: [],
    Status.RESERVED: [Kind.RESERVED],
    Status.SOLD: [Kind.SOLD],
    Status.ON_MEMO: [Kind.MEMO_OUT],
    Status.IN_REPAIR: [Kind.REPAIR_OUT],
    Status.RETURNED_TO_VENDOR: [Kind.VENDOR_OUT],
}
# The ledger entry of a move: -1 leaving the shop, +1 coming back, 0 staying.
LEDGER = {
    Kind.RESERVED: 0,
    Kind.RELEASED: 0,
    Kind.SOLD: -1,
    Kind.RETURNED: 1,
    Kind.MEMO_OUT: -1,
    Kind.MEMO_IN: 1,
    Kind.REPAIR_OUT: -1,
    Kind.REPAIR_IN: 1,
    Kind.VENDOR_OUT: -1,
    Kind.VENDOR_IN: 1,
    Kind.WRITTEN_OFF: -1,
}


@pytest.fixture
def branches(aurum):
    with tenant_context(aurum):
        yield BranchFactory(code="MAIN"), BranchFactory(code="MALL")


def _piece_that_is(status, branch):
    piece = PieceFactory(branch=branch)
    for kind in WAY_TO[status]:
        services.move_piece(piece, kind, reason="to get there")
    assert piece.status == status
    return piece


@pytest.mark.parametrize("kind", PIECE_MOVES)
@pytest.mark.parametrize("status", list(WAY_TO))
def test_a_move_goes_where_the_table_says_or_is_refused_writing_nothing(
    branches, status, kind
):
    main, mall = branches
    piece = _piece_that_is(status, main)
    entries = piece.movements.count()

    if (status, kind) not in PIECE_TRANSITIONS:
        with pytest.raises(StockError) as refused:
            services.move_piece(piece, kind, branch=mall, reason="trying")
        assert refused.value.code == StockErrorCode.NOT_ALLOWED_NOW
        piece.refresh_from_db()
        assert (piece.status, piece.branch) == (status, main)
        assert piece.movements.count() == entries
        return

    services.move_piece(piece, kind, branch=mall, reason="a reason")

    assert piece.status == PIECE_TRANSITIONS[(status, kind)]
    entry = piece.movements.latest("id")
    assert (entry.kind, entry.quantity_delta) == (kind, Decimal(LEDGER[kind]))
    # Only a piece coming back into the shop comes back at the branch named.
    assert piece.branch == (mall if LEDGER[kind] > 0 else main)


def _label(choices, text: str) -> str:
    text = re.sub(r"\s*\(.*\)", "", text).strip()
    return next(value for value, label in choices if label.lower() == text)


def test_the_lifecycle_table_in_docs_inventory_is_the_one_the_services_follow():
    page = (PROJECT_DIR / "docs" / "inventory.md").read_text()
    table = page.split("<!-- piece-transitions")[1].split("<!-- /piece-transitions")[0]
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in table.splitlines()[3:]
        if line.startswith("|")
    ]

    documented = {
        (_label(Status.choices, was), _label(Kind.choices, move)): _label(
            Status.choices, becomes
        )
        for was, move, becomes, _ in rows
    }
    assert documented == PIECE_TRANSITIONS
