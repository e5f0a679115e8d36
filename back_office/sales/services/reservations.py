"""Every write of sales, each one transaction that locks what it changes and raises
SalesError (nothing written) when it refuses.

Reservations: a storefront customer reserves a piece (`reserve_piece`); staff extend
or cancel it at the counter; the beat task expires those whose hold has ended
(`expire_reservations`). The piece moves through the stock ledger (reserved, then
released), and the customer and the shop get an email once the change is committed
(emails.py). Locks are taken piece first when reserving, reservation first (then
its piece) when closing, so the two never wait on each other in a circle.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from wagtail.log_actions import log

from back_office.inventory.errors import PricingError
from back_office.inventory.models import Piece, StockMovement
from back_office.inventory.queries import latest_rates, price_of
from back_office.inventory.services import move_piece
from back_office.sales import emails, metrics, queries
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import (
    MAX_HOLD_HOURS,
    Reservation,
    new_reference,
)
from back_office.sales.services import checks
from back_office.sales.services.checks import REASON_LENGTH
from back_office.tenancy.context import require_tenant
from back_office.tenancy.services import record_changes
from back_office.tenants.models import Branch

logger = logging.getLogger(__name__)

Code = SalesErrorCode
Kind = StockMovement.Kind
Status = Reservation.Status

REFERENCE_ATTEMPTS = 8

ALREADY_RESERVED = "Sorry, this piece was just reserved by someone else."


# Checking what a customer typed


def _pickup_branch(branch: Branch | None) -> Branch:
    tenant = require_tenant()
    if (
        branch is None
        or branch.tenant_id != tenant.pk
        or not Branch.objects.filter(pk=branch.pk).exists()
    ):
        raise SalesError(
            "Please choose one of the shop's branches for the pickup.",
            Code.UNKNOWN_BRANCH,
            "branch",
        )
    return branch


def _available(piece: Piece) -> Piece:
    """The piece, locked, once it is known to be on offer to reserve."""
    locked = Piece.objects.select_for_update().filter(pk=piece.pk).first()
    if locked is None or not locked.shown_on_storefront:
        raise SalesError(
            "Sorry, this piece is not available to reserve.", Code.NOT_AVAILABLE
        )
    if locked.status == Piece.Status.RESERVED:
        raise SalesError(ALREADY_RESERVED, Code.ALREADY_RESERVED)
    if locked.status != Piece.Status.IN_STOCK:
        raise SalesError(
            "Sorry, this piece is no longer available.", Code.NOT_AVAILABLE
        )
    return locked


def _create(**fields) -> Reservation:
    """The reservation under a reference no other of the shop's has."""
    for _ in range(REFERENCE_ATTEMPTS):
        reference = new_reference()
        if Reservation.objects.filter(reference=reference).exists():
            continue
        try:
            with transaction.atomic():
                return Reservation.objects.create(reference=reference, **fields)
        except IntegrityError:
            if Reservation.objects.filter(reference=reference).exists():
                continue  # taken by a reservation made at the same instant
            # The one-open-reservation-per-piece constraint: the piece lock
            # normally answers first.
            raise SalesError(ALREADY_RESERVED, Code.ALREADY_RESERVED) from None
    raise RuntimeError("No free reservation reference after several attempts.")


def _counted(event: str, count: int = 1) -> None:
    if count:
        transaction.on_commit(
            lambda: metrics.RESERVATIONS.labels(event=event).inc(count), robust=True
        )


def _shop_clock(moment: datetime) -> str:
    """A moment for the shop's history and staff: "1 Dec 2026, 18:00 WET"."""
    return format_date(queries.on_shop_clock(moment, require_tenant()), "j M Y, H:i T")


def reserve_piece(
    piece: Piece,
    *,
    branch: Branch,
    customer_name: str,
    phone: str = "",
    email: str = "",
    message: str = "",
    now: datetime | None = None,
) -> Reservation:
    """Reserve `piece` for a storefront customer to collect at `branch`, its price
    held at today's quote for the shop's hold (SalesPolicy), as the current shop.

    Refused (SalesError, nothing written) unless the piece is shown on the
    storefront and in stock, and the customer gave a name and a phone number or an
    email address that look right. Of two customers reserving one piece at the
    same instant, one gets it and the other `already_reserved`. `piece` is
    refreshed to its new state (reserved).
    """
    try:
        return _reserve(
            piece,
            branch=branch,
            customer_name=customer_name,
            phone=phone,
            email=email,
            message=message,
            now=now or timezone.now(),
        )
    except SalesError as error:
        metrics.RESERVATIONS_REFUSED.labels(code=error.code).inc()
        raise


@transaction.atomic
def _reserve(piece, *, branch, customer_name, phone, email, message, now):
    name = checks.name(customer_name, "customer_name", "Your")
    phone, email = checks.phone(phone, "Your"), checks.email(email, "Your")
    if not phone and not email:
        raise SalesError(
            "Please give a phone number or an email address, so the shop can "
            "reach you.",
            Code.CONTACT_REQUIRED,
        )
    message = checks.text(message, "message", "message", "Your")
    branch = _pickup_branch(branch)
    locked = _available(piece)
    rates = latest_rates(at=now)
    try:
        breakdown = price_of(locked, rates)
    except PricingError:
        raise SalesError(
            "Sorry, this piece cannot be priced right now: please contact the shop.",
            Code.NO_PRICE,
        ) from None
    hours = queries.sales_policy().reservation_hold_hours
    reservation = _create(
        piece=locked,
        branch=branch,
        customer_name=name,
        phone=phone,
        email=email,
        message=message,
        quoted_total=breakdown.total,
        currency=breakdown.currency,
        quote=breakdown.as_dict(),
        rates=queries.rates_used(locked, rates),
        created_at=now,
        held_until=now + timedelta(hours=hours),
    )
    move_piece(
        locked,
        Kind.RESERVED,
        reference=reservation.reference,
        reason=f"Reservation for pickup at {branch}"[:REASON_LENGTH],
    )
    log(
        instance=reservation,
        action="sales.reservation_made",
        data={
            "piece": locked.sku,
            "pickup at": branch.name,
            "held price": queries.held_price(reservation),
            "held until": _shop_clock(reservation.held_until),
        },
    )
    emails.send_after_commit(emails.reservation_made(reservation))
    _counted("made")
    piece.refresh_from_db()
    return reservation


def _locked_open(reservation: Reservation) -> Reservation:
    locked = (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("piece", "branch")
        .get(pk=reservation.pk)
    )
    if locked.status != Status.OPEN:
        raise SalesError(
            f"Reservation {locked.reference} is {locked.get_status_display().lower()}"
            " already: it can no longer be changed.",
            Code.NOT_OPEN,
        )
    return locked


def _release(reservation: Reservation, *, user, reason: str) -> None:
    """Put the reserved piece back on sale, through the ledger. A piece that is no
    longer reserved (moved by other means) is left as it is."""
    piece = Piece.objects.select_for_update().get(pk=reservation.piece_id)
    if piece.status == Piece.Status.RESERVED:
        move_piece(
            piece,
            Kind.RELEASED,
            user=user,
            reference=reservation.reference,
            reason=reason[:REASON_LENGTH],
        )


def _close(reservation, status: str, *, user, reason: str, now: datetime) -> None:
    reservation.status = status
    reservation.closed_at = now
    reservation.closed_by = user
    reservation.close_reason = reason[:REASON_LENGTH]
    reservation.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    label = Status(status).label.lower()
    _release(reservation, user=user, reason=f"Reservation {label}: {reason}")


def collect_reservation(
    reservation: Reservation, *, user, sale: str, now: datetime | None = None
) -> Reservation:
    """The customer collected the piece: it was sold to them (`sale` names the
    sale) inside the caller's transaction, which has locked the reservation and
    moved the piece; the hold ends, nothing goes back on sale."""
    reservation.status = Status.COLLECTED
    reservation.closed_at = now or timezone.now()
    reservation.closed_by = user
    reservation.close_reason = f"Sold: {sale}"[:REASON_LENGTH]
    reservation.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    log(
        instance=reservation,
        action="sales.reservation_collected",
        user=user,
        data={"piece": reservation.piece.sku, "sale": sale},
    )
    _counted("collected")
    return reservation


def _hours(value) -> int:
    """A whole number of hours within the longest hold (a form's IntegerField)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MAX_HOLD_HOURS
    ):
        raise SalesError(
            f"Extend by a whole number of hours, from 1 to {MAX_HOLD_HOURS}.",
            Code.INVALID,
            "hours",
        )
    return value


@transaction.atomic
def extend_reservation(
    reservation: Reservation, *, hours, user, now: datetime | None = None
) -> Reservation:
    """Hold an open reservation `hours` longer (from now, if its hold has ended
    already), at the same price; never beyond MAX_HOLD_HOURS from when it was made.
    The customer is told by email."""
    now = now or timezone.now()
    hours = _hours(hours)
    locked = _locked_open(reservation)
    held_until = max(locked.held_until, now) + timedelta(hours=hours)
    latest = locked.created_at + timedelta(hours=MAX_HOLD_HOURS)
    if held_until > latest:
        raise SalesError(
            f"A reservation is held for {MAX_HOLD_HOURS // 24} days at most: "
            f"{locked.reference} can be held until {_shop_clock(latest)} at the "
            "latest.",
            Code.HOLD_TOO_LONG,
            "hours",
        )
    before = _shop_clock(locked.held_until)
    locked.held_until = held_until
    locked.save(update_fields=["held_until"])
    record_changes(
        locked,
        "sales.reservation_extended",
        {"held until": before},
        {"held until": _shop_clock(held_until)},
        user,
    )
    emails.send_after_commit(emails.reservation_extended(locked))
    _counted("extended")
    reservation.refresh_from_db()
    return locked


@transaction.atomic
def cancel_reservation(
    reservation: Reservation, *, user, reason: str, now: datetime | None = None
) -> Reservation:
    """Cancel an open reservation (the customer changed his mind, never came...):
    the piece goes back on sale through the ledger, the customer is told by email,
    and `reason` is kept."""
    now = now or timezone.now()
    reason = checks.reason(reason, what="the reservation is cancelled")
    locked = _locked_open(reservation)
    _close(locked, Status.CANCELLED, user=user, reason=reason, now=now)
    log(
        instance=locked,
        action="sales.reservation_cancelled",
        user=user,
        data={"piece": locked.piece.sku, "reason": reason},
    )
    emails.send_after_commit(emails.reservation_cancelled(locked))
    _counted("cancelled")
    reservation.refresh_from_db()
    return locked


@transaction.atomic
def expire_reservations(now: datetime | None = None) -> int:
    """Expire the current shop's open reservations whose hold ended by `now`: each
    piece back on sale through the ledger, each customer and the shop told by
    email. Returns how many expired; a second run finds none. Reservations that
    staff are changing at that moment are left to the next run."""
    now = now or timezone.now()
    due = list(
        queries.due_reservations(now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("piece", "branch")
    )
    for reservation in due:
        _close(reservation, Status.EXPIRED, user=None, reason="Hold ended", now=now)
        log(
            instance=reservation,
            action="sales.reservation_expired",
            data={
                "piece": reservation.piece.sku,
                "held until": _shop_clock(reservation.held_until),
            },
        )
    emails.send_after_commit(emails.reservations_expired(due))
    _counted("expired", len(due))
    return len(due)
