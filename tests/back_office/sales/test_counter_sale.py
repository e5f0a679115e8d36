"""A sale at the counter, through the services: scanning, pricing, discounts,
tenders, trade-ins, completing. Worked example (conftest): the Lotus ring, 22K
gold, 5 g at USD 80.0000/g, 10 % making, a USD 200.00 diamond, 3 % tax:

    metal 5 x 80 x 0.916 = 366.40, making 36.64, stones 200.00
    before tax 603.04, tax 18.09, total 621.13
"""

from decimal import Decimal

import pytest

from back_office.inventory.models import Piece, StockItem, StockLevel, StockMovement
from back_office.sales import queries, services
from back_office.sales.models import (
    Customer,
    Sale,
    SaleCounter,
    StoreCreditEntry,
    Tender,
    TradeIn,
)
from back_office.tenancy.context import tenant_context
from tests.back_office.sales.conftest import RING_TOTAL, refused
from tests.factories.inventory import PieceFactory, StockItemFactory
from tests.factories.sales import make_reservation, sale_with
from tests.factories.tenants import BranchFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(clerk_user):
    return clerk_user


@pytest.fixture
def chain(shop, branch):
    """Silver chains at USD 39.00 each (tag price, before tax), 10 at Main Street."""
    from back_office.inventory import services as inventory

    with tenant_context(shop):
        item = StockItemFactory(sku="CH-45", unit_price=Decimal("39.00"))
        inventory.receive_stock(item, branch, 10)
    return item


def test_a_scanned_ring_is_priced_at_todays_rate(shop, ring, clerk):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        priced = queries.price_sale(sale)

    (line,) = priced.lines
    assert (
        line.breakdown.metal_value,
        line.breakdown.making,
        line.breakdown.stones,
        line.breakdown.subtotal,
        line.breakdown.tax,
        line.breakdown.total,
    ) == (
        Decimal("366.40"),
        Decimal("36.64"),
        Decimal("200.00"),
        Decimal("603.04"),
        Decimal("18.09"),
        RING_TOTAL,
    )
    assert priced.total == RING_TOTAL


def test_scanning_is_case_blind_and_an_unknown_code_is_refused(shop, ring, clerk):
    with tenant_context(shop):
        sale = services.start_sale(branch=ring.branch, user=clerk)
        services.add_code(sale, " sol-0001 ", user=clerk)
        error = refused("not_found", services.add_code, sale, "NOPE-1", user=clerk)

        assert list(sale.lines.values_list("sku", flat=True)) == ["SOL-0001"]
    assert "NOPE-1" in error.message


def test_the_same_piece_is_not_added_twice(shop, ring, clerk):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        refused("already_on_sale", services.add_code, sale, ring.sku, user=clerk)
        assert sale.lines.count() == 1


def test_a_piece_at_another_branch_is_refused(shop, ring, clerk):
    with tenant_context(shop):
        mall = BranchFactory(name="Mall", code="MALL")
        sale = services.start_sale(branch=mall, user=clerk)
        error = refused("not_sellable", services.add_code, sale, ring.sku, user=clerk)
        assert not sale.lines.exists()
    assert "at Main Street" in error.message


def test_a_piece_reserved_for_someone_is_sold_only_from_its_reservation(
    shop, ring, clerk
):
    with tenant_context(shop):
        reservation = make_reservation(ring)
        sale = services.start_sale(branch=ring.branch, user=clerk)
        error = refused("not_sellable", services.add_code, sale, ring.sku, user=clerk)
        line = services.add_code(sale, reservation.reference, user=clerk)
        sale.refresh_from_db()

        assert line.reservation == reservation
        assert sale.customer.name == "Maria Silva"
    assert reservation.reference in error.message


def test_quantity_items_add_up_and_never_beyond_the_stock_here(
    shop, branch, chain, clerk
):
    with tenant_context(shop):
        sale = services.start_sale(branch=branch, user=clerk)
        services.add_code(sale, "CH-45", user=clerk, quantity=3)
        services.add_code(sale, "CH-45", user=clerk, quantity=2)
        refused(
            "not_sellable", services.add_code, sale, "CH-45", user=clerk, quantity=6
        )
        refused(
            "bad_quantity", services.add_code, sale, "CH-45", user=clerk, quantity="1.5"
        )
        (line,) = sale.lines.all()
        priced = queries.price_sale(sale)

    assert line.quantity == 5
    assert priced.total == Decimal("200.85")  # 5 x 39.00 = 195.00, +3 % tax


def test_old_metal_lots_are_not_sold_at_the_counter(shop, branch, clerk):
    from back_office.inventory import services as inventory

    with tenant_context(shop):
        lot = inventory.receive_old_metal("gold", 916, Decimal("10"), branch)
        sale = services.start_sale(branch=branch, user=clerk)
        refused("not_sellable", services.add_code, sale, lot.sku, user=clerk)


def test_a_discount_within_the_cap_is_taken_before_tax(shop, ring, clerk):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        sale = services.set_sale_discount(sale, "percent", "5", user=clerk)
        priced = queries.price_sale(sale)

    # 5 % of 603.04 = 30.15; 572.89 + 3 % tax 17.19 = 590.08
    assert (priced.discount, priced.tax, priced.total) == (
        Decimal("30.15"),
        Decimal("17.19"),
        Decimal("590.08"),
    )


def test_a_discount_on_the_making_charge_takes_a_share_of_it(shop, ring, clerk):
    with tenant_context(shop):
        services.update_sales_policy(discount_basis="making", user=None)
        sale = sale_with(ring, user=clerk)
        sale = services.set_sale_discount(sale, "percent", "50", user=clerk)
        priced = queries.price_sale(sale)

    # 50 % of the making charge 36.64 = 18.32: 1.88 % of the price, within 5 %.
    assert priced.discount == Decimal("18.32")
    assert priced.total == Decimal("602.26")  # 584.72 + 17.54


def test_a_discount_beyond_the_cap_needs_a_manager_and_writes_nothing(
    shop, ring, clerk, manager
):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        error = refused(
            "needs_approval",
            services.set_sale_discount,
            sale,
            "percent",
            "10",
            user=clerk,
        )
        sale.refresh_from_db()
        assert (sale.discount_kind, sale.discount_value) == ("", 0)

        services.set_sale_discount(sale, "percent", "10", user=clerk, approver=manager)
        sale.refresh_from_db()
    assert "5 %" in error.message
    assert sale.discount_approved_by == manager
    assert sale.discount_approved_percent == Decimal("10.00")


def test_sales_staff_cannot_approve_for_each_other(shop, ring, clerk):
    other = make_member(shop, "sales", "other@sol.test")
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        refused(
            "approval_refused",
            services.set_sale_discount,
            sale,
            "percent",
            "10",
            user=clerk,
            approver=other,
        )


def test_a_price_is_set_by_hand_by_a_manager_only(shop, ring, clerk, manager):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        line = sale.lines.get()
        refused("not_permitted", services.override_price, line, "500", user=clerk)
        services.override_price(line, "500.00", user=manager)
        priced = queries.price_sale(sale)
    assert priced.total == Decimal("515.00")  # a tag price before tax, +3 %


def test_a_card_cannot_pay_more_than_is_due(shop, ring, clerk):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        refused(
            "overpaid",
            services.add_tender,
            sale,
            "card",
            "700",
            user=clerk,
            reference="A1",
        )
        refused("reason_required", services.add_tender, sale, "card", "100", user=clerk)
        assert not sale.tenders.exists()


@pytest.mark.parametrize(
    "amount", ["-5", "0", "abc", "1e3", "12.345", "NaN", "Infinity", "1" * 20]
)
def test_a_tender_amount_that_is_not_money_is_refused(shop, ring, clerk, amount):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        refused("bad_amount", services.add_tender, sale, "cash", amount, user=clerk)
        assert not sale.tenders.exists()


def test_cash_gives_change_and_the_sale_completes_with_number_one(shop, ring, clerk):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        services.add_tender(sale, "cash", "700.00", user=clerk)
        services.complete_sale(sale, user=clerk, expected_total=RING_TOTAL)
        sale.refresh_from_db()
        ring.refresh_from_db()
        moves = list(
            StockMovement.objects.filter(piece=ring).values_list(
                "kind", "quantity_delta", "reference"
            )
        )

    assert (sale.status, sale.number, sale.total, sale.change_given) == (
        Sale.Status.COMPLETED,
        1,
        RING_TOTAL,
        Decimal("78.87"),
    )
    assert ring.status == Piece.Status.SOLD
    assert moves[0] == ("sold", Decimal("-1.000"), "Sale 1")


def test_a_completed_line_keeps_its_breakdown_and_rates(shop, ring, clerk, gold_rate):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        services.add_tender(sale, "card", RING_TOTAL, user=clerk, reference="A1")
        services.complete_sale(sale, user=clerk)
        line = sale.lines.get()

    assert line.frozen_breakdown.total == RING_TOTAL
    assert line.frozen_breakdown.rate_per_gram == Decimal("80.0000")
    assert line.rates["gold"]["id"] == gold_rate.pk
    assert line.specs["purity"] == "22K gold (916)"
    assert line.specs["stones"][0]["carats"] == "0.250"


def test_a_sale_short_of_payment_writes_nothing(shop, ring, clerk):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        services.add_tender(sale, "card", "600.00", user=clerk, reference="A1")
        error = refused("not_covered", services.complete_sale, sale, user=clerk)
        sale.refresh_from_db()
        ring.refresh_from_db()

        assert (sale.status, sale.number) == (Sale.Status.OPEN, None)
        assert ring.status == Piece.Status.IN_STOCK
        assert StockMovement.objects.filter(piece=ring).count() == 1  # received
        assert not SaleCounter.objects.filter(last_number__gt=0).exists()
    assert "USD 21.13 is still to pay" in error.message


def test_a_total_that_moved_since_the_screen_is_refused(shop, ring, clerk):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        services.add_tender(sale, "cash", "700", user=clerk)
        error = refused(
            "price_changed",
            services.complete_sale,
            sale,
            user=clerk,
            expected_total=Decimal("600.00"),
        )
        sale.refresh_from_db()
    assert sale.status == Sale.Status.OPEN
    assert "USD 621.13" in error.message


def test_a_reserved_piece_sells_at_its_held_price_and_collects_it(
    shop, ring, clerk, gold_rate
):
    from back_office.inventory import services as inventory

    with tenant_context(shop):
        reservation = make_reservation(ring)
        held = reservation.quoted_total
        inventory.record_rate("gold", Decimal("90.0000"), gold_rate.effective_at, "x")
        sale = services.start_sale(branch=ring.branch, user=clerk)
        services.add_reservation(sale, reservation, user=clerk)
        services.add_tender(sale, "cash", held, user=clerk)
        services.complete_sale(sale, user=clerk, expected_total=held)
        reservation.refresh_from_db()
        line = sale.lines.get()

    assert held == RING_TOTAL
    assert line.price_source == "held"
    assert line.total == held
    assert reservation.status == reservation.Status.COLLECTED


def test_a_parked_sale_takes_no_number_and_resumes_at_another_counter(
    shop, ring, clerk, manager
):
    with tenant_context(shop):
        parked = sale_with(ring, user=clerk)
        services.park_sale(parked, user=clerk)
        refused("sale_closed", services.add_tender, parked, "cash", "1", user=clerk)
        other = PieceFactory(branch=ring.branch, pricing_mode="fixed", tag_price=10)
        first = sale_with(other, user=clerk)
        services.add_tender(first, "cash", "10.30", user=clerk)
        services.complete_sale(first, user=clerk)

        services.resume_sale(parked, user=manager)
        services.add_tender(parked, "cash", RING_TOTAL, user=manager)
        services.complete_sale(parked, user=manager)
        first.refresh_from_db()
        parked.refresh_from_db()
    assert (first.number, parked.number) == (1, 2)
    assert parked.served_by == manager


def test_a_trade_in_is_valued_and_pays_like_a_tender(shop, ring, clerk, branch):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        trade_in = services.add_trade_in(
            sale,
            user=clerk,
            metal="gold",
            purity="22K",
            tested_by="xrf",
            gross_weight_g="8.000",
            deduction_g="0.500",
            melting_loss_percent="2",
        )
        rest = queries.settlement(sale, RING_TOTAL).remaining
        services.add_tender(sale, "card", rest, user=clerk, reference="A1")
        services.complete_sale(sale, user=clerk)
        sale.refresh_from_db()
        lot = StockItem.objects.get(sku="OLD-GOLD-916")
        level = StockLevel.objects.get(item=lot, branch=branch)

    # buy rate 80 less 3 % = 77.6000; 7.5 g net, 7.35 g after 2 % loss, 6.7326 g
    # of pure gold: 522.45. The tax stays 18.09: a trade-in is no discount.
    assert trade_in.buy_rate == Decimal("77.6000")
    assert trade_in.value == Decimal("522.45")
    assert rest == Decimal("98.68")
    assert sale.tax == Decimal("18.09")
    assert level.quantity == Decimal("7.500")


def test_a_trade_in_worth_more_than_the_sale_becomes_store_credit(shop, ring, clerk):
    with tenant_context(shop):
        customer = services.add_customer(user=clerk, name="Asha Rao")
        sale = sale_with(ring, user=clerk, customer=customer)
        services.add_trade_in(
            sale,
            user=clerk,
            metal="gold",
            purity="916",
            tested_by="touchstone",
            gross_weight_g="10",
        )
        refused("excess_unsettled", services.complete_sale, sale, user=clerk)
        refused(
            "not_permitted", services.complete_sale, sale, user=clerk, excess_to="cash"
        )
        services.complete_sale(sale, user=clerk, excess_to="store_credit")
        credit = queries.store_credit(customer)
        payout = sale.tenders.get(amount__lt=0)

    # 10 g x 0.916 x 77.60 = 710.82; 710.82 - 621.13 = 89.69 of credit
    assert credit == Decimal("89.69")
    assert (payout.kind, payout.amount) == ("store_credit", Decimal("-89.69"))


@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("deduction_g", {"gross_weight_g": "5", "deduction_g": "5.5"}),
        ("gross_weight_g", {"gross_weight_g": "-1"}),
        ("purity", {"gross_weight_g": "5", "purity": "23K"}),
        ("purity", {"gross_weight_g": "5", "purity": "1000"}),
        (
            "melting_loss_percent",
            {"gross_weight_g": "5", "melting_loss_percent": "100"},
        ),  # noqa: E501
        ("buy_rate", {"gross_weight_g": "5", "buy_rate": "80.0001"}),
        ("tested_by", {"gross_weight_g": "5", "tested_by": "guess"}),
    ],
)
def test_an_invalid_trade_in_is_refused_and_writes_nothing(
    shop, ring, clerk, field, fields
):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        options = {"metal": "gold", "purity": "22K", "tested_by": "xrf", **fields}
        error = refused(
            "bad_trade_in", services.add_trade_in, sale, user=clerk, **options
        )
        assert not TradeIn.objects.exists()
        assert not Tender.objects.exists()
    assert error.field == field


def test_sales_staff_set_the_buy_rate_within_the_leeway_only(
    shop, ring, clerk, manager
):
    options = {
        "metal": "gold",
        "purity": "22K",
        "tested_by": "hallmark",
        "gross_weight_g": "2",
    }
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        services.add_trade_in(sale, user=clerk, buy_rate="76.5000", **options)
        refused(
            "not_permitted",
            services.add_trade_in,
            sale,
            user=clerk,
            buy_rate="70.0000",
            **options,
        )
        services.add_trade_in(sale, user=manager, buy_rate="70.0000", **options)
        assert sale.trade_ins.count() == 2


def test_store_credit_pays_up_to_the_balance_and_never_below_zero(shop, ring, clerk):
    with tenant_context(shop):
        customer = services.add_customer(user=clerk, name="Asha Rao")
        from back_office.sales.services import credit

        credit.record_credit(customer, Decimal("100.00"), user=clerk, note="Gift")
        sale = sale_with(ring, user=clerk, customer=customer)
        refused(
            "not_enough_credit",
            services.add_tender,
            sale,
            "store_credit",
            "100.01",
            user=clerk,
        )
        services.add_tender(sale, "store_credit", "100.00", user=clerk)
        services.add_tender(sale, "cash", "600", user=clerk)
        services.complete_sale(sale, user=clerk)
        balances = list(
            StoreCreditEntry.objects.order_by("id").values_list(
                "amount", "balance_after"
            )
        )
    assert balances == [
        (Decimal("100.00"), Decimal("100.00")),
        (Decimal("-100.00"), Decimal("0.00")),
    ]


def test_a_discarded_sale_leaves_nothing_behind(shop, ring, clerk):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        services.add_tender(sale, "cash", "5", user=clerk)
        services.discard_sale(sale, user=clerk)
        assert not Sale.objects.exists()
        ring.refresh_from_db()
    assert ring.status == Piece.Status.IN_STOCK


def test_a_customer_is_added_with_a_name_and_checked_contacts(shop, clerk):
    with tenant_context(shop):
        refused("name_required", services.add_customer, user=clerk, name="  ")
        refused(
            "invalid_email", services.add_customer, user=clerk, name="A", email="a@"
        )
        customer = services.add_customer(
            user=clerk, name=" Asha  Rao ", email="Asha@Example.COM"
        )
        assert Customer.objects.count() == 1
    assert (customer.name, customer.email) == ("Asha Rao", "Asha@example.com")


# Found by an attack review: each writes nothing and is refused as it says.


def test_a_price_set_by_hand_on_a_quantity_line_is_a_price_each(
    shop, branch, chain, clerk, manager
):
    with tenant_context(shop):
        sale = services.start_sale(branch=branch, user=clerk)
        line = services.add_code(sale, "CH-45", user=clerk)
        services.override_price(line, "30.00", user=manager)
        services.add_code(sale, "CH-45", user=clerk, quantity=2)
        total = queries.price_sale(sale).total

    assert total == Decimal("92.70")  # 3 x 30.00, +3 %


def test_a_card_never_pays_toward_old_metal_worth_more_than_the_sale(
    shop, ring, clerk, manager
):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        services.add_tender(sale, "card", RING_TOTAL, user=clerk, reference="A1")
        services.add_trade_in(
            sale, user=clerk, metal="gold", purity="22K", tested_by="xrf",
            gross_weight_g="1",
        )  # fmt: skip
        error = refused(
            "overpaid", services.complete_sale, sale, user=manager, excess_to="cash"
        )
        assert Sale.objects.get(pk=sale.pk).number is None
    assert "after the old metal" in error.message


def test_an_approved_discount_is_approved_again_once_pieces_are_added(
    shop, ring, clerk, manager
):
    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        services.set_sale_discount(sale, "percent", "10", user=clerk, approver=manager)
        other = PieceFactory(branch=ring.branch, pricing_mode="fixed", tag_price=500)
        services.add_code(sale, other.sku, user=clerk)
        services.add_tender(sale, "cash", "2000", user=clerk)
        refused("needs_approval", services.complete_sale, sale, user=clerk)


def test_the_customer_whose_credit_pays_is_not_swapped(shop, ring, clerk):
    from back_office.sales.services import credit

    with tenant_context(shop):
        asha = services.add_customer(user=clerk, name="Asha Rao")
        credit.record_credit(asha, Decimal("50.00"), user=clerk, note="Gift")
        sale = sale_with(ring, user=clerk, customer=asha)
        services.add_tender(sale, "store_credit", "50", user=clerk)
        refused("no_customer", services.set_customer, sale, None, user=clerk)


def test_a_reservation_does_not_attach_a_customer_the_shop_knows(shop, ring, clerk):
    with tenant_context(shop):
        known = services.add_customer(
            user=clerk, name="Maria Silva", email="maria@example.test"
        )
        reservation = make_reservation(ring)  # with maria@example.test
        sale = services.start_sale(branch=ring.branch, user=clerk)
        services.add_reservation(sale, reservation, user=clerk)
        sale.refresh_from_db()
        assert Customer.objects.count() == 1
    assert sale.customer is None  # the assistant chooses known customers
    assert known.pk


def test_old_metal_valued_above_todays_rate_is_valued_again(
    shop, ring, clerk, gold_rate
):
    from back_office.inventory import services as inventory

    with tenant_context(shop):
        sale = sale_with(ring, user=clerk)
        services.add_trade_in(
            sale, user=clerk, metal="gold", purity="22K", tested_by="xrf",
            gross_weight_g="1",
        )  # fmt: skip
        services.add_tender(sale, "cash", RING_TOTAL, user=clerk)
        inventory.record_rate("gold", Decimal("70.0000"), gold_rate.effective_at, "x")
        error = refused("price_changed", services.complete_sale, sale, user=clerk)
    assert "value it again" in error.message
