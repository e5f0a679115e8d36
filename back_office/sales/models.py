"""Sales: the shop's sales policy and reservations of pieces for pickup.

A storefront customer reserves a piece in stock for pickup at a branch: the piece
is reserved on the stock ledger, and its price is held at the quote of that moment
(the breakdown and the rates used are kept with the reservation) until `held_until`.
A reservation ends collected (at the point of sale), cancelled by staff, or expired
when its hold ends (tasks.py). Every change goes through services.py.
"""

import secrets
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from back_office.inventory.models import MONEY, Piece
from back_office.inventory.pricing import PriceBreakdown
from back_office.tenancy.models import TenantOwned
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
        figures = dict(self.quote)
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
