"""The same stock changed from several counters at the same instant: real transactions,
each on its own connection.

Transactional tests commit their data, so they live in this module of their own
(it runs after the others) and restore Wagtail's initial data for each test.
"""

import pytest
from django.db.models import Sum

from back_office.inventory import services
from back_office.inventory.errors import StockError
from back_office.inventory.models import Piece, StockLevel, StockMovement
from back_office.tenancy.context import tenant_context
from tests.concurrency import at_once
from tests.factories.inventory import CategoryFactory, PieceFactory, StockItemFactory
from tests.factories.tenants import BranchFactory, make_tenant

Kind = StockMovement.Kind
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_piece_is_sold_once_when_two_counters_sell_it_at_the_same_instant():
    shop = make_tenant("aurum")
    with tenant_context(shop):
        piece = PieceFactory(category=CategoryFactory())

    def sell(i):
        with tenant_context(shop):
            return services.move_piece(piece, Kind.SOLD, reference=f"COUNTER-{i}")

    outcomes = at_once(2, sell)

    sold = [o for o in outcomes if isinstance(o, Piece)]
    refused = [o for o in outcomes if isinstance(o, StockError)]
    assert len(sold) == 1
    assert len(refused) == 1
    assert "is sold, so it cannot be sold" in str(refused[0])
    with tenant_context(shop):
        assert piece.movements.filter(kind="sold").count() == 1


def test_six_receipts_at_once_onto_a_level_of_one_leave_seven():
    shop = make_tenant("aurum")
    with tenant_context(shop):
        branch, chain = BranchFactory(), StockItemFactory()
        services.receive_stock(chain, branch, 1)

    def receive(i):
        with tenant_context(shop):
            return services.receive_stock(chain, branch, 1, reference=f"DELIVERY-{i}")

    outcomes = at_once(6, receive)

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    with tenant_context(shop):
        assert StockLevel.objects.get(item=chain, branch=branch).quantity == 7
        assert chain.movements.aggregate(on_hand=Sum("quantity_delta")) == {
            "on_hand": 7
        }
