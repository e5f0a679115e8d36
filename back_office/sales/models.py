"""Sales: the counter sale, its tenders and trade-ins, returns and voids, store
credit, the till's day, the shop's sales policy, and reservations for pickup.

A sale is built at a counter (lines, discounts, customer, tenders), may be parked
and resumed at any counter of its branch, and is completed in one transaction
that numbers it (SaleCounter: gapless per shop), freezes each line's price
breakdown and the rates used, and moves the stock through the ledger. A completed
sale is never edited: a return or a same-day void is a new record, and the till's
day it lands on (TillDay) is frozen by its Z report.

A storefront customer reserves a piece in stock for pickup at a branch: the piece
is reserved on the stock ledger, and its price is held at the quote of that moment
(the breakdown and the rates used are kept with the reservation) until `held_until`.
A reservation ends collected (sold at the counter at its held price), cancelled by
staff, or expired when its hold ends (tasks.py). Every change goes through
services/.
"""

import secrets
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from back_office.inventory.models import MONEY, POSITIVE, WEIGHT, Piece, StockItem
from back_office.inventory.pricing import PriceBreakdown
from back_office.inventory.purity import Metal, purity_label
from back_office.tenancy.models import AppendOnly, TenantOwned
from back_office.tenants.models import Branch

#: The longest a reservation may be held, counted from when it was made (30 days).
MAX_HOLD_HOURS = 720
DEFAULT_HOLD_HOURS = 48
#: Reference characters a customer reads out on the phone without confusion: no
#: 0/O, 1/I/L, nor U (Crockford's alphabet).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_PREFIX = "R-"


def new_reference() -> str:
    """A fresh reservation reference, "R-7K3Q9F" (30^6 codes per shop)."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return REFERENCE_PREFIX + code


PERCENT = {"max_digits": 5, "decimal_places": 2}
RATE = {"max_digits": 14, "decimal_places": 4}  # per gram, as metal rates are kept


class DiscountBasis(models.TextChoices):
    """What a percentage discount is taken from."""

    PRICE = "price", "The price before tax"
    MAKING = "making", "The making charge"


class DiscountKind(models.TextChoices):
    AMOUNT = "amount", "Amount"
    PERCENT = "percent", "Percent"


class SalesPolicy(TenantOwned):
    """How the shop sells: one row per shop (queries.sales_policy() gives the
    defaults while a shop has none)."""

    reservation_hold_hours = models.PositiveSmallIntegerField(
        "hold reservations for (hours)",
        default=DEFAULT_HOLD_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOLD_HOURS)],
        help_text="How long a piece reserved on the storefront is kept for the "
        "customer at the price quoted, from 1 hour to 720 (30 days).",
    )
    discount_basis = models.CharField(
        "percentage discounts are taken from",
        max_length=8,
        choices=DiscountBasis.choices,
        default=DiscountBasis.PRICE,
        help_text="A piece priced by its tag, or sold by quantity, has no making "
        "charge: its discount is taken from the price.",
    )
    discount_cap_percent = models.DecimalField(
        "sales staff may discount up to (%)",
        default=Decimal("5"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Of a sale's price before tax. Beyond it, a manager approves at "
        "the counter with their own password.",
        **PERCENT,
    )
    trade_in_margin_percent = models.DecimalField(
        "buy old gold below today's rate by (%)",
        default=Decimal("3"),
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        **PERCENT,
    )
    trade_in_leeway_percent = models.DecimalField(
        "sales staff may change the buy rate by (%)",
        default=Decimal("2"),
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text="Up or down from the shop's buy rate, never above today's rate. "
        "Managers and owners may set any rate up to today's.",
        **PERCENT,
    )
    cash_payout_cap = models.DecimalField(
        "largest cash payout for a trade-in",
        default=Decimal("500"),
        validators=[MinValueValidator(0)],
        help_text="When old gold is worth more than the sale, the difference is "
        "paid in cash up to this amount (managers and owners), or given as store "
        "credit.",
        **MONEY,
    )
    return_window_days = models.PositiveSmallIntegerField(
        "returns accepted within (days)",
        default=30,
        validators=[MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = "sales policy"
        verbose_name_plural = "sales policies"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"], name="sales_policy_one_per_tenant"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    reservation_hold_hours__gte=1,
                    reservation_hold_hours__lte=MAX_HOLD_HOURS,
                ),
                name="sales_policy_hold_hours_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    discount_cap_percent__gte=0,
                    discount_cap_percent__lte=100,
                    trade_in_margin_percent__gte=0,
                    trade_in_margin_percent__lte=50,
                    trade_in_leeway_percent__gte=0,
                    trade_in_leeway_percent__lte=50,
                    cash_payout_cap__gte=0,
                    return_window_days__lte=365,
                ),
                name="sales_policy_limits_in_range",
            ),
        ]

    def __str__(self) -> str:
        return "Sales policy"


class Reservation(TenantOwned):
    """A piece held for a customer to collect at a branch, at the price quoted."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COLLECTED = "collected", "Collected"
        EXPIRED = "expired", "Expired"
        CANCELLED = "cancelled", "Cancelled"

    reference = models.CharField(
        max_length=12, editable=False, help_text="What the customer quotes."
    )
    piece = models.ForeignKey(
        Piece, on_delete=models.PROTECT, related_name="reservations"
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="pickup branch",
    )
    customer_name = models.CharField("customer", max_length=120)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    message = models.TextField(blank=True, help_text="The customer's note.")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN, editable=False
    )
    quoted_total = models.DecimalField("held price", **MONEY)
    currency = models.CharField(max_length=3)
    quote = models.JSONField(
        help_text="The price breakdown held (pricing.PriceBreakdown.as_dict())."
    )
    rates = models.JSONField(
        default=dict,
        blank=True,
        help_text="The metal rates the quote used: metal -> rate per gram, "
        "effective time and id.",
    )
    held_until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    close_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "reference"],
                name="reservation_reference_unique_per_tenant",
            ),
            # A piece is held for one customer at a time.
            models.UniqueConstraint(
                fields=["tenant", "piece"],
                condition=models.Q(status="open"),
                name="reservation_one_open_per_piece",
            ),
            models.CheckConstraint(
                condition=~models.Q(phone="", email=""),
                name="reservation_has_a_contact",
            ),
            models.CheckConstraint(
                condition=models.Q(quoted_total__gte=0),
                name="reservation_total_not_negative",
            ),
        ]
        indexes = [
            models.Index(
                fields=["tenant", "status", "held_until"], name="reservation_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.customer_name}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def held_price_valid(self, now: datetime | None = None) -> bool:
        """Whether the customer still gets the held price: the reservation is open
        and its hold has not ended (the expiry task may not have run yet)."""
        return self.is_open and (now or timezone.now()) < self.held_until

    @property
    def held_breakdown(self) -> PriceBreakdown:
        """The quote as it was held, figure for figure (the point of sale sells at
        it while the hold lasts)."""
        return breakdown_from(self.quote)


class Customer(TenantOwned):
    """Someone the shop sells to, buys old gold from, or holds credit for."""

    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    notes = models.TextField(blank=True, help_text="Ring size, preferences…")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_purchase_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["tenant", "phone"], name="customer_phone"),
            models.Index(fields=["tenant", "email"], name="customer_email"),
        ]

    def __str__(self) -> str:
        return self.name


class SaleCounter(TenantOwned):
    """The shop's last sale number. Locked and incremented inside the transaction
    that completes a sale, so a rollback gives the number back: numbers run 1, 2,
    3… per shop in completion order, with no gap and no duplicate."""

    wagtail_reference_index_ignore = True  # see Sale

    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="sale_counter_per_tenant")
        ]

    def __str__(self) -> str:
        return f"Last sale number {self.last_number}"


class TillDay(TenantOwned):
    """A branch's trading day at the till, from its opening float to its Z report.

    Every sale, return and void is recorded on the branch's open day; the Z report
    freezes the day (its figures and the cash counted), and anything later lands
    on the next day. One open day per branch at a time."""

    wagtail_reference_index_ignore = True  # see Sale

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    business_date = models.DateField(help_text="The shop's date when it opened.")
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.OPEN, editable=False
    )
    opening_float = models.DecimalField(default=0, validators=POSITIVE, **MONEY)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    closed_at = models.DateTimeField(null=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    counted_cash = models.DecimalField(null=True, editable=False, **MONEY)
    counted_denominations = models.JSONField(
        default=dict, editable=False, help_text="Denomination -> how many counted."
    )
    expected_cash = models.DecimalField(null=True, editable=False, **MONEY)
    variance = models.DecimalField(
        null=True, editable=False, help_text="Counted less expected.", **MONEY
    )
    report = models.JSONField(
        default=dict, editable=False, help_text="The Z report's figures, frozen."
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = "till day"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "branch"],
                condition=models.Q(status="open"),
                name="till_day_one_open_per_branch",
            ),
            models.CheckConstraint(
                condition=models.Q(opening_float__gte=0), name="till_day_float"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open")
                | models.Q(counted_cash__isnull=False, closed_at__isnull=False),
                name="till_day_closed_with_a_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch}, {self.business_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Sale(TenantOwned):
    """A sale at a counter: in progress (or parked) until it is completed, which
    gives it its number and freezes every figure; voided the same day, it keeps
    its number, marked void."""

    # Not in Wagtail's reference index ("used by"): sales records are no use of
    # the pieces, customers and branches they name (those are protected from
    # deletion by their foreign keys), and indexing them cost a sale ~40 ms.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        PARKED = "parked", "Parked"
        COMPLETED = "completed", "Completed"
        VOIDED = "voided", "Voided"

    number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.OPEN, editable=False
    )
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
    )
    day = models.ForeignKey(
        TillDay, null=True, on_delete=models.PROTECT, related_name="sales"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who has it at a counter now (or completed it).",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    tax_rate = models.DecimalField(default=0, **PERCENT)
    discount_kind = models.CharField(
        max_length=8, choices=DiscountKind.choices, blank=True
    )
    discount_value = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    discount_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    discount_approved_percent = models.DecimalField(
        default=0,
        help_text="The largest discount, in % of the price, the approval covers.",
        **PERCENT,
    )
    subtotal = models.DecimalField(default=0, help_text="Before tax.", **MONEY)
    discount_total = models.DecimalField(default=0, **MONEY)
    tax = models.DecimalField(default=0, **MONEY)
    total = models.DecimalField(default=0, **MONEY)
    change_given = models.DecimalField(default=0, **MONEY)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-completed_at", "-started_at", "-id"]
        permissions = [
            ("override_price", "Can change a price at the counter"),
            ("approve_discount", "Can approve a discount beyond the cap"),
            ("void_sale", "Can void a sale the same day"),
            ("refund_sale", "Can take returns and refund"),
            ("pay_out_cash", "Can pay cash out for a trade-in"),
            ("set_trade_in_rate", "Can set any buy rate for a trade-in"),
            ("close_day", "Can close the till's day (Z report)"),
            ("view_day", "Can see the till's days and their variances"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "number"], name="sale_number_unique_per_tenant"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "parked"], number__isnull=True)
                | models.Q(
                    status__in=["completed", "voided"],
                    number__isnull=False,
                    completed_at__isnull=False,
                    day__isnull=False,
                ),
                name="sale_numbered_once_completed",
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0, change_given__gte=0),
                name="sale_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "branch"], name="sale_status"),
            models.Index(fields=["tenant", "completed_at"], name="sale_completed"),
        ]

    def __str__(self) -> str:
        return f"Sale {self.number}" if self.number else f"Sale in progress #{self.pk}"

    @property
    def status_label(self) -> str:
        return self.get_status_display()

    @property
    def is_building(self) -> bool:
        """In progress or parked: still changed at the counter."""
        return self.status in (self.Status.OPEN, self.Status.PARKED)


class SaleLine(TenantOwned):
    """One piece, or a quantity of an item, on a sale. Its price is worked out
    live while the sale is built; completing the sale freezes it: the breakdown,
    the rates used and what the receipt prints of the piece (`specs`)."""

    wagtail_reference_index_ignore = True  # see Sale

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    piece = models.ForeignKey(
        Piece, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        StockItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reservation = models.ForeignKey(
        "Reservation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sale_lines",
    )
    quantity = models.DecimalField(default=1, **WEIGHT)
    sku = models.CharField("SKU", max_length=40)
    description = models.CharField(max_length=200)
    discount_kind = models.CharField(
        max_length=8, choices=DiscountKind.choices, blank=True
    )
    discount_value = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    price_override = models.DecimalField(
        null=True,
        blank=True,
        help_text="A price set at the counter, in place of the piece's own.",
        **MONEY,
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Frozen when the sale completes.
    breakdown = models.JSONField(default=dict, blank=True)
    rates = models.JSONField(default=dict, blank=True)
    specs = models.JSONField(default=dict, blank=True)
    price_source = models.CharField(max_length=16, blank=True)
    discount = models.DecimalField(default=0, help_text="Before tax.", **MONEY)
    subtotal = models.DecimalField(default=0, help_text="Before tax.", **MONEY)
    tax = models.DecimalField(default=0, **MONEY)
    total = models.DecimalField(default=0, **MONEY)
    returned_quantity = models.DecimalField(default=0, editable=False, **WEIGHT)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(piece__isnull=True) ^ models.Q(item__isnull=True),
                name="sale_line_is_a_piece_or_an_item",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0)
                & (models.Q(piece__isnull=True) | models.Q(quantity=1)),
                name="sale_line_quantity",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    returned_quantity__gte=0,
                    returned_quantity__lte=models.F("quantity"),
                ),
                name="sale_line_returned_at_most_sold",
            ),
            models.UniqueConstraint(
                fields=["tenant", "sale", "piece"],
                name="sale_line_piece_once_per_sale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.description}"

    @property
    def frozen_breakdown(self) -> PriceBreakdown | None:
        return breakdown_from(self.breakdown) if self.breakdown else None

    @property
    def returnable_quantity(self) -> Decimal:
        return self.quantity - self.returned_quantity


class TradeIn(TenantOwned):
    """Old gold (or silver, platinum…) the customer sells to the shop as part of a
    sale: tested, weighed, valued at the buy rate, and taken into stock as an
    old-metal lot when the sale completes. It pays toward the sale as a tender.

    value = (gross - deduction) x (1 - melting loss %) x fineness / 1000 x buy rate
    """

    wagtail_reference_index_ignore = True  # see Sale

    class Test(models.TextChoices):
        XRF = "xrf", "XRF analyser"
        TOUCHSTONE = "touchstone", "Touchstone"
        HALLMARK = "hallmark", "Hallmark"

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="trade_ins")
    description = models.CharField(max_length=200, blank=True)
    metal = models.CharField(max_length=16, choices=Metal.choices)
    fineness = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    tested_by = models.CharField(
        "purity tested by", max_length=12, choices=Test.choices
    )
    gross_weight_g = models.DecimalField("gross weight (g)", **WEIGHT)
    deduction_g = models.DecimalField(
        "stones and dirt (g)", default=0, help_text="Deducted.", **WEIGHT
    )
    melting_loss_percent = models.DecimalField(default=0, **PERCENT)
    market_rate = models.DecimalField(
        "today's rate (pure, per g)", help_text="When it was valued.", **RATE
    )
    buy_rate = models.DecimalField("buy rate (pure, per g)", **RATE)
    value = models.DecimalField(**MONEY)
    lot = models.ForeignKey(
        StockItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = "trade-in"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    gross_weight_g__gt=0,
                    deduction_g__gte=0,
                    deduction_g__lt=models.F("gross_weight_g"),
                    melting_loss_percent__gte=0,
                    melting_loss_percent__lt=100,
                    buy_rate__gt=0,
                    buy_rate__lte=models.F("market_rate"),
                    value__gte=0,
                    fineness__gte=1,
                    fineness__lte=999,
                ),
                name="trade_in_figures_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purity}, {self.gross_weight_g} g"

    @property
    def purity(self) -> str:
        return purity_label(self.metal, self.fineness)

    @property
    def net_weight_g(self) -> Decimal:
        return self.gross_weight_g - self.deduction_g


class TenderKind(models.TextChoices):
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    STORE_CREDIT = "store_credit", "Store credit"
    TRADE_IN = "trade_in", "Old gold trade-in"


class Tender(TenantOwned):
    """One payment toward a sale. Cash is what the customer handed over (the
    sale's `change_given` goes back); a negative amount is paid out to the
    customer (cash for a trade-in worth more than the sale) or given as store
    credit. The amounts less the change equal the sale's total."""

    wagtail_reference_index_ignore = True  # see Sale

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="tenders")
    kind = models.CharField(max_length=16, choices=TenderKind.choices)
    amount = models.DecimalField(**MONEY)
    reference = models.CharField(
        max_length=60, blank=True, help_text="Card slip or transfer reference."
    )
    trade_in = models.OneToOneField(
        TradeIn,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tender",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount=0), name="tender_amount_not_zero"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="trade_in", trade_in__isnull=False)
                | (~models.Q(kind="trade_in") & models.Q(trade_in__isnull=True)),
                name="tender_trade_in_has_its_trade_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class SaleReturn(TenantOwned):
    """Pieces or quantities of a completed sale brought back, and the refund: by
    one of the sale's own tenders, or as store credit."""

    wagtail_reference_index_ignore = True  # see Sale

    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="returns")
    reference = models.CharField(max_length=20, editable=False)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    day = models.ForeignKey(TillDay, on_delete=models.PROTECT, related_name="returns")
    reason = models.CharField(max_length=200)
    refund_kind = models.CharField(max_length=16, choices=TenderKind.choices)
    refund_reference = models.CharField(max_length=60, blank=True)
    refund_total = models.DecimalField(**MONEY)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "return"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "reference"], name="sale_return_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(refund_total__gte=0)
                & ~models.Q(refund_kind="trade_in"),
                name="sale_return_refund_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Return {self.reference}"


class ReturnLine(TenantOwned):
    wagtail_reference_index_ignore = True  # see Sale

    sale_return = models.ForeignKey(
        SaleReturn, on_delete=models.CASCADE, related_name="lines"
    )
    line = models.ForeignKey(
        SaleLine, on_delete=models.PROTECT, related_name="return_lines"
    )
    quantity = models.DecimalField(**WEIGHT)
    amount = models.DecimalField(help_text="Refunded, tax included.", **MONEY)
    tax = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0, amount__gte=0),
                name="return_line_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.line}"


class StoreCreditEntry(AppendOnly, TenantOwned):
    """The store credit ledger: credit given (a refund, a trade-in worth more than
    the sale) and spent, per customer. Each entry carries the balance after it,
    written under a lock of the customer, and the database refuses a negative
    balance: credit can never be spent twice."""

    wagtail_reference_index_ignore = True  # see Sale

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="credit_entries"
    )
    amount = models.DecimalField(help_text="Given (+) or spent (-).", **MONEY)
    balance_after = models.DecimalField(**MONEY)
    sale = models.ForeignKey(
        Sale, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sale_return = models.ForeignKey(
        SaleReturn, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "store credit entry"
        verbose_name_plural = "store credit"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0) & ~models.Q(amount=0),
                name="store_credit_never_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer}: {self.amount:+}"


def breakdown_from(figures: dict) -> PriceBreakdown:
    """A price breakdown kept as JSON (PriceBreakdown.as_dict()), figure for
    figure."""
    figures = dict(figures)
    for name in (
        "metal_value",
        "making",
        "stones",
        "discount",
        "subtotal",
        "tax",
        "total",
        "tax_rate",
    ):
        figures[name] = Decimal(figures[name])
    if figures["rate_per_gram"] is not None:
        figures["rate_per_gram"] = Decimal(figures["rate_per_gram"])
    if figures["rate_effective_at"] is not None:
        figures["rate_effective_at"] = datetime.fromisoformat(
            figures["rate_effective_at"]
        )
    return PriceBreakdown(**figures)
