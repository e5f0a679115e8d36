"""The point of sale's invariants under real concurrent transactions, each counter
on its own database connection: a piece is sold once however many counters try at
the same instant, sale numbers run 1..n without a gap or a duplicate, and store
credit is never spent twice.

Transactional tests commit their data, so they live in this module of their own
(it runs after the others) and restore Wagtail's initial data for each test.
"""

from decimal import Decimal

import pytest

from back_office.inventory.models import Piece, StockMovement
from back_office.sales import services
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import Sale, StoreCreditEntry
from back_office.sales.services import credit
from back_office.tenancy.context import tenant_context
from tests.concurrency import at_once
from tests.factories.sales import fixed_price_piece, sale_with
from tests.factories.tenants import BranchFactory, make_member, make_tenant

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PRICE = Decimal("1287.50")  # the fixed-price piece's USD 1,250.00 plus 3 % tax


@pytest.fixture
def shop():
    return make_tenant("aurum", tax_rate=Decimal("3.00"))


@pytest.fixture
def clerks(shop):
    return [make_member(shop, "sales", f"clerk{n}@aurum.test") for n in range(16)]


def paid_sale(shop, piece, user) -> Sale:
    with tenant_context(shop):
        sale = sale_with(piece, user=user)
        services.add_tender(sale, "card", PRICE, user=user, reference="AUTH")
    return sale


@pytest.mark.parametrize("counters", [2, 16])
def test_one_piece_completed_at_many_counters_at_once_is_sold_once(
    shop, clerks, counters
):
    with tenant_context(shop):
        piece = fixed_price_piece(branch=BranchFactory())
    sales = [paid_sale(shop, piece, clerks[n]) for n in range(counters)]

    def complete(n):
        with tenant_context(shop):
            return services.complete_sale(sales[n], user=clerks[n])

    outcomes = at_once(counters, complete)

    done = [o for o in outcomes if isinstance(o, Sale)]
    refused = [o for o in outcomes if not isinstance(o, Sale)]
    assert len(done) == 1
    assert {(type(o), o.code) for o in refused} == {
        (SalesError, SalesErrorCode.ALREADY_SOLD)
    }
    assert len(refused) == counters - 1
    with tenant_context(shop):
        assert Piece.objects.get(pk=piece.pk).status == Piece.Status.SOLD
        sold = StockMovement.objects.filter(piece=piece, kind="sold")
        assert sold.count() == 1
        numbered = Sale.objects.exclude(number=None)
        assert list(numbered.values_list("number", flat=True)) == [1]


def test_sixteen_completions_at_once_are_numbered_1_to_16(shop, clerks):
    with tenant_context(shop):
        branch = BranchFactory()
        pieces = [fixed_price_piece(branch=branch) for _ in range(16)]
    sales = [paid_sale(shop, pieces[n], clerks[n]) for n in range(16)]

    def complete(n):
        with tenant_context(shop):
            return services.complete_sale(sales[n], user=clerks[n]).number

    outcomes = at_once(16, complete)

    assert sorted(outcomes) == list(range(1, 17)), outcomes
    with tenant_context(shop):
        by_time = Sale.objects.order_by("completed_at", "number")
        # In completion order: the number is taken inside the completing
        # transaction, under the counter's lock.
        assert list(by_time.values_list("number", flat=True)) == list(range(1, 17))


def test_failed_completions_among_concurrent_ones_leave_no_gap(shop, clerks):
    with tenant_context(shop):
        branch = BranchFactory()
        pieces = [fixed_price_piece(branch=branch) for _ in range(8)]
        sales = []
        for n, piece in enumerate(pieces):
            sale = sale_with(piece, user=clerks[n])
            # Every other sale is short of its payment: refused.
            amount = PRICE if n % 2 == 0 else PRICE - 1
            services.add_tender(sale, "card", amount, user=clerks[n], reference="A")
            sales.append(sale)

    def complete(n):
        with tenant_context(shop):
            return services.complete_sale(sales[n], user=clerks[n]).number

    outcomes = at_once(8, complete)

    numbers = sorted(o for o in outcomes if isinstance(o, int))
    assert numbers == [1, 2, 3, 4]
    assert {o.code for o in outcomes if isinstance(o, SalesError)} == {
        SalesErrorCode.NOT_COVERED
    }
    with tenant_context(shop):
        later = sale_with(fixed_price_piece(branch=branch), user=clerks[0])
        services.add_tender(later, "cash", PRICE, user=clerks[0])
        assert services.complete_sale(later, user=clerks[0]).number == 5


def test_store_credit_spent_at_two_counters_at_once_is_spent_once(shop, clerks):
    with tenant_context(shop):
        branch = BranchFactory()
        customer = services.add_customer(user=clerks[0], name="Asha Rao")
        credit.record_credit(customer, PRICE, user=clerks[0], note="Refund")
        sales = []
        for n in range(2):
            sale = sale_with(fixed_price_piece(branch=branch), user=clerks[n])
            services.set_customer(sale, customer, user=clerks[n])
            services.add_tender(sale, "store_credit", PRICE, user=clerks[n])
            sales.append(sale)

    def complete(n):
        with tenant_context(shop):
            return services.complete_sale(sales[n], user=clerks[n])

    outcomes = at_once(2, complete)

    assert sum(isinstance(o, Sale) for o in outcomes) == 1
    assert [o.code for o in outcomes if isinstance(o, SalesError)] == [
        SalesErrorCode.NOT_ENOUGH_CREDIT
    ]
    with tenant_context(shop):
        balances = list(
            StoreCreditEntry.objects.order_by("id").values_list(
                "balance_after", flat=True
            )
        )
    assert balances == [PRICE, Decimal("0.00")]
