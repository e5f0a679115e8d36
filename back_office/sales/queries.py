"""Reads of sales that the storefront, the admin, the tasks and the emails share.

Every query runs as the current shop (tenant_context), like all tenant-owned access.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.core import signing
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.dateformat import format as format_date
from wagtail.models import Site

from back_office.inventory.labels import qr_svg
from back_office.inventory.models import Piece, PricingMode, StockItem, Stone
from back_office.inventory.pricing import (
    PriceBreakdown,
    PriceInputs,
    describe_making_charge,
    format_money,
    price,
    round_money,
)
from back_office.inventory.purity import Metal, karat, purity_label
from back_office.inventory.queries import latest_rates, price_inputs
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import (
    Reservation,
    Sale,
    SaleLine,
    SaleReturn,
    SalesPolicy,
    TenderKind,
    TillDay,
)
from back_office.sales.totals import (
    Settlement,
    discount_amount,
    priced,
    settle,
    spread,
    with_discount,
)
from back_office.tenancy.context import require_tenant

#: How a customer reads the end of a hold, on the shop's clock: "Tuesday 1 Dec, 18:00".
HOLD_END_FORMAT = "l j M, H:i"


def sales_policy() -> SalesPolicy:
    """The shop's policy, or the defaults (unsaved) while it has set none."""
    return SalesPolicy.objects.first() or SalesPolicy()


def open_reservations():
    """The shop's open reservations, the soonest to end first."""
    return Reservation.objects.filter(status=Reservation.Status.OPEN).order_by(
        "held_until", "id"
    )


def due_reservations(now: datetime | None = None):
    """Open reservations whose hold has ended by `now` (default: now)."""
    return open_reservations().filter(held_until__lte=now or timezone.now())


def on_shop_clock(moment: datetime, tenant) -> datetime:
    """`moment` in the shop's time zone (Tenant.timezone)."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(tenant.timezone))


def hold_end(reservation: Reservation) -> str:
    """When the hold ends, as the customer reads it: "Tuesday 1 Dec, 18:00"."""
    return format_date(
        on_shop_clock(reservation.held_until, reservation.tenant), HOLD_END_FORMAT
    )


def held_price(reservation: Reservation) -> str:
    """The held price as Karat writes money: "USD 1,234.56"."""
    return format_money(reservation.quoted_total, reservation.currency)


def describe_hold(reservation: Reservation) -> str:
    """The hold in a phrase, for the storefront's confirmation and the emails:
    "held at USD 1,234.56 until Tuesday 1 Dec, 18:00" (the shop's clock)."""
    return f"held at {held_price(reservation)} until {hold_end(reservation)}"


def reservations_in_last_hour() -> int:
    """How many reservations the shop's customers made in the past hour."""
    since = timezone.now() - timedelta(hours=1)
    return Reservation.objects.filter(created_at__gte=since).count()


# The counter: what a sale in progress costs today


@dataclass(frozen=True)
class LineFigures:
    """A line priced now: its breakdown (discounts in), where the price came from,
    the rates used and what the receipt prints of it."""

    line: SaleLine
    breakdown: PriceBreakdown
    base: Decimal  # the price before tax, before any discount
    discount: Decimal  # the line's and its share of the sale's, before tax
    source: str  # PriceSource
    rates: dict
    specs: dict


@dataclass(frozen=True)
class SaleFigures:
    lines: list[LineFigures]
    currency: str
    subtotal: Decimal  # before tax and discounts
    discount: Decimal
    tax: Decimal
    total: Decimal

    @property
    def discount_percent(self) -> Decimal:
        """The discounts as a share of the price before tax, in %."""
        if not self.subtotal:
            return Decimal(0)
        return self.discount * 100 / self.subtotal


class PriceSource(StrEnum):
    TODAY = "today"  # the piece's price at today's rate (or its tag)
    HELD = "held"  # a reservation's held price
    OVERRIDE = "override"  # a price set at the counter
    ITEM = "item"  # a quantity item's unit price


def rates_used(piece: Piece, rates: dict) -> dict:
    """The rate a piece's price used, as kept: metal -> rate per gram, from when,
    id (a tag price uses none)."""
    rate = rates.get(piece.metal)
    if piece.pricing_mode != PricingMode.RATE or rate is None:
        return {}
    return {
        piece.metal: {
            "rate_per_gram": str(rate.rate_per_gram),
            "effective_at": rate.effective_at.isoformat(),
            "id": rate.pk,
        }
    }


def _stone_value(stone: Stone) -> Decimal:
    if stone.value_mode == Stone.ValueMode.PER_CARAT:
        return stone.carats * stone.value
    return stone.value


def piece_specs(piece: Piece, currency: str) -> dict:
    """What a receipt prints of a piece, as it was when sold."""
    stones = list(piece.stones.all())
    return {
        "category": piece.category.name,
        "metal": piece.metal,
        "fineness": piece.fineness,
        "purity": piece.purity,
        "karat": karat(piece.fineness) if piece.metal == Metal.GOLD else None,
        "gross_weight_g": str(piece.gross_weight_g),
        "net_weight_g": str(piece.net_weight_g),
        "hallmark": piece.hallmark,
        "making_charge": describe_making_charge(
            piece.making_charge_type, piece.making_charge, currency
        ),
        "stones": [
            {
                "kind": stone.get_kind_display(),
                "count": stone.count,
                "carats": str(stone.carats),
                "value": str(round_money(_stone_value(stone), currency)),
                "certificate": " ".join(
                    part
                    for part in (stone.certificate_lab, stone.certificate_number)
                    if part
                ),
            }
            for stone in stones
        ],
        "stone_carats": str(sum((stone.carats for stone in stones), Decimal(0))),
    }


def item_specs(item: StockItem) -> dict:
    specs = {"unit": item.get_unit_display().lower()}
    if item.metal and item.fineness:
        specs |= {
            "metal": item.metal,
            "fineness": item.fineness,
            "purity": purity_label(item.metal, item.fineness),
        }
    return specs


def _undiscounted(line: SaleLine, rates: dict, tenant, now: datetime):
    """(inputs to price with, or None for a held quote; the quote without a
    discount; its source; the rates it used)."""
    common = {
        "currency": tenant.currency,
        "tax_rate": Decimal(tenant.tax_rate),
        "prices_include_tax": tenant.prices_include_tax,
    }
    if line.price_override is not None:  # a price each, as the tag's
        inputs = PriceInputs(fixed_price=line.price_override * line.quantity, **common)
        return inputs, price(inputs), PriceSource.OVERRIDE, {}
    if line.item_id:
        inputs = PriceInputs(fixed_price=line.item.unit_price * line.quantity, **common)
        return inputs, price(inputs), PriceSource.ITEM, {}
    reservation = line.reservation
    if reservation is not None and reservation.held_price_valid(now):
        return None, reservation.held_breakdown, PriceSource.HELD, reservation.rates
    inputs = price_inputs(line.piece, rates)
    return inputs, price(inputs), PriceSource.TODAY, rates_used(line.piece, rates)


def price_sale(
    sale: Sale, *, rates=None, policy=None, now=None, lines=None
) -> SaleFigures:
    """Every line of `sale` priced now: today's rate (or the tag), a reservation's
    held price while its hold lasts, a price set at the counter; the line's
    discount and its share of the sale's, before tax. Raises PricingError (no rate
    for a metal) or SalesError (a discount larger than the price). `lines`: the
    sale's lines as sale_lines() reads them, if the caller has them."""
    tenant = require_tenant()
    now = now or timezone.now()
    rates = latest_rates(at=now) if rates is None else rates
    policy = policy or sales_policy()
    currency = tenant.currency
    lines = list(sale_lines(sale)) if lines is None else lines
    quoted = []
    for line in lines:
        inputs, undiscounted, source, used = _undiscounted(line, rates, tenant, now)
        own = discount_amount(
            line.discount_kind,
            line.discount_value,
            undiscounted.subtotal,
            undiscounted.making,
            policy.discount_basis,
            currency,
        )
        quoted.append((line, inputs, undiscounted, source, used, own))
    remaining = [u.subtotal - own for _, _, u, _, _, own in quoted]
    base = sum((u.subtotal for _, _, u, _, _, _ in quoted), Decimal(0))
    sale_discount = discount_amount(
        sale.discount_kind,
        sale.discount_value,
        sum(remaining, Decimal(0)),
        sum((u.making for _, _, u, _, _, _ in quoted), Decimal(0)),
        policy.discount_basis,
        currency,
    )
    shares = spread(sale_discount, remaining, currency)
    figures = []
    for (line, inputs, undiscounted, source, used, own), share in zip(
        quoted, shares, strict=True
    ):
        discount = own + share
        if discount > undiscounted.subtotal:
            raise SalesError(
                f"The discount on {line.sku} is larger than its price before tax "
                f"({format_money(undiscounted.subtotal, currency)}).",
                SalesErrorCode.DISCOUNT_TOO_LARGE,
                "discount",
            )
        breakdown = (
            with_discount(undiscounted, discount)
            if inputs is None
            else priced(inputs, discount)
        )
        specs = (
            piece_specs(line.piece, currency)
            if line.piece_id
            else item_specs(line.item)
        )
        figures.append(
            LineFigures(
                line, breakdown, undiscounted.subtotal, discount, source, used, specs
            )
        )
    return SaleFigures(
        lines=figures,
        currency=currency,
        subtotal=base,
        discount=sum((f.discount for f in figures), Decimal(0)),
        tax=sum((f.breakdown.tax for f in figures), Decimal(0)),
        total=sum((f.breakdown.total for f in figures), Decimal(0)),
    )


def sale_lines(sale: Sale):
    """The sale's lines with what pricing them reads, in two queries."""
    return sale.lines.select_related(
        "piece__category", "item", "reservation"
    ).prefetch_related("piece__stones")


def settlement(sale: Sale, total: Decimal) -> Settlement:
    """How the sale's tenders (as recorded so far) meet `total`."""
    cash = other = trade_ins = Decimal(0)
    for tender in sale.tenders.all():
        if tender.amount < 0:
            continue  # paid out at completion
        if tender.kind == TenderKind.CASH:
            cash += tender.amount
        elif tender.kind == TenderKind.TRADE_IN:
            trade_ins += tender.amount
        else:
            other += tender.amount
    return settle(total, cash, other, trade_ins)


def store_credit(customer) -> Decimal:
    """The customer's store credit: the balance after the latest entry."""
    latest = customer.credit_entries.order_by("-id").first()
    return latest.balance_after if latest else Decimal(0)


# The till's day


@dataclass(frozen=True)
class TradeInWeight:
    purity: str
    gross_weight_g: Decimal
    net_weight_g: Decimal
    value: Decimal


@dataclass(frozen=True)
class DayReport:
    """A day's figures at a branch: the X report while it is open, frozen into
    the Z report (TillDay.report) when it closes."""

    sales_count: int
    sales_total: Decimal  # completed sales, tax included (voided ones apart)
    discounts: Decimal
    tax: Decimal
    tenders: dict[str, Decimal]  # kind label -> taken (cash: less the change)
    cash_paid_out: Decimal  # for old metal worth more than the sale
    credit_given: Decimal  # likewise, as store credit
    returns_count: int
    returns_total: Decimal
    refunds: dict[str, Decimal]  # kind label -> refunded
    voids_count: int
    voids_total: Decimal
    trade_ins: list[TradeInWeight]
    opening_float: Decimal
    expected_cash: Decimal

    def as_dict(self) -> dict:
        """JSON that reads back exactly (from_dict)."""

        def text(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {k: text(v) for k, v in value.items()}
            if isinstance(value, list):
                return [text(v.__dict__) for v in value]
            return value

        return {name: text(value) for name, value in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict) -> "DayReport":
        counts = {"sales_count", "returns_count", "voids_count"}
        figures = {
            name: value if name in counts else Decimal(value)
            for name, value in data.items()
            if name not in {"tenders", "refunds", "trade_ins"}
        }
        return cls(
            **figures,
            tenders={k: Decimal(v) for k, v in data["tenders"].items()},
            refunds={k: Decimal(v) for k, v in data["refunds"].items()},
            trade_ins=[
                TradeInWeight(
                    purity=row["purity"],
                    gross_weight_g=Decimal(row["gross_weight_g"]),
                    net_weight_g=Decimal(row["net_weight_g"]),
                    value=Decimal(row["value"]),
                )
                for row in data["trade_ins"]
            ],
        )


def _sum(rows, field) -> Decimal:
    return sum((getattr(row, field) for row in rows), Decimal(0))


def day_report(day: TillDay) -> DayReport:
    """The figures of `day` from its records (five queries): what an X report
    shows, and what the Z report freezes."""
    sales = list(Sale.objects.filter(day=day).prefetch_related("tenders", "trade_ins"))
    completed = [s for s in sales if s.status == Sale.Status.COMPLETED]
    voided = [s for s in sales if s.status == Sale.Status.VOIDED]
    returns = list(SaleReturn.objects.filter(day=day))
    labels = dict(TenderKind.choices)
    tenders: dict[str, Decimal] = {}
    paid_out = credit_given = Decimal(0)
    weights: dict[tuple, list] = {}
    for sale in completed:
        for tender in sale.tenders.all():
            if tender.amount < 0:
                if tender.kind == TenderKind.CASH:
                    paid_out -= tender.amount
                else:
                    credit_given -= tender.amount
                continue
            label = labels[tender.kind]
            tenders[label] = tenders.get(label, Decimal(0)) + tender.amount
        if sale.change_given:
            cash = labels[TenderKind.CASH]
            tenders[cash] = tenders.get(cash, Decimal(0)) - sale.change_given
        for trade_in in sale.trade_ins.all():
            key = (trade_in.metal, -trade_in.fineness)
            weights.setdefault(key, []).append(trade_in)
    refunds: dict[str, Decimal] = {}
    for sale_return in returns:
        label = labels[sale_return.refund_kind]
        refunds[label] = refunds.get(label, Decimal(0)) + sale_return.refund_total
    cash_label = labels[TenderKind.CASH]
    expected = (
        day.opening_float
        + tenders.get(cash_label, Decimal(0))
        - paid_out
        - refunds.get(cash_label, Decimal(0))
    )
    return DayReport(
        sales_count=len(completed),
        sales_total=_sum(completed, "total"),
        discounts=_sum(completed, "discount_total"),
        tax=_sum(completed, "tax"),
        tenders=dict(sorted(tenders.items())),
        cash_paid_out=paid_out,
        credit_given=credit_given,
        returns_count=len(returns),
        returns_total=_sum(returns, "refund_total"),
        refunds=dict(sorted(refunds.items())),
        voids_count=len(voided),
        voids_total=_sum(voided, "total"),
        trade_ins=[
            TradeInWeight(
                purity=rows[0].purity,
                gross_weight_g=_sum(rows, "gross_weight_g"),
                net_weight_g=sum((r.net_weight_g for r in rows), Decimal(0)),
                value=_sum(rows, "value"),
            )
            for _key, rows in sorted(weights.items())
        ],
        opening_float=day.opening_float,
        expected_cash=expected,
    )


def report_of(day: TillDay) -> DayReport:
    """A closed day's frozen Z report, or an open day's figures now (X)."""
    return day_report(day) if day.is_open else DayReport.from_dict(day.report)


def open_day_of(branch) -> TillDay | None:
    return TillDay.objects.filter(branch=branch, status=TillDay.Status.OPEN).first()


# Receipts: a QR code to a check of the sale on the shop's storefront

RECEIPT_SALT = "karat.sales.receipt"


def receipt_token(sale: Sale) -> str:
    """A signed, tamper-proof name of the sale (its shop and id): all the check
    page gets. Untimed (unlike `signing.dumps`), so every reprint carries the same
    code."""
    signer = signing.Signer(salt=RECEIPT_SALT)
    return signer.sign_object([sale.tenant_id, sale.pk], compress=True)


def sale_of_token(token: str, tenant) -> Sale | None:
    """The completed (or voided) sale a receipt's token names, if it is `tenant`'s
    and the signature holds."""
    try:
        tenant_id, sale_id = signing.Signer(salt=RECEIPT_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if tenant_id != tenant.pk:
        return None
    return Sale.objects.filter(
        pk=sale_id, status__in=[Sale.Status.COMPLETED, Sale.Status.VOIDED]
    ).first()


def returned_in_full(sale: Sale) -> bool:
    """Every line of the sale has come back."""
    return not sale.lines.filter(returned_quantity__lt=F("quantity")).exists()


def receipt_check_url(sale: Sale) -> str:
    """Where the receipt's QR code leads: the check page on the shop's first
    hostname, or "" if the shop has no site."""
    tenant = require_tenant()
    site = Site.objects.filter(root_page_id=tenant.home_page_id).order_by("pk").first()
    if site is None:
        return ""
    return f"{site.root_url}/receipt/{receipt_token(sale)}/"


def receipt_check_qr(sale: Sale) -> str:
    url = receipt_check_url(sale)
    return qr_svg(url) if url else ""


# The dashboard


@dataclass(frozen=True)
class DayTakings:
    date: object  # the shop's date
    count: int
    total: Decimal


def daily_takings(days: int = 30, now: datetime | None = None) -> list[DayTakings]:
    """Completed sales per day of the shop's calendar, the last `days` days to
    today, days without a sale included (one query)."""
    tenant = require_tenant()
    zone = zoneinfo.ZoneInfo(tenant.timezone)
    today = timezone.localtime(now or timezone.now(), zone).date()
    first = today - timedelta(days=days - 1)
    rows = {
        row["date"]: row
        for row in Sale.objects.filter(
            status=Sale.Status.COMPLETED,
            completed_at__date__gte=first - timedelta(days=1),
        )
        .annotate(date=TruncDate("completed_at", tzinfo=zone))
        .values("date")
        .annotate(count=Count("id"), total=Sum("total"))
        .order_by()
    }
    return [
        DayTakings(
            date,
            rows.get(date, {}).get("count", 0),
            rows.get(date, {}).get("total") or Decimal(0),
        )
        for date in (first + timedelta(days=n) for n in range(days))
    ]
