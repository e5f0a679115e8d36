"""A reservation after it is made: staff extend or cancel it at the counter, and it
expires when its hold ends. Each end puts the piece back on sale through the
ledger; a refused change writes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest

from back_office.inventory import services as stock
from back_office.inventory.models import Piece
from back_office.sales import queries, services
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import Reservation
from back_office.tenancy.context import tenant_context
from back_office.tenancy.models import ShopLogEntry
from tests.back_office.sales.conftest import NOW
from tests.factories.sales import fixed_price_piece, make_reservation
from tests.factories.tenants import BranchFactory, make_tenant

Code = SalesErrorCode
Status = Reservation.Status
HOUR = timedelta(hours=1)


@pytest.fixture
def reservation(shop, branch, ring):
    with tenant_context(shop):
        return make_reservation(ring, branch=branch, now=NOW)


def _fresh(shop, reservation):
    with tenant_context(shop):
        reservation = Reservation.objects.select_related("piece").get(pk=reservation.pk)
        entries = list(reservation.piece.movements.order_by("id"))
    return reservation, reservation.piece, entries


def _state(shop, reservation):
    """What a refused change must leave as it was."""
    found, piece, entries = _fresh(shop, reservation)
    return (
        found.status,
        found.held_until,
        found.closed_at,
        found.close_reason,
        piece.status,
        [entry.pk for entry in entries],
        _actions(shop),
    )


def _actions(shop):
    with tenant_context(shop):
        return list(
            ShopLogEntry.objects.filter(action__startswith="sales.")
            .order_by("id")
            .values_list("action", flat=True)
        )


# Extending


def test_staff_hold_a_reservation_longer_at_the_same_price(shop, reservation, manager):
    with tenant_context(shop):
        services.extend_reservation(reservation, hours=24, user=manager, now=NOW + HOUR)

    extended, piece, _ = _fresh(shop, reservation)
    assert extended.held_until == NOW + 72 * HOUR
    assert extended.quoted_total == Decimal("621.13")
    assert (extended.status, piece.status) == (Status.OPEN, Piece.Status.RESERVED)
    assert _actions(shop) == ["sales.reservation_made", "sales.reservation_extended"]


def test_a_hold_that_has_ended_is_extended_from_now(shop, reservation, manager):
    later = NOW + 50 * HOUR  # two hours after the hold ended, before the task ran
    with tenant_context(shop):
        services.extend_reservation(reservation, hours=3, user=manager, now=later)

    assert _fresh(shop, reservation)[0].held_until == later + 3 * HOUR


def test_a_reservation_is_held_30_days_at_most_from_when_it_was_made(
    shop, reservation, manager
):
    with tenant_context(shop):
        services.extend_reservation(reservation, hours=720 - 48, user=manager, now=NOW)
        with pytest.raises(SalesError) as refused:
            services.extend_reservation(reservation, hours=1, user=manager, now=NOW)

    assert refused.value.code == Code.HOLD_TOO_LONG
    assert "until 29 Dec 2026, 18:00 IST at the latest" in refused.value.message
    assert _fresh(shop, reservation)[0].held_until == NOW + 720 * HOUR


@pytest.mark.parametrize("hours", [0, -4, 721, "12", 1.5, True])
def test_extending_by_anything_but_1_to_720_whole_hours_is_refused(
    shop, reservation, manager, hours
):
    with tenant_context(shop), pytest.raises(SalesError) as refused:
        services.extend_reservation(reservation, hours=hours, user=manager)

    assert refused.value.code == Code.INVALID
    assert _fresh(shop, reservation)[0].held_until == NOW + 48 * HOUR


# Cancelling


def test_cancelling_puts_the_piece_back_on_sale_through_the_ledger(
    shop, reservation, manager
):
    with tenant_context(shop):
        services.cancel_reservation(
            reservation, user=manager, reason="  Bought elsewhere ", now=NOW + HOUR
        )

    cancelled, piece, entries = _fresh(shop, reservation)
    assert cancelled.status == Status.CANCELLED
    assert (cancelled.closed_at, cancelled.closed_by) == (NOW + HOUR, manager)
    assert cancelled.close_reason == "Bought elsewhere"
    assert piece.status == Piece.Status.IN_STOCK
    assert [(e.kind, e.quantity_delta) for e in entries] == [
        ("received", 1),
        ("reserved", 0),
        ("released", 0),
    ]
    assert (entries[-1].reference, entries[-1].user) == (cancelled.reference, manager)
    assert entries[-1].reason == "Reservation cancelled: Bought elsewhere"
    assert _actions(shop) == ["sales.reservation_made", "sales.reservation_cancelled"]


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        ("   ", Code.REASON_REQUIRED),
        ("x" * 201, Code.TOO_LONG),
        ("No\x00show", Code.INVALID),
    ],
)
def test_a_cancellation_needs_a_reason_and_writes_nothing_without(
    shop, reservation, manager, reason, code
):
    with tenant_context(shop), pytest.raises(SalesError) as refused:
        services.cancel_reservation(reservation, user=manager, reason=reason)

    assert refused.value.code == code
    still, piece, entries = _fresh(shop, reservation)
    assert (still.status, piece.status, len(entries)) == (
        Status.OPEN,
        Piece.Status.RESERVED,
        2,
    )


@pytest.mark.parametrize("end", ["cancel", "expire"])
def test_a_closed_reservation_can_be_neither_extended_nor_cancelled(
    shop, reservation, manager, end
):
    with tenant_context(shop):
        if end == "cancel":
            services.cancel_reservation(reservation, user=manager, reason="No show")
        else:
            services.expire_reservations(now=NOW + 48 * HOUR)
        before = _state(shop, reservation)
        for attempt in (
            lambda: services.extend_reservation(reservation, hours=2, user=manager),
            lambda: services.cancel_reservation(reservation, user=manager, reason="x"),
        ):
            with pytest.raises(SalesError) as refused:
                attempt()
            assert refused.value.code == Code.NOT_OPEN

    assert _state(shop, reservation) == before


def test_a_reservation_whose_piece_left_by_other_means_closes_without_a_move(
    shop, reservation, manager
):
    with tenant_context(shop):
        stock.move_piece(reservation.piece, "sold", reference="S-1")
        services.cancel_reservation(reservation, user=manager, reason="Sold at once")

    cancelled, piece, entries = _fresh(shop, reservation)
    assert (cancelled.status, piece.status) == (Status.CANCELLED, Piece.Status.SOLD)
    assert [e.kind for e in entries] == ["received", "reserved", "sold"]


# Expiring


@pytest.fixture
def three(shop, branch):
    """Reservations ending at NOW + 1 h, + 2 h and + 3 h."""
    with tenant_context(shop):
        services.update_sales_policy(reservation_hold_hours=1, user=None)
        return [
            make_reservation(fixed_price_piece(branch=branch), now=NOW + n * HOUR)
            for n in range(3)
        ]


def test_reservations_whose_hold_has_ended_expire_and_the_others_stay(shop, three):
    with tenant_context(shop):
        expired = services.expire_reservations(now=NOW + 2 * HOUR)
        statuses = [Reservation.objects.get(pk=r.pk).status for r in three]
        pieces = [Piece.objects.get(pk=r.piece_id).status for r in three]

    assert expired == 2
    assert statuses == [Status.EXPIRED, Status.EXPIRED, Status.OPEN]
    assert pieces == ["in_stock", "in_stock", "reserved"]


def test_an_expired_reservation_releases_its_piece_through_the_ledger(shop, three):
    with tenant_context(shop):
        services.expire_reservations(now=NOW + HOUR)

    expired, piece, entries = _fresh(shop, three[0])
    assert (expired.closed_at, expired.closed_by) == (NOW + HOUR, None)
    assert [(e.kind, e.reference) for e in entries[1:]] == [
        ("reserved", expired.reference),
        ("released", expired.reference),
    ]
    assert _actions(shop)[-1] == "sales.reservation_expired"


def test_expiring_twice_expires_nothing_the_second_time(shop, three):
    with tenant_context(shop):
        first = services.expire_reservations(now=NOW + 3 * HOUR)
        second = services.expire_reservations(now=NOW + 3 * HOUR)
        released = sum(r.piece.movements.filter(kind="released").count() for r in three)

    assert (first, second) == (3, 0)
    assert released == 3
    assert _actions(shop).count("sales.reservation_expired") == 3


def test_expiry_leaves_other_shops_alone(shop, three):
    other = make_tenant("luna")
    with tenant_context(other):
        BranchFactory()
        theirs = make_reservation(now=NOW - 100 * HOUR)

    with tenant_context(shop):
        services.expire_reservations(now=NOW + 3 * HOUR)

    with tenant_context(other):
        assert Reservation.objects.get(pk=theirs.pk).status == Status.OPEN
        assert queries.due_reservations(NOW).count() == 1
