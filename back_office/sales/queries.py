"""Reads of sales that the storefront, the admin, the tasks and the emails share.

Every query runs as the current shop (tenant_context), like all tenant-owned access.
"""

import zoneinfo
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateformat import format as format_date

from back_office.inventory.pricing import format_money
from back_office.sales.models import Reservation, SalesPolicy

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
