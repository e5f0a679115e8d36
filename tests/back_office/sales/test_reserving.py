"""A storefront customer reserves a piece: the price is held, the piece reserved on
the ledger; anything wrong and nothing at all is written."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from back_office.inventory import services as stock
from back_office.inventory.models import Piece, StockMovement
from back_office.inventory.queries import latest_rates, price_of
from back_office.sales import queries, services
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import Reservation
from back_office.tenancy.context import tenant_context
from back_office.tenancy.models import ShopLogEntry
from tests.back_office.sales.conftest import NOW, RING_TOTAL
from tests.factories.inventory import MetalRateFactory, PieceFactory
from tests.factories.sales import fixed_price_piece, make_reservation
from tests.factories.tenants import BranchFactory, make_tenant

Code = SalesErrorCode


def _reserve(piece, branch, **fields):
    customer = {"customer_name": "Maria Silva", "email": "maria@example.test"}
    return services.reserve_piece(piece, branch=branch, now=NOW, **customer | fields)


def _nothing_written(shop, piece, movements=1):
    """No reservation, no ledger entry besides the piece's `movements`, the piece
    in stock, nothing in the shop's history about it."""
    with tenant_context(shop):
        piece = Piece.objects.get(pk=piece.pk)
        assert not Reservation.objects.exists()
        assert StockMovement.objects.filter(piece=piece).count() == movements
        assert not ShopLogEntry.objects.filter(action__startswith="sales.").exists()
    return piece


def test_a_reservation_holds_the_price_quoted_at_that_moment(shop, branch, ring):
    # The worked example: 5 g x USD 80.0000/g x 916/1000 = 366.40 of metal; making
    # 10 % = 36.64; the diamond 200.00; before tax 603.04; tax 3 % = 18.0912, so
    # the customer pays 621.1312 -> 621.13, and the tax shown is 621.13 - 603.04.
    with tenant_context(shop):
        reservation = _reserve(ring, branch)
        breakdown = price_of(ring, latest_rates(at=NOW))

    assert reservation.quoted_total == RING_TOTAL
    assert reservation.currency == "USD"
    assert reservation.quote == breakdown.as_dict()
    assert reservation.held_breakdown == breakdown
    assert {
        name: reservation.quote[name]
        for name in ("metal_value", "making", "stones", "subtotal", "tax", "total")
    } == {
        "metal_value": "366.40",
        "making": "36.64",
        "stones": "200.00",
        "subtotal": "603.04",
        "tax": "18.09",
        "total": "621.13",
    }


def test_the_held_price_stays_when_the_rate_moves(shop, branch, ring):
    with tenant_context(shop):
        reservation = _reserve(ring, branch)
        MetalRateFactory(
            metal="gold", rate_per_gram=Decimal("90.0000"), effective_at=NOW
        )
        today = price_of(ring, latest_rates(at=NOW + timedelta(minutes=1)))
        reservation.refresh_from_db()

    assert today.total > RING_TOTAL
    assert reservation.quoted_total == RING_TOTAL
    assert reservation.held_breakdown.rate_per_gram == Decimal("80.0000")


def test_a_reservation_keeps_the_rate_it_was_priced_at(shop, branch, ring, gold_rate):
    with tenant_context(shop):
        reservation = _reserve(ring, branch)

    assert reservation.rates == {
        "gold": {
            "rate_per_gram": "80.0000",
            "effective_at": gold_rate.effective_at.isoformat(),
            "id": gold_rate.pk,
        }
    }


def test_a_tag_priced_piece_is_held_at_its_tag_price_with_no_rate(shop, branch):
    with tenant_context(shop):
        piece = fixed_price_piece(tag_price=Decimal("1000.00"), branch=branch)
        reservation = _reserve(piece, branch)

    assert reservation.quoted_total == Decimal("1030.00")  # the tag, plus 3 % tax
    assert reservation.rates == {}


def test_the_piece_is_reserved_through_the_ledger(shop, branch, ring):
    with tenant_context(shop):
        reservation = _reserve(ring, branch)
        entry = ring.movements.latest("id")

    assert ring.status == Piece.Status.RESERVED
    assert (entry.kind, entry.quantity_delta, entry.reference) == (
        "reserved",
        Decimal(0),
        reservation.reference,
    )


def test_the_reservation_is_open_with_a_reference_to_read_out(shop, branch, ring):
    with tenant_context(shop):
        reservation = _reserve(ring, branch, message="  Size 7 please  ")

    assert re.fullmatch(r"R-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}", reservation.reference)
    assert reservation.status == Reservation.Status.OPEN
    assert (reservation.piece, reservation.branch) == (ring, branch)
    assert (reservation.customer_name, reservation.email, reservation.message) == (
        "Maria Silva",
        "maria@example.test",
        "Size 7 please",
    )
    assert reservation.created_at == NOW


def test_the_hold_lasts_the_shops_48_hours_by_default(shop, branch, ring):
    with tenant_context(shop):
        reservation = _reserve(ring, branch)

    assert reservation.held_until == NOW + timedelta(hours=48)
    assert reservation.held_price_valid(NOW + timedelta(hours=47, minutes=59))
    assert not reservation.held_price_valid(NOW + timedelta(hours=48))


def test_the_hold_lasts_what_the_shop_set(shop, branch, ring, manager):
    with tenant_context(shop):
        services.update_sales_policy(reservation_hold_hours=6, user=manager)
        reservation = _reserve(ring, branch)

    assert reservation.held_until == NOW + timedelta(hours=6)


def test_the_hold_is_described_on_the_shops_clock(shop, branch, ring):
    with tenant_context(shop):
        reservation = _reserve(ring, branch)

    # 12:30 UTC on Tuesday is 18:00 in India.
    assert queries.describe_hold(reservation) == (
        "held at USD 621.13 until Tuesday 1 Dec, 18:00"
    )


def test_the_reservation_is_in_the_shops_history(shop, branch, ring):
    with tenant_context(shop):
        reservation = _reserve(ring, branch)
        entry = ShopLogEntry.objects.get(action="sales.reservation_made")

    assert entry.object_id == str(reservation.pk)
    assert entry.data["piece"] == "SOL-0001"
    assert entry.data["held price"] == "USD 621.13"
    assert entry.data["held until"] == "1 Dec 2026, 18:00 IST"


@pytest.mark.parametrize(
    ("phone", "email", "kept"),
    [
        ("+351 912 345 678", "", ("+351 912 345 678", "")),
        (" (212)  555-0199 ", "", ("(212) 555-0199", "")),
        ("", "Maria@Example.TEST", ("", "Maria@example.test")),
    ],
)
def test_a_phone_number_or_an_email_address_is_enough(
    shop, branch, ring, phone, email, kept
):
    with tenant_context(shop):
        reservation = _reserve(ring, branch, phone=phone, email=email)

    assert (reservation.phone, reservation.email) == kept


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"customer_name": ""}, Code.NAME_REQUIRED, "customer_name"),
        ({"customer_name": " \n "}, Code.NAME_REQUIRED, "customer_name"),
        ({"customer_name": "M" * 121}, Code.TOO_LONG, "customer_name"),
        ({"customer_name": "Ma\x00ria"}, Code.INVALID, "customer_name"),
        ({"email": "", "phone": ""}, Code.CONTACT_REQUIRED, None),
        ({"email": "maria@"}, Code.INVALID_EMAIL, "email"),
        ({"email": "maria\x1b@example.test"}, Code.INVALID, "email"),
        (
            {"email": "maria@example.test\nBcc: all@example.test"},
            Code.INVALID_EMAIL,
            "email",
        ),
        ({"phone": "12 34"}, Code.INVALID_PHONE, "phone"),
        ({"phone": "call me after six"}, Code.INVALID_PHONE, "phone"),
        ({"phone": "1" * 16}, Code.INVALID_PHONE, "phone"),
        ({"message": "x" * 1001}, Code.TOO_LONG, "message"),
        ({"message": "hello\x00"}, Code.INVALID, "message"),
    ],
)
def test_an_invalid_request_is_refused_writing_nothing(
    shop, branch, ring, fields, code, field
):
    with tenant_context(shop), pytest.raises(SalesError) as refused:
        _reserve(ring, branch, **fields)

    assert (refused.value.code, refused.value.field) == (code, field)
    assert _nothing_written(shop, ring).status == Piece.Status.IN_STOCK


def test_a_message_of_1000_characters_is_kept(shop, branch, ring):
    with tenant_context(shop):
        reservation = _reserve(ring, branch, message="x" * 1000)

    assert len(reservation.message) == 1000


def test_a_pickup_branch_of_another_shop_is_refused(shop, branch, ring):
    other = make_tenant("luna")
    with tenant_context(other):
        theirs = BranchFactory(name="Luna branch")

    with tenant_context(shop), pytest.raises(SalesError) as refused:
        _reserve(ring, theirs)

    assert refused.value.code == Code.UNKNOWN_BRANCH
    _nothing_written(shop, ring)


def test_a_piece_reserved_already_is_refused_with_a_word_of_apology(shop, branch, ring):
    with tenant_context(shop):
        first = _reserve(ring, branch)
        with pytest.raises(SalesError) as refused:
            _reserve(ring, branch, customer_name="Ana Costa", email="ana@example.test")
        reservations = list(Reservation.objects.all())
        reserved_entries = ring.movements.filter(kind="reserved").count()

    assert refused.value.code == Code.ALREADY_RESERVED
    assert refused.value.message == (
        "Sorry, this piece was just reserved by someone else."
    )
    assert reservations == [first]
    assert reserved_entries == 1


def test_the_database_refuses_a_second_open_reservation_of_a_piece(shop, branch, ring):
    with tenant_context(shop):
        first = _reserve(ring, branch)
        copy = {
            field.name: getattr(first, field.name)
            for field in Reservation._meta.concrete_fields
            if field.name not in ("id", "reference")
        }
        with pytest.raises(IntegrityError), transaction.atomic():
            Reservation.objects.create(**copy | {"reference": "R-SECOND"})


@pytest.mark.parametrize(
    ("move", "reason"),
    [("sold", ""), ("memo_out", ""), ("repair_out", "Loose stone")],
)
def test_a_piece_that_is_not_in_stock_is_refused(shop, branch, ring, move, reason):
    with tenant_context(shop):
        stock.move_piece(ring, move, reason=reason)
        with pytest.raises(SalesError) as refused:
            _reserve(ring, branch)

    assert refused.value.code == Code.NOT_AVAILABLE
    assert refused.value.message == "Sorry, this piece is no longer available."
    _nothing_written(shop, ring, movements=2)


def test_a_piece_hidden_from_the_storefront_is_refused(shop, branch, ring):
    with tenant_context(shop):
        stock.set_shown_on_storefront([ring], False)
        with pytest.raises(SalesError) as refused:
            _reserve(ring, branch)

    assert refused.value.code == Code.NOT_AVAILABLE
    assert _nothing_written(shop, ring).status == Piece.Status.IN_STOCK


def test_another_shops_piece_cannot_be_reserved(shop, branch):
    other = make_tenant("luna")
    with tenant_context(other):
        BranchFactory()
        theirs = fixed_price_piece()

    with tenant_context(shop), pytest.raises(SalesError) as refused:
        _reserve(theirs, branch)

    assert refused.value.code == Code.NOT_AVAILABLE
    with tenant_context(other):
        assert Piece.objects.get(pk=theirs.pk).status == Piece.Status.IN_STOCK
        assert not Reservation.objects.exists()


def test_a_piece_with_no_rate_for_its_metal_is_refused(shop, branch):
    with tenant_context(shop):
        silver = PieceFactory(metal="silver", fineness=925, branch=branch)
        with pytest.raises(SalesError) as refused:
            _reserve(silver, branch)

    assert refused.value.code == Code.NO_PRICE
    _nothing_written(shop, silver)


def test_a_piece_released_from_a_reservation_can_be_reserved_again(
    shop, branch, ring, manager
):
    with tenant_context(shop):
        first = _reserve(ring, branch)
        services.cancel_reservation(first, user=manager, reason="Changed her mind")
        second = _reserve(ring, branch, customer_name="Ana Costa")

    assert second.reference != first.reference
    assert second.status == Reservation.Status.OPEN
    assert ring.status == Piece.Status.RESERVED


def test_the_factory_reserves_through_the_service(shop, branch):
    with tenant_context(shop):
        reservation = make_reservation()
        assert reservation.piece.movements.filter(kind="reserved").exists()
