"""Customers reserving one piece at the same instant, and two expiry runs at once:
real transactions, each on its own connection.

Transactional tests commit their data, so they live in this module of their own
(it runs after the others) and restore Wagtail's initial data for each test.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from back_office.inventory.models import Piece
from back_office.sales import services
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import Reservation
from back_office.tenancy.context import tenant_context
from tests.concurrency import at_once
from tests.factories.sales import fixed_price_piece, make_reservation
from tests.factories.tenants import BranchFactory, make_tenant

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_of_customers_reserving_one_piece_at_once_exactly_one_gets_it():
    shop = make_tenant("aurum")
    with tenant_context(shop):
        branch = BranchFactory()
        piece = fixed_price_piece(branch=branch)

    def reserve(i):
        with tenant_context(shop):
            return services.reserve_piece(
                piece,
                branch=branch,
                customer_name=f"Customer {i}",
                email=f"customer{i}@example.test",
            )

    outcomes = at_once(4, reserve)

    made = [o for o in outcomes if isinstance(o, Reservation)]
    refused = [o for o in outcomes if not isinstance(o, Reservation)]
    assert len(made) == 1
    assert [(type(o), o.code) for o in refused] == [
        (SalesError, SalesErrorCode.ALREADY_RESERVED)
    ] * 3
    assert {o.message for o in refused} == {
        "Sorry, this piece was just reserved by someone else."
    }
    with tenant_context(shop):
        assert list(Reservation.objects.all()) == made
        assert Piece.objects.get(pk=piece.pk).status == Piece.Status.RESERVED
        assert piece.movements.filter(kind="reserved").count() == 1
    # Only the one who got it hears so (the shop's email comes with it).
    customers = [to for email in mail.outbox for to in email.to if "customer" in to]
    assert customers == [made[0].email]


def test_two_expiry_runs_at_once_expire_each_reservation_once():
    shop = make_tenant("aurum")
    long_ago = timezone.now() - timedelta(days=3)
    with tenant_context(shop):
        BranchFactory()
        reservations = [make_reservation(now=long_ago) for _ in range(5)]

    def expire(i):
        with tenant_context(shop):
            return services.expire_reservations()

    outcomes = at_once(2, expire)

    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == 5
    with tenant_context(shop):
        assert set(Reservation.objects.values_list("status", flat=True)) == {"expired"}
        for reservation in reservations:
            released = reservation.piece.movements.filter(kind="released")
            assert released.count() == 1
