"""Building a sale at the counter: lines (scanned, typed or from a reservation),
discounts, a price set by hand, the customer, tenders and trade-ins; parking and
resuming it at any counter of its branch. Nothing here moves stock or takes a
number: completing does (completion.py).

Each function is one transaction that locks the sale and refuses, with a
SalesError and nothing written, unless the sale is in progress. Role checks are
here, not only on the screen: a price set by hand, a discount beyond the cap, a
buy rate beyond the leeway.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from back_office.inventory.errors import PricingError
from back_office.inventory.models import (
    Piece,
    StockItem,
    StockLevel,
    StockUnit,
    normalized_sku,
)
from back_office.inventory.pricing import (
    format_money,
    format_rate,
    minor_unit,
    round_money,
)
from back_office.inventory.purity import Metal, parse_purity
from back_office.inventory.queries import latest_rates
from back_office.sales import queries
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import (
    REFERENCE_PREFIX,
    Customer,
    DiscountKind,
    Reservation,
    Sale,
    SaleLine,
    Tender,
    TenderKind,
    TradeIn,
)
from back_office.sales.services import checks
from back_office.sales.totals import buy_rate, trade_in_value
from back_office.tenancy.context import require_tenant
from back_office.tenants.models import Branch

Code = SalesErrorCode
Status = Sale.Status


def locked_sale(sale: Sale, *statuses: str) -> Sale:
    """The sale, locked, once it is known to be in one of `statuses` (in
    progress, by default)."""
    statuses = statuses or (Status.OPEN,)
    locked = (
        Sale.objects.select_for_update(of=("self",))
        .select_related("branch", "customer")
        .filter(pk=sale.pk)
        .first()
    )
    if locked is None or locked.status not in statuses:
        state = locked.get_status_display().lower() if locked else "gone"
        raise SalesError(
            f"This sale is {state}: it can no longer be changed here.",
            Code.SALE_CLOSED,
        )
    return locked


def figures(sale: Sale, **kwargs) -> queries.SaleFigures:
    """The sale priced now, a missing rate refused as the assistant reads it."""
    try:
        return queries.price_sale(sale, **kwargs)
    except PricingError as error:
        raise SalesError(
            f"{error.message} Enter today's rate first.", Code.NO_RATE
        ) from None


def _same_shop(obj, what: str):
    if obj is None or obj.tenant_id != require_tenant().pk:
        raise SalesError(f"No such {what} in this shop.", Code.NOT_FOUND)
    return obj


# Starting, parking, resuming


@transaction.atomic
def start_sale(*, branch: Branch, user) -> Sale:
    """A new sale in progress at `branch`, served by `user`."""
    branch = _same_shop(branch, "branch")
    return Sale.objects.create(
        branch=branch,
        started_by=user,
        served_by=user,
        currency=require_tenant().currency,
    )


@transaction.atomic
def park_sale(sale: Sale, *, user) -> Sale:
    """Set the sale aside (the customer will be back): any counter of its branch
    may resume it. A parked sale takes no number."""
    locked = locked_sale(sale)
    if not locked.lines.exists():
        raise SalesError("There is nothing on this sale to park.", Code.EMPTY_SALE)
    locked.status = Status.PARKED
    locked.served_by = None
    locked.save(update_fields=["status", "served_by"])
    return locked


@transaction.atomic
def resume_sale(sale: Sale, *, user) -> Sale:
    locked = locked_sale(sale, Status.PARKED)
    locked.status = Status.OPEN
    locked.served_by = user
    locked.save(update_fields=["status", "served_by"])
    return locked


@transaction.atomic
def discard_sale(sale: Sale, *, user) -> None:
    """Drop a sale in progress or parked: it had no number and moved nothing."""
    locked_sale(sale, Status.OPEN, Status.PARKED).delete()


@transaction.atomic
def move_to_branch(sale: Sale, branch: Branch, *, user) -> Sale:
    """Sell at another branch of the shop (an empty sale only: its lines were
    checked against the branch they are sold from)."""
    locked = locked_sale(sale)
    branch = _same_shop(branch, "branch")
    if locked.lines.exists() and branch.pk != locked.branch_id:
        raise SalesError(
            "Take the lines off first: they were added at this branch.",
            Code.NOT_SELLABLE,
        )
    locked.branch = branch
    locked.save(update_fields=["branch"])
    return locked


# Lines


def sellable_piece(piece: Piece, sale: Sale, reservation=None) -> None:
    """Refuse a piece the sale cannot take now (checked again, under lock, when it
    completes)."""
    if piece.status == Piece.Status.SOLD:
        raise SalesError(f"{piece.sku} is already sold.", Code.ALREADY_SOLD)
    if piece.status == Piece.Status.RESERVED:
        held = queries.open_reservations().filter(piece=piece).first()
        if held is None or reservation is None or held.pk != reservation.pk:
            who = f" for {held.customer_name} ({held.reference})" if held else ""
            raise SalesError(
                f"{piece.sku} is reserved{who}: sell it from its reservation.",
                Code.NOT_SELLABLE,
            )
    elif piece.status != Piece.Status.IN_STOCK:
        raise SalesError(
            f"{piece.sku} is {piece.get_status_display().lower()}: it cannot be sold.",
            Code.NOT_SELLABLE,
        )
    if piece.branch_id != sale.branch_id:
        raise SalesError(
            f"{piece.sku} is at {piece.branch}, not here: transfer it first.",
            Code.NOT_SELLABLE,
        )


def _add_piece(sale: Sale, piece: Piece, reservation=None) -> SaleLine:
    if sale.lines.filter(piece=piece).exists():
        raise SalesError(f"{piece.sku} is on this sale already.", Code.ALREADY_ON_SALE)
    sellable_piece(piece, sale, reservation)
    _lines_changed(sale)
    return SaleLine.objects.create(
        sale=sale,
        piece=piece,
        reservation=reservation,
        sku=piece.sku,
        description=piece.title,
    )


def _add_item(sale: Sale, item: StockItem, quantity) -> SaleLine:
    if item.kind != StockItem.Kind.GOODS:
        raise SalesError(
            f"{item.sku} is old metal bought in: it is not sold at the counter.",
            Code.NOT_SELLABLE,
        )
    quantity = checks.quantity(quantity, whole=item.unit == StockUnit.PIECE)
    line = sale.lines.filter(item=item).first()
    wanted = quantity + (line.quantity if line else 0)
    _check_on_hand(sale, item, wanted)
    _lines_changed(sale)
    if line:
        line.quantity = wanted
        line.save(update_fields=["quantity"])
        return line
    return SaleLine.objects.create(
        sale=sale, item=item, quantity=quantity, sku=item.sku, description=item.title
    )


def _check_on_hand(sale: Sale, item: StockItem, wanted) -> None:
    level = StockLevel.objects.filter(item=item, branch=sale.branch).first()
    on_hand = level.quantity if level else Decimal(0)
    if wanted > on_hand:
        raise SalesError(
            f"Only {item.quantity_text(on_hand)} of {item.sku} at {sale.branch}.",
            Code.NOT_SELLABLE,
            "quantity",
        )


def _lines_changed(sale: Sale) -> None:
    """A manager's approval was for the sale as it was: what it is now is
    approved again if its discount is still beyond the cap."""
    if sale.discount_approved_by_id or sale.discount_approved_percent:
        sale.discount_approved_by = None
        sale.discount_approved_percent = Decimal(0)
        sale.save(update_fields=["discount_approved_by", "discount_approved_percent"])


@transaction.atomic
def add_code(sale: Sale, code: str, *, user, quantity=1) -> SaleLine:
    """Add what a scanner (or the assistant) typed: a piece's SKU, a quantity
    item's SKU, or a reservation's reference ("R-7K3Q9F")."""
    locked = locked_sale(sale)
    typed = normalized_sku(checks.one_line(code, "code", "code"))
    if not typed:
        raise SalesError("Scan or type a code.", Code.NOT_FOUND, "code")
    if typed.startswith(REFERENCE_PREFIX):
        reservation = Reservation.objects.filter(reference=typed).first()
        if reservation is not None:
            return _add_reservation(locked, reservation)
    piece = Piece.objects.select_related("branch").filter(sku=typed).first()
    if piece is not None:
        return _add_piece(locked, piece)
    item = StockItem.objects.filter(sku=typed).first()
    if item is not None:
        return _add_item(locked, item, quantity)
    raise SalesError(f"Nothing in stock has the code {typed}.", Code.NOT_FOUND, "code")


@transaction.atomic
def add_piece(sale: Sale, piece: Piece, *, user) -> SaleLine:
    return _add_piece(locked_sale(sale), _same_shop(piece, "piece"))


@transaction.atomic
def add_item(sale: Sale, item: StockItem, quantity, *, user) -> SaleLine:
    return _add_item(locked_sale(sale), _same_shop(item, "item"), quantity)


def _add_reservation(sale: Sale, reservation: Reservation) -> SaleLine:
    if not reservation.is_open:
        raise SalesError(
            f"Reservation {reservation.reference} is "
            f"{reservation.get_status_display().lower()}.",
            Code.NOT_SELLABLE,
        )
    piece = Piece.objects.select_related("branch").get(pk=reservation.piece_id)
    line = _add_piece(sale, piece, reservation)
    if sale.customer_id is None:
        sale.customer = _customer_of(reservation)
        sale.save(update_fields=["customer"])
    return line


def _customer_of(reservation: Reservation) -> Customer | None:
    """A new customer from the reservation's details; None if the shop knows one
    by that email or phone already. A storefront visitor typed them unchecked:
    the assistant, who sees the person, chooses an existing customer (and their
    store credit) by hand."""
    contacts = [
        Q(email__iexact=reservation.email) if reservation.email else None,
        Q(phone=reservation.phone) if reservation.phone else None,
    ]
    known = Q(pk__in=[])
    for contact in filter(None, contacts):
        known |= contact
    if Customer.objects.filter(known).exists():
        return None
    return Customer.objects.create(
        name=reservation.customer_name,
        phone=reservation.phone,
        email=reservation.email,
    )


@transaction.atomic
def add_reservation(sale: Sale, reservation: Reservation, *, user) -> SaleLine:
    """Sell a reserved piece to the customer who reserved it: at the held price
    while the hold lasts. The reservation is collected when the sale completes."""
    return _add_reservation(locked_sale(sale), _same_shop(reservation, "reservation"))


def _locked_line(line: SaleLine) -> tuple[Sale, SaleLine]:
    sale = locked_sale(line.sale)
    found = sale.lines.filter(pk=line.pk).first()
    if found is None:
        raise SalesError("That line is no longer on the sale.", Code.NOT_FOUND)
    return sale, found


@transaction.atomic
def set_quantity(line: SaleLine, quantity, *, user) -> SaleLine:
    sale, line = _locked_line(line)
    if line.item_id is None:
        raise SalesError("A piece is sold one at a time.", Code.BAD_QUANTITY)
    line.quantity = checks.quantity(quantity, whole=line.item.unit == StockUnit.PIECE)
    _check_on_hand(sale, line.item, line.quantity)
    _lines_changed(sale)
    line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def remove_line(line: SaleLine, *, user) -> None:
    sale, line = _locked_line(line)
    _lines_changed(sale)
    line.delete()


# Discounts and prices


def _discount(kind: str, value) -> tuple[str, Decimal]:
    if not kind or value in (None, ""):
        return "", Decimal(0)
    if kind not in DiscountKind.values:
        raise SalesError("Choose an amount or a percent.", Code.BAD_AMOUNT, "kind")
    if kind == DiscountKind.PERCENT:
        return kind, checks.percent(value, "value", "discount")
    return kind, checks.amount(value, "value", "discount", positive=False)


def may_approve(user) -> bool:
    return user is not None and user.has_perm("sales.approve_discount")


def _within(priced: queries.SaleFigures, percent: Decimal) -> bool:
    """Whether the discounts are at most `percent` of the price, give or take the
    rounding of each line's to the cent (5 % of USD 1.90 is 0.10)."""
    currency = priced.currency
    slack = minor_unit(currency) * len(priced.lines)
    limit = round_money(priced.subtotal * percent / 100, currency) + slack
    return priced.discount <= limit


def check_discount(sale: Sale, *, user, approver=None, **pricing):
    """The sale's figures (queries.price_sale with `pricing`), once its discounts
    are within what the shop lets `user` give, or what a manager (`approver`)
    approved; the approval is recorded on the sale."""
    priced = figures(sale, **pricing)
    policy = pricing.get("policy") or queries.sales_policy()
    allowed = max(policy.discount_cap_percent, sale.discount_approved_percent)
    if _within(priced, allowed):
        return priced
    given = priced.discount_percent.quantize(Decimal("0.01"))
    by = user if may_approve(user) else approver
    if by is None:
        raise SalesError(
            f"A discount of {given:.2f} % is more than the "
            f"{policy.discount_cap_percent.normalize():f} % sales staff may give: a "
            "manager approves it with their own password.",
            Code.NEEDS_APPROVAL,
            "approval",
        )
    if not may_approve(by):
        raise SalesError(
            f"{by.get_username()} may not approve discounts in this shop.",
            Code.APPROVAL_REFUSED,
            "approval",
        )
    sale.discount_approved_by = by
    sale.discount_approved_percent = given
    sale.save(update_fields=["discount_approved_by", "discount_approved_percent"])
    log(
        instance=sale,
        action="sales.discount_approved",
        user=by,
        data={"discount": f"{given:.2f} %", "asked by": user.get_username()},
    )
    return priced


@transaction.atomic
def set_line_discount(
    line: SaleLine, kind: str, value, *, user, approver=None, now=None
):
    """A discount on one line: an amount before tax, or a percent of its price
    (or making charge); beyond the shop's cap only with a manager's approval."""
    sale, line = _locked_line(line)
    line.discount_kind, line.discount_value = _discount(kind, value)
    line.save(update_fields=["discount_kind", "discount_value"])
    check_discount(sale, user=user, approver=approver, now=now)
    return line


@transaction.atomic
def set_sale_discount(sale: Sale, kind: str, value, *, user, approver=None, now=None):
    """A discount on the whole sale, shared over its lines by their price."""
    locked = locked_sale(sale)
    locked.discount_kind, locked.discount_value = _discount(kind, value)
    locked.save(update_fields=["discount_kind", "discount_value"])
    check_discount(locked, user=user, approver=approver, now=now)
    return locked


@transaction.atomic
def override_price(line: SaleLine, new_price, *, user) -> SaleLine:
    """Sell a line at a price set at the counter, in the shop's tag terms (tax
    included if its tags include it), each (a quantity item's per unit); None
    goes back to the piece's own price.
    Owners and managers only; recorded in the shop's history."""
    if not user.has_perm("sales.override_price"):
        raise SalesError(
            "Only a manager or the owner may change a price.", Code.NOT_PERMITTED
        )
    sale, line = _locked_line(line)
    amount = (
        None
        if new_price in (None, "")
        else checks.amount(new_price, "price", "price", positive=False)
    )
    line.price_override = amount
    line.override_by = user if amount is not None else None
    line.save(update_fields=["price_override", "override_by"])
    _lines_changed(sale)
    log(
        instance=sale,
        action="sales.price_overridden",
        user=user,
        data={
            "line": line.sku,
            "price": "the piece's own"
            if amount is None
            else format_money(amount, sale.currency),
        },
    )
    return line


# The customer


@transaction.atomic
def set_customer(sale: Sale, customer: Customer | None, *, user) -> Sale:
    locked = locked_sale(sale)
    chosen = None if customer is None else _same_shop(customer, "customer")
    credit = locked.tenders.filter(kind=TenderKind.STORE_CREDIT)
    if credit.exists() and getattr(chosen, "pk", None) != locked.customer_id:
        raise SalesError(
            f"{locked.customer}'s store credit pays on this sale: take that payment "
            "off before changing the customer.",
            Code.NO_CUSTOMER,
        )
    locked.customer = chosen
    locked.save(update_fields=["customer"])
    return locked


# Tenders


def _due(sale: Sale, now=None) -> Decimal:
    """What is still to pay on the sale, at `now`'s figures."""
    return queries.settlement(sale, figures(sale, now=now).total).remaining


@transaction.atomic
def add_tender(
    sale: Sale, kind: str, amount, *, user, reference: str = "", now=None
) -> Tender:
    """Record a payment: cash as handed over (change comes back when the sale
    completes), a card or a transfer with its reference for at most what is
    still due, store credit up to the customer's balance."""
    locked = locked_sale(sale)
    if kind not in (
        TenderKind.CASH,
        TenderKind.CARD,
        TenderKind.BANK_TRANSFER,
        TenderKind.STORE_CREDIT,
    ):
        raise SalesError("Choose how the customer pays.", Code.BAD_AMOUNT, "kind")
    amount = checks.amount(amount)
    label = TenderKind(kind).label.lower()
    reference = checks.reference(
        reference,
        required_for=label
        if kind in (TenderKind.CARD, TenderKind.BANK_TRANSFER)
        else "",
    )
    if kind != TenderKind.CASH:
        due = _due(locked, now)
        if amount > due:
            raise SalesError(
                f"Only {format_money(due, locked.currency)} is still due: a {label} "
                "cannot pay more (cash can, and gives change).",
                Code.OVERPAID,
                "amount",
            )
    if kind == TenderKind.STORE_CREDIT:
        if locked.customer is None:
            raise SalesError(
                "Choose the customer whose store credit pays.", Code.NO_CUSTOMER
            )
        spent = sum(
            (t.amount for t in locked.tenders.filter(kind=TenderKind.STORE_CREDIT)),
            Decimal(0),
        )
        balance = queries.store_credit(locked.customer) - spent
        if amount > balance:
            raise SalesError(
                f"{locked.customer} has {format_money(balance, locked.currency)} of "
                "store credit to spend.",
                Code.NOT_ENOUGH_CREDIT,
                "amount",
            )
    return Tender.objects.create(
        sale=locked, kind=kind, amount=amount, reference=reference
    )


@transaction.atomic
def remove_tender(tender: Tender, *, user) -> None:
    sale = locked_sale(tender.sale)
    found = sale.tenders.filter(pk=tender.pk).first()
    if found is None:
        raise SalesError("That payment is no longer on the sale.", Code.NOT_FOUND)
    if found.trade_in_id:
        found.trade_in.delete()  # its tender goes with it
    else:
        found.delete()


def _buy_rate(metal: str, asked, market, *, user) -> Decimal:
    """The buy rate per gram of pure metal: the shop's (today's rate less its
    margin), or one the assistant set, within the leeway for sales staff and never
    above today's rate."""
    policy = queries.sales_policy()
    usual = buy_rate(market, policy.trade_in_margin_percent)
    if asked in (None, ""):
        return usual
    rate = checks.decimal(asked, "buy_rate", "buy rate")
    if rate <= 0 or rate != rate.quantize(Decimal("0.0001")):
        raise SalesError(
            "The buy rate must be more than zero, to four decimals at most.",
            Code.BAD_TRADE_IN,
            "buy_rate",
        )
    currency = require_tenant().currency
    if rate > market:
        raise SalesError(
            f"The buy rate cannot be above today's rate "
            f"({format_rate(market, currency)}).",
            Code.BAD_TRADE_IN,
            "buy_rate",
        )
    leeway = usual * policy.trade_in_leeway_percent / 100
    if abs(rate - usual) > leeway and not user.has_perm("sales.set_trade_in_rate"):
        raise SalesError(
            f"Sales staff may set the buy rate within "
            f"{policy.trade_in_leeway_percent.normalize():f} % of the shop's "
            f"{format_rate(usual, currency)}: a manager sets this one.",
            Code.NOT_PERMITTED,
            "buy_rate",
        )
    return rate


@transaction.atomic
def add_trade_in(
    sale: Sale,
    *,
    user,
    metal: str,
    purity: str,
    tested_by: str,
    gross_weight_g,
    deduction_g=0,
    melting_loss_percent=0,
    buy_rate=None,
    description: str = "",
    now=None,
) -> TradeIn:
    """Old metal the customer sells to the shop, paying toward the sale: tested
    (XRF, touchstone or hallmark), weighed, its stones and dirt deducted, a
    melting loss allowed, valued at the buy rate. Refused if the weights, the
    purity or the rate cannot be."""
    locked = locked_sale(sale)
    if metal not in Metal.values:
        raise SalesError("Choose the metal.", Code.BAD_TRADE_IN, "metal")
    try:
        fineness = parse_purity(purity, metal)
    except Exception as error:  # noqa: BLE001 - parse_purity's ValidationError
        message = getattr(error, "messages", [str(error)])[0]
        raise SalesError(f"Purity: {message}.", Code.BAD_TRADE_IN, "purity") from None
    if tested_by not in TradeIn.Test.values:
        raise SalesError(
            "Say how the purity was tested.", Code.BAD_TRADE_IN, "tested_by"
        )
    gross = checks.weight(gross_weight_g, "gross_weight_g", "gross weight")
    deduction = checks.weight(
        deduction_g or 0, "deduction_g", "stones and dirt", positive=False
    )
    if deduction >= gross:
        raise SalesError(
            f"Stones and dirt ({deduction} g) must weigh less than the whole "
            f"({gross} g).",
            Code.BAD_TRADE_IN,
            "deduction_g",
        )
    loss = checks.percent(
        melting_loss_percent or 0,
        "melting_loss_percent",
        "melting loss",
        below=100,
        code=Code.BAD_TRADE_IN,
    )
    market = latest_rates(at=now).get(metal)
    if market is None:
        raise SalesError(
            f"There is no {Metal(metal).label.lower()} rate today: enter it first.",
            Code.NO_RATE,
            "metal",
        )
    rate = _buy_rate(metal, buy_rate, market.rate_per_gram, user=user)
    currency = require_tenant().currency
    worth = trade_in_value(gross, deduction, loss, fineness, rate, currency)
    if worth.value <= 0 or worth.value > checks.MAX_AMOUNT:
        raise SalesError(
            "This old metal is worth nothing at that rate."
            if worth.value <= 0
            else "This old metal is worth more than a sale can hold: check the weight.",
            Code.BAD_TRADE_IN,
            "gross_weight_g",
        )
    trade_in = TradeIn.objects.create(
        sale=locked,
        description=checks.one_line(description, "description", "description")[:200],
        metal=metal,
        fineness=fineness,
        tested_by=tested_by,
        gross_weight_g=gross,
        deduction_g=deduction,
        melting_loss_percent=loss,
        market_rate=market.rate_per_gram,
        buy_rate=rate,
        value=worth.value,
        valued_by=user,
        created_at=now or timezone.now(),
    )
    Tender.objects.create(
        sale=locked, kind=TenderKind.TRADE_IN, amount=worth.value, trade_in=trade_in
    )
    return trade_in
