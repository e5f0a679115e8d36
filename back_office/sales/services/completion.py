"""Completing a sale: one service call, one transaction.

It locks what it touches (the reservations, then the pieces and stock levels in
id order, then the customer's credit), refuses any piece no longer sellable,
prices every line again and checks the discounts and the tenders, and only then
takes the shop's next sale number: the counter row stays locked until the
transaction ends, so numbers are given in completion order, and a rollback gives
the number back. It then freezes each line (breakdown, rates, what the receipt
prints), takes the old metal into stock, moves the pieces and quantities through
the ledger, collects the reservations and settles store credit. On any refusal
nothing is written and the assistant reads why.
"""

from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, prefetch_related_objects
from django.utils import timezone
from wagtail.log_actions import log

from back_office.inventory import services as inventory
from back_office.inventory.models import Piece, StockLevel, StockMovement
from back_office.inventory.pricing import format_money
from back_office.inventory.queries import latest_rates
from back_office.sales import metrics, queries
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import (
    Reservation,
    Sale,
    SaleCounter,
    SaleLine,
    Tender,
    TenderKind,
)
from back_office.sales.services import credit, days
from back_office.sales.services.counter import (
    check_discount,
    locked_sale,
    sellable_piece,
)
from back_office.sales.services.reservations import collect_reservation
from back_office.tenancy.context import require_tenant

Code = SalesErrorCode
Kind = StockMovement.Kind


class ExcessTo:
    """Where a trade-in worth more than the sale goes."""

    STORE_CREDIT = "store_credit"
    CASH = "cash"


def complete_sale(sale: Sale, *, user, **options) -> Sale:
    """Complete `sale` (see the module's docstring); `options` are those of
    `_complete`. Refusals are counted by their code."""
    try:
        completed = _complete(sale, user=user, **options)
    except SalesError as error:
        metrics.SALES_REFUSED.labels(code=error.code).inc()
        raise
    return completed


def _lock_stock(sale: Sale) -> list:
    """Lock the sale's reservations, then its pieces and its items' levels at the
    branch, each in id order (the order every service locks them in); then read
    the lines as they are now and check each piece is still sellable here.
    Returns the lines, priced from what was read under the locks."""
    lines = SaleLine.objects.filter(sale=sale)
    list(
        Reservation.objects.select_for_update()
        .filter(pk__in=lines.values("reservation_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    list(
        Piece.objects.select_for_update()
        .filter(pk__in=lines.values("piece_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    levels = {
        item_id: quantity
        for item_id, quantity in StockLevel.objects.select_for_update()
        .filter(item_id__in=lines.values("item_id"), branch=sale.branch_id)
        .order_by("item_id")
        .values_list("item_id", "quantity")
    }
    lines = list(queries.sale_lines(sale))
    for line in lines:
        if line.piece_id is not None:
            reservation = line.reservation
            if line.piece.status == Piece.Status.SOLD:
                raise SalesError(
                    f"{line.piece.sku} was just sold at another counter: take it "
                    "off this sale.",
                    Code.ALREADY_SOLD,
                )
            sellable_piece(
                line.piece,
                sale,
                reservation if reservation and reservation.is_open else None,
            )
        elif levels.get(line.item_id, Decimal(0)) < line.quantity:
            held = levels.get(line.item_id, Decimal(0))
            raise SalesError(
                f"Only {line.item.quantity_text(held)} of {line.sku} at "
                f"{sale.branch}: change the quantity.",
                Code.NOT_SELLABLE,
            )
    return lines


def _check_trade_ins(sale: Sale, rates) -> None:
    """Old metal is never bought above today's rate: a trade-in valued earlier (a
    parked sale) whose buy rate today's rate has fallen below is valued again."""
    if not any(t.kind == TenderKind.TRADE_IN for t in sale.tenders.all()):
        return
    for trade_in in sale.trade_ins.all():
        today = rates.get(trade_in.metal)
        if today is None or trade_in.buy_rate > today.rate_per_gram:
            raise SalesError(
                f"Today's {trade_in.get_metal_display().lower()} rate is below the "
                f"buy rate of the old metal ({trade_in.purity}): take it off and "
                "value it again.",
                Code.PRICE_CHANGED,
            )


def _check_tenders(sale: Sale, total: Decimal, excess_to: str, *, user, policy):
    settlement = queries.settlement(sale, total)
    currency = sale.currency
    if settlement.other > settlement.due_after_metal:
        raise SalesError(
            f"The card, transfer and credit payments "
            f"({format_money(settlement.other, currency)}) are more than what is left "
            f"to pay after the old metal "
            f"({format_money(settlement.due_after_metal, currency)}): take one off.",
            Code.OVERPAID,
        )
    if sale.customer is None and any(
        t.kind == TenderKind.STORE_CREDIT for t in sale.tenders.all()
    ):
        raise SalesError(
            "Store credit pays on this sale: choose its customer again.",
            Code.NO_CUSTOMER,
        )
    if not settlement.is_covered:
        raise SalesError(
            f"{format_money(settlement.remaining, currency)} is still to pay.",
            Code.NOT_COVERED,
        )
    if settlement.excess:
        excess = format_money(settlement.excess, currency)
        if excess_to == ExcessTo.STORE_CREDIT:
            if sale.customer is None:
                raise SalesError(
                    f"Choose the customer who gets {excess} of store credit.",
                    Code.NO_CUSTOMER,
                )
        elif excess_to == ExcessTo.CASH:
            if not user.has_perm("sales.pay_out_cash"):
                raise SalesError(
                    "Only a manager or the owner pays cash out: give the "
                    f"{excess} as store credit.",
                    Code.NOT_PERMITTED,
                )
            cap = policy.cash_payout_cap
            if settlement.excess > cap:
                raise SalesError(
                    f"The old metal is worth {excess} more than the sale: more than "
                    f"the {format_money(cap, currency)} the shop pays out in cash. "
                    "Give it as store credit.",
                    Code.PAYOUT_TOO_LARGE,
                )
        else:
            raise SalesError(
                f"The old metal is worth {excess} more than the sale: pay it out in "
                "cash or give it as store credit.",
                Code.EXCESS_UNSETTLED,
            )
    return settlement


def _next_number() -> int:
    """The shop's next sale number: its counter row made or incremented in one
    statement, which locks the row until the transaction ends (so a rollback
    gives the number back, and the next completion waits for this one)."""
    table = SaleCounter._meta.db_table
    if connection.vendor != "postgresql":  # the SQLite demo: one writer at a time
        counter, _ = SaleCounter.objects.get_or_create()
        SaleCounter.objects.filter(pk=counter.pk).update(
            last_number=F("last_number") + 1
        )
        return SaleCounter.objects.get(pk=counter.pk).last_number
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (tenant_id, last_number) VALUES (%s, 1) "  # noqa: S608
            f"ON CONFLICT (tenant_id) DO UPDATE SET last_number = "
            f"{table}.last_number + 1 RETURNING last_number",
            [require_tenant().pk],
        )
        return cursor.fetchone()[0]


FROZEN = (
    "breakdown",
    "rates",
    "specs",
    "price_source",
    "discount",
    "subtotal",
    "tax",
    "total",
)


def _freeze(lines_figures) -> None:
    # A save a line: bulk_update's CASE over three JSON columns costs as much
    # to build as the round trips it saves.
    for figures in lines_figures:
        line = figures.line
        line.breakdown = figures.breakdown.as_dict()
        line.rates = figures.rates
        line.specs = figures.specs
        line.price_source = figures.source
        line.discount = figures.discount
        line.subtotal = figures.breakdown.subtotal
        line.tax = figures.breakdown.tax
        line.total = figures.breakdown.total
        line.save(update_fields=FROZEN)


def _settle_tenders(sale: Sale, settlement, excess_to: str, *, user, reference: str):
    spent = sum(
        (t.amount for t in sale.tenders.all() if t.kind == TenderKind.STORE_CREDIT),
        Decimal(0),
    )
    if spent:
        credit.record_credit(
            sale.customer, -spent, user=user, note=f"Paid {reference}", sale=sale
        )
    if not settlement.excess:
        return
    if excess_to == ExcessTo.STORE_CREDIT:
        credit.record_credit(
            sale.customer,
            settlement.excess,
            user=user,
            note=f"Old metal beyond {reference}",
            sale=sale,
        )
        kind = TenderKind.STORE_CREDIT
    else:
        kind = TenderKind.CASH
    Tender.objects.create(sale=sale, kind=kind, amount=-settlement.excess)


def _move_stock(sale: Sale, lines, *, user, reference: str) -> None:
    traded = any(t.kind == TenderKind.TRADE_IN for t in sale.tenders.all())
    for trade_in in sale.trade_ins.all() if traded else []:
        trade_in.lot = inventory.receive_old_metal(
            trade_in.metal,
            trade_in.fineness,
            trade_in.net_weight_g,
            sale.branch,
            user=user,
            reference=reference,
            note=f"Trade-in: {trade_in.description or trade_in.purity}",
        )
        trade_in.save(update_fields=["lot"])
    pieces = [line.piece for line in lines if line.piece_id]
    if pieces:
        inventory.move_pieces(pieces, Kind.SOLD, user=user, reference=reference)
    for line in lines:
        if line.item_id:
            inventory.sell_stock(
                line.item, sale.branch, line.quantity, user=user, reference=reference
            )


@transaction.atomic
def _complete(
    sale: Sale,
    *,
    user,
    expected_total: Decimal | None = None,
    excess_to: str = "",
    now: datetime | None = None,
) -> Sale:
    """`expected_total`: the total the assistant was shown; if the price moved
    since (a new rate, a hold that ended), the sale is refused to be checked
    again. `excess_to`: ExcessTo, for old metal worth more than the sale. `now`:
    the moment to price and record the sale at (the demo's history), by default
    the moment it is numbered."""
    given_time = now
    now = now or timezone.now()
    locked = locked_sale(sale)
    lines = _lock_stock(locked)
    if not lines:
        raise SalesError("Add a piece to the sale first.", Code.EMPTY_SALE)
    prefetch_related_objects([locked], "tenders")
    policy = queries.sales_policy()
    rates = latest_rates(at=now)
    priced = check_discount(
        locked, user=user, lines=lines, now=now, policy=policy, rates=rates
    )
    if expected_total is not None and priced.total != expected_total:
        raise SalesError(
            f"The total is now {format_money(priced.total, locked.currency)}, not "
            f"{format_money(expected_total, locked.currency)}: a rate changed or a "
            "hold ended. Check the sale and complete it again.",
            Code.PRICE_CHANGED,
        )
    _check_trade_ins(locked, rates)
    if locked.customer_id:
        locked.customer = credit.locked_customer(locked.customer)
    settlement = _check_tenders(
        locked, priced.total, excess_to, user=user, policy=policy
    )

    locked.number = _next_number()
    # Completed when numbered: the counter's lock orders the numbers, and the
    # times follow them (other counters may have held this one up since `now`).
    now = given_time or timezone.now()
    reference = f"Sale {locked.number}"
    locked.day = days.current_day(locked.branch, user=user, now=now)
    _freeze(priced.lines)
    _settle_tenders(locked, settlement, excess_to, user=user, reference=reference)
    _move_stock(locked, lines, user=user, reference=reference)
    for line in lines:
        if line.reservation is not None and line.reservation.is_open:
            collect_reservation(line.reservation, user=user, sale=reference, now=now)
    if locked.customer is not None:
        locked.customer.last_purchase_at = now
        locked.customer.save(update_fields=["last_purchase_at"])

    locked.status = Sale.Status.COMPLETED
    locked.completed_at = now
    locked.served_by = user
    locked.tax_rate = require_tenant().tax_rate
    locked.subtotal = priced.subtotal
    locked.discount_total = priced.discount
    locked.tax = priced.tax
    locked.total = priced.total
    locked.change_given = settlement.change
    locked.save()
    log(
        instance=locked,
        action="sales.sale_completed",
        user=user,
        data={
            "number": locked.number,
            "total": format_money(locked.total, locked.currency),
            "lines": ", ".join(line.sku for line in lines),
        },
    )
    transaction.on_commit(
        lambda: metrics.SALES.labels(event="completed").inc(), robust=True
    )
    return locked
