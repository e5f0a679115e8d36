"""Returns, voids and the till's day, through the services (the worked example of
conftest: the Lotus ring at USD 621.13)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from back_office.inventory import services as inventory
from back_office.inventory.models import Piece, StockLevel
from back_office.sales import queries, services
from back_office.sales.models import Sale, SaleReturn, StoreCreditEntry, TillDay
from back_office.tenancy.context import tenant_context
from tests.back_office.sales.conftest import RING_TOTAL, refused
from tests.factories.inventory import PieceFactory, StockItemFactory
from tests.factories.sales import sale_with, sell

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(clerk_user):
    return clerk_user


def _tag(branch, price="100.00"):
    return PieceFactory(branch=branch, pricing_mode="fixed", tag_price=Decimal(price))


def _chain_sold(branch, clerk, unit_price: str, quantity: int, cash: str):
    """A sale of `quantity` chains (of the `quantity` in stock), paid in cash: its
    only line."""
    chain = StockItemFactory(sku="CH-1", unit_price=Decimal(unit_price))
    inventory.receive_stock(chain, branch, quantity + 2)
    sale = services.start_sale(branch=branch, user=clerk)
    services.add_code(sale, "CH-1", user=clerk, quantity=quantity)
    services.add_tender(sale, "cash", cash, user=clerk)
    sale = services.complete_sale(sale, user=clerk)
    return sale, sale.lines.get()


def test_a_returned_ring_goes_back_into_stock_and_is_refunded_by_card(
    shop, ring, clerk, manager
):
    with tenant_context(shop):
        sale = sell(ring, user=clerk)
        line = sale.lines.get()
        sale_return = services.return_lines(
            sale,
            {line.pk: 1},
            user=manager,
            refund_kind="card",
            refund_reference="RF-1",
            reason="Too small",
        )
        ring.refresh_from_db()
        line.refresh_from_db()

    assert (sale_return.reference, sale_return.refund_total) == ("1-R1", RING_TOTAL)
    assert ring.status == Piece.Status.IN_STOCK
    assert line.returned_quantity == 1


def test_a_line_is_never_returned_twice(shop, ring, clerk, manager):
    with tenant_context(shop):
        sale = sell(ring, user=clerk)
        line = sale.lines.get()
        options = {"user": manager, "refund_kind": "card", "reason": "Too small"}
        services.return_lines(sale, {line.pk: 1}, refund_reference="RF-1", **options)
        error = refused(
            "not_returnable",
            services.return_lines,
            sale,
            {line.pk: 1},
            refund_reference="RF-2",
            **options,
        )
        assert SaleReturn.objects.count() == 1
    assert "returned already" in error.message


def test_sales_staff_do_not_refund(shop, ring, clerk):
    with tenant_context(shop):
        sale = sell(ring, user=clerk)
        refused(
            "not_permitted",
            services.return_lines,
            sale,
            {sale.lines.get().pk: 1},
            user=clerk,
            refund_kind="cash",
            reason="x",
        )


def test_a_return_outside_the_window_is_refused(shop, ring, clerk, manager):
    with tenant_context(shop):
        sale = sell(ring, user=clerk)
        later = sale.completed_at + timedelta(days=31)
        refused(
            "not_returnable",
            services.return_lines,
            sale,
            {sale.lines.get().pk: 1},
            user=manager,
            refund_kind="store_credit",
            reason="Changed mind",
            now=later,
        )


def test_a_refund_never_exceeds_what_the_tender_took(shop, branch, clerk, manager):
    with tenant_context(shop):
        customer = services.add_customer(user=clerk, name="Asha Rao")
        piece = _tag(branch)
        sale = sale_with(piece, user=clerk, customer=customer)
        services.add_tender(sale, "cash", "50.00", user=clerk)
        services.add_tender(sale, "card", "53.00", user=clerk, reference="A1")
        services.complete_sale(sale, user=clerk)
        options = {"user": manager, "reason": "Scratched"}
        line = {sale.lines.get().pk: 1}
        refused(
            "bad_refund",
            services.return_lines,
            sale,
            line,
            refund_kind="cash",
            **options,
        )
        services.return_lines(sale, line, refund_kind="store_credit", **options)
        credit = queries.store_credit(customer)
    assert credit == Decimal("103.00")


def test_part_of_a_quantity_line_comes_back(shop, branch, clerk, manager):
    with tenant_context(shop):
        sale, line = _chain_sold(branch, clerk, "10.00", 3, cash="30.90")
        back = services.return_lines(
            sale, {line.pk: "2"}, user=manager, refund_kind="cash", reason="Spare"
        )
        refused(
            "not_returnable",
            services.return_lines,
            sale,
            {line.pk: "2"},
            user=manager,
            refund_kind="cash",
            reason="Spare",
        )
        level = StockLevel.objects.get(item=line.item, branch=branch)
    assert back.refund_total == Decimal("20.60")
    assert level.quantity == Decimal("4.000")


def test_a_same_day_void_reverses_stock_old_metal_and_credit(
    shop, ring, clerk, manager, branch
):
    with tenant_context(shop):
        customer = services.add_customer(user=clerk, name="Asha Rao")
        sale = sale_with(ring, user=clerk, customer=customer)
        services.add_trade_in(
            sale,
            user=clerk,
            metal="gold",
            purity="916",
            tested_by="xrf",
            gross_weight_g="10",
        )
        services.complete_sale(sale, user=clerk, excess_to="store_credit")
        refused("not_permitted", services.void_sale, sale, user=clerk, reason="x")
        services.void_sale(sale, user=manager, reason="Rang up the wrong ring")
        sale.refresh_from_db()
        ring.refresh_from_db()
        lot = StockLevel.objects.get(item__sku="OLD-GOLD-916", branch=branch)
        credit = queries.store_credit(customer)
        entries = StoreCreditEntry.objects.count()

    assert (sale.status, sale.number) == (Sale.Status.VOIDED, 1)
    assert ring.status == Piece.Status.IN_STOCK
    assert lot.quantity == 0
    assert credit == 0
    assert entries == 2  # given, then taken back


def test_a_sale_of_a_closed_day_is_not_voided(shop, ring, clerk, manager):
    with tenant_context(shop):
        sale = sell(ring, user=clerk)
        services.close_day(sale.day, user=manager, counted_total="0")
        refused("not_voidable", services.void_sale, sale, user=manager, reason="x")


def test_the_day_report_counts_tenders_change_payouts_and_trade_ins(
    shop, ring, branch, clerk, manager
):
    with tenant_context(shop):
        day = services.open_day(branch, user=clerk, opening_float="200.00")
        sale = sale_with(ring, user=clerk)
        services.add_trade_in(
            sale,
            user=clerk,
            metal="gold",
            purity="22K",
            tested_by="xrf",
            gross_weight_g="5.000",
            deduction_g="0.200",
        )
        services.add_tender(sale, "cash", "300.00", user=clerk)
        services.complete_sale(sale, user=clerk)
        other = sell(_tag(branch), user=clerk)
        services.void_sale(other, user=manager, reason="Wrong piece")
        report = queries.day_report(day)
        closed = services.close_day(day, user=manager, counted_total="479.94")

    assert queries.report_of(closed) == report  # frozen, read back figure for figure

    # trade-in: 4.8 g x 0.916 x 77.60 = 341.19; cash 300 - change 20.06 = 279.94
    assert report.sales_count == 1
    assert report.sales_total == RING_TOTAL
    assert report.tenders == {
        "Cash": Decimal("279.94"),
        "Old gold trade-in": Decimal("341.19"),
    }
    assert report.voids_count == 1
    assert report.voids_total == Decimal("103.00")
    assert report.trade_ins[0].purity == "22K gold (916)"
    assert report.trade_ins[0].net_weight_g == Decimal("4.800")
    assert report.expected_cash == Decimal("479.94")


def test_the_z_report_freezes_the_day_with_its_variance(
    shop, ring, branch, clerk, manager
):
    with tenant_context(shop):
        day = services.open_day(branch, user=clerk, opening_float="100.00")
        sale = sale_with(ring, user=clerk)
        services.add_tender(sale, "cash", RING_TOTAL, user=clerk)
        services.complete_sale(sale, user=clerk)
        closed = services.close_day(
            day, user=clerk, denominations={"500": 1, "200": 1, "20": 1, "0.10": 1}
        )
        refused("day_closed", services.close_day, day, user=manager, counted_total=1)
        refused("day_closed", services.set_opening_float, day, "5", user=manager)
        later = sell(_tag(branch), user=clerk)

    assert (closed.expected_cash, closed.counted_cash, closed.variance) == (
        Decimal("721.13"),
        Decimal("720.10"),
        Decimal("-1.03"),
    )
    assert closed.report["sales_count"] == 1
    assert later.day_id != day.pk
    assert queries.report_of(closed).sales_total == RING_TOTAL


def test_a_branch_has_one_open_day(shop, branch, clerk):
    with tenant_context(shop):
        services.open_day(branch, user=clerk, opening_float="0")
        refused("day_open", services.open_day, branch, user=clerk, opening_float="5")
        assert TillDay.objects.count() == 1


def test_a_line_returned_a_unit_at_a_time_refunds_exactly_what_it_took(
    shop, branch, clerk, manager
):
    with tenant_context(shop):
        sale, line = _chain_sold(branch, clerk, "64.72", 3, cash="200")
        refunds = [
            services.return_lines(
                sale, {line.pk: 1}, user=manager, refund_kind="cash", reason="Spare"
            ).refund_total
            for _ in range(3)
        ]
    # 3 x 64.72 = 194.16, +3 % = 199.98: thirds of 66.66, the last what is left.
    assert sum(refunds) == line.total == Decimal("199.98")


def test_sales_staff_do_not_correct_the_float(shop, branch, clerk):
    with tenant_context(shop):
        day = services.open_day(branch, user=clerk, opening_float="100")
        refused("not_permitted", services.set_opening_float, day, "0", user=clerk)
        day.refresh_from_db()
    assert day.opening_float == Decimal("100.00")
