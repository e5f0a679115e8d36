"""After the sale: returns within the shop's window, and a void the same day.

A completed sale is never edited. A return is a new record (its lines, its
refund) on the branch's open day; a void marks the sale void, keeping its
number, and reverses its stock, its old metal and its store credit. Both lock the
sale and its lines first, so a line is never returned twice, and refunds
never exceed what was paid.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from wagtail.log_actions import log

from back_office.inventory import services as inventory
from back_office.inventory.errors import StockError
from back_office.inventory.models import Piece, StockMovement
from back_office.inventory.pricing import format_money, round_money
from back_office.sales import metrics, queries
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import (
    ReturnLine,
    Sale,
    SaleLine,
    SaleReturn,
    StoreCreditEntry,
    TenderKind,
)
from back_office.sales.services import checks, credit, days

Code = SalesErrorCode
Kind = StockMovement.Kind
REFUNDABLE = (
    TenderKind.CASH,
    TenderKind.CARD,
    TenderKind.BANK_TRANSFER,
    TenderKind.STORE_CREDIT,
)


def _locked_completed(sale: Sale) -> Sale:
    locked = Sale.objects.select_for_update().filter(pk=sale.pk).first()
    if locked is None or locked.status != Sale.Status.COMPLETED:
        state = locked.get_status_display().lower() if locked else "gone"
        raise SalesError(f"This sale is {state}.", Code.NOT_RETURNABLE)
    return locked


def _counted(event: str) -> None:
    transaction.on_commit(lambda: metrics.SALES.labels(event=event).inc(), robust=True)


def refundable_by(sale: Sale, kind: str) -> Decimal:
    """How much of `sale` may still go back by tender `kind`: what was paid by
    it, less what earlier returns refunded by it. Store credit takes any refund."""
    paid = sum((t.amount for t in sale.tenders.all() if t.kind == kind), Decimal(0)) - (
        sale.change_given if kind == TenderKind.CASH else 0
    )
    refunded = sum(
        (r.refund_total for r in sale.returns.all() if r.refund_kind == kind),
        Decimal(0),
    )
    return max(paid - refunded, Decimal(0))


def _next_reference(sale: Sale) -> str:
    return f"{sale.number}-R{sale.returns.count() + 1}"


@transaction.atomic
def return_lines(
    sale: Sale,
    quantities: dict[int, object],
    *,
    user,
    refund_kind: str,
    reason: str,
    refund_reference: str = "",
    now=None,
) -> SaleReturn:
    """Take back `quantities` (line id -> quantity) of a completed sale within the
    shop's return window: the pieces and items go back into stock through the
    ledger, and the customer is refunded what they paid for them (their frozen
    totals) by one of the sale's own tenders, or as store credit.

    Refused, nothing written: outside the window, a line returned already or
    beyond what was sold, a refund by a tender the sale was not paid by (or beyond
    it), store credit without a customer; and for roles without `refund_sale`."""
    now = now or timezone.now()
    if not user.has_perm("sales.refund_sale"):
        raise SalesError(
            "Only a manager or the owner takes returns.", Code.NOT_PERMITTED
        )
    locked = _locked_completed(sale)
    window = queries.sales_policy().return_window_days
    if now > locked.completed_at + timedelta(days=window):
        raise SalesError(
            f"Sale {locked.number} is older than the shop's {window} days for returns.",
            Code.NOT_RETURNABLE,
        )
    reason = checks.reason(reason, what="the pieces come back")
    if refund_kind not in REFUNDABLE:
        raise SalesError("Choose how the refund is paid.", Code.BAD_REFUND)
    refund_reference = checks.reference(
        refund_reference,
        "refund_reference",
        required_for="card refund" if refund_kind == TenderKind.CARD else "",
    )
    lines = {
        line.pk: line
        for line in SaleLine.objects.select_for_update()
        .filter(sale=locked, pk__in=[pk for pk in quantities if str(pk).isdecimal()])
        .order_by("pk")
    }
    wanted = {}
    for pk, quantity in quantities.items():
        line = lines.get(int(pk)) if str(pk).isdecimal() else None
        if line is None:
            raise SalesError("That line is not on this sale.", Code.NOT_RETURNABLE)
        if quantity in (None, "", 0, "0"):
            continue
        amount = checks.quantity(quantity, whole=line.piece_id is not None)
        if amount > line.returnable_quantity:
            left = line.returnable_quantity
            raise SalesError(
                f"{line.sku}: {left.normalize():f} can still come back"
                if left
                else f"{line.sku} has been returned already.",
                Code.NOT_RETURNABLE,
                "quantity",
            )
        wanted[line.pk] = amount
    if not wanted:
        raise SalesError("Choose what comes back.", Code.NOT_RETURNABLE, "quantity")

    currency = locked.currency
    refunds = []
    for pk, quantity in wanted.items():
        line = lines[pk]
        if quantity == line.returnable_quantity:
            # The last of the line: what is left of it, so that rounding each
            # part never refunds a cent more than the line took.
            done = line.return_lines.aggregate(amount=Sum("amount"), tax=Sum("tax"))
            amount = line.total - (done["amount"] or 0)
            tax = line.tax - (done["tax"] or 0)
        else:
            share = quantity / line.quantity
            amount = round_money(line.total * share, currency)
            tax = round_money(line.tax * share, currency)
        refunds.append((line, quantity, amount, tax))
    total = sum((amount for _, _, amount, _ in refunds), Decimal(0))
    if refund_kind == TenderKind.STORE_CREDIT:
        if locked.customer is None:
            raise SalesError(
                "Choose the sale's customer first: store credit is theirs.",
                Code.NO_CUSTOMER,
            )
    else:
        open_to = refundable_by(locked, refund_kind)
        if total > open_to:
            label = TenderKind(refund_kind).label.lower()
            raise SalesError(
                f"Sale {locked.number} took {format_money(open_to, currency)} by "
                f"{label} that can still go back, less than "
                f"{format_money(total, currency)}: refund the rest as store credit.",
                Code.BAD_REFUND,
            )

    day = days.current_day(locked.branch, user=user, now=now)
    sale_return = SaleReturn.objects.create(
        sale=locked,
        reference=_next_reference(locked),
        branch=locked.branch,
        day=day,
        reason=reason,
        refund_kind=refund_kind,
        refund_reference=refund_reference,
        refund_total=total,
        created_at=now,
        created_by=user,
    )
    note = f"Return {sale_return.reference}: {reason}"
    for line, quantity, amount, tax in refunds:
        ReturnLine.objects.create(
            sale_return=sale_return,
            line=line,
            quantity=quantity,
            amount=amount,
            tax=tax,
        )
        line.returned_quantity += quantity
        line.save(update_fields=["returned_quantity"])
        _back_into_stock(line, quantity, locked, user=user, note=note)
    if refund_kind == TenderKind.STORE_CREDIT and total:
        credit.record_credit(
            locked.customer, total, user=user, note=note, sale_return=sale_return
        )
    log(
        instance=locked,
        action="sales.returned",
        user=user,
        data={
            "return": sale_return.reference,
            "lines": ", ".join(
                f"{q.normalize():f} x {ln.sku}" for ln, q, _, _ in refunds
            ),
            "refund": f"{format_money(total, currency)} by "
            f"{TenderKind(refund_kind).label.lower()}",
            "reason": reason,
        },
    )
    _counted("returned")
    return sale_return


def _back_into_stock(line: SaleLine, quantity, sale: Sale, *, user, note: str):
    reference = f"Sale {sale.number}"
    if line.piece_id:
        piece = Piece.objects.get(pk=line.piece_id)
        inventory.move_piece(
            piece,
            Kind.RETURNED,
            branch=sale.branch,
            user=user,
            reason=note[:200],
            reference=reference,
        )
    else:
        inventory.return_stock(
            line.item, sale.branch, quantity, user=user, reference=reference
        )


@transaction.atomic
def void_sale(sale: Sale, *, user, reason: str, now=None) -> Sale:
    """Void a sale made today, on a day still open: its pieces and quantities go
    back into stock, its old metal comes out of the lots, store credit it spent is
    given back and credit it gave is taken back, and its tenders no longer count
    in the day's takings. The number stays, marked void. Managers and owners
    only, with a reason."""
    now = now or timezone.now()
    if not user.has_perm("sales.void_sale"):
        raise SalesError(
            "Only a manager or the owner voids a sale.", Code.NOT_PERMITTED
        )
    reason = checks.reason(reason, what="the sale is voided")
    locked = Sale.objects.select_for_update().filter(pk=sale.pk).first()
    if locked is None or locked.status != Sale.Status.COMPLETED:
        raise SalesError("Only a completed sale can be voided.", Code.NOT_VOIDABLE)
    day = days.current_day(locked.branch, user=user, now=now)
    if locked.day_id != day.pk:
        raise SalesError(
            f"Sale {locked.number} was made on a day that is closed: take it back "
            "as a return instead.",
            Code.NOT_VOIDABLE,
        )
    if locked.returns.exists():
        raise SalesError(
            f"Part of sale {locked.number} has come back already: take the rest "
            "back as a return.",
            Code.NOT_VOIDABLE,
        )
    note = f"Void of sale {locked.number}: {reason}"
    lines = list(
        SaleLine.objects.select_for_update().filter(sale=locked).order_by("pk")
    )
    for line in lines:
        _back_into_stock(line, line.quantity, locked, user=user, note=note)
    try:
        for trade_in in locked.trade_ins.select_related("lot"):
            inventory.adjust_stock(
                trade_in.lot, locked.branch, -trade_in.net_weight_g, note, user=user
            )
    except StockError as error:
        raise SalesError(
            f"The old metal of this sale has left its lot ({error.message}): it "
            "cannot be voided.",
            Code.NOT_VOIDABLE,
        ) from None
    for entry in StoreCreditEntry.objects.filter(sale=locked).order_by("pk"):
        credit.record_credit(entry.customer, -entry.amount, user=user, note=note)
    locked.status = Sale.Status.VOIDED
    locked.voided_at = now
    locked.voided_by = user
    locked.void_reason = reason
    locked.save(update_fields=["status", "voided_at", "voided_by", "void_reason"])
    log(
        instance=locked,
        action="sales.voided",
        user=user,
        data={"number": locked.number, "reason": reason},
    )
    _counted("voided")
    return locked
