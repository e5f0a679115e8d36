"""The beat task that ends reservations whose hold is over, shop by shop."""

import logging
from datetime import timedelta

from django.utils import timezone

from back_office.sales.models import Reservation
from back_office.sales.tasks import (
    expire_shop_reservations,
    release_expired_reservations,
)
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Tenant
from back_office.tenants.services import set_status
from tests.factories.sales import make_reservation
from tests.factories.tenants import BranchFactory, make_tenant


def _shop_with_a_reservation(slug, hours_ago):
    tenant = make_tenant(slug)
    with tenant_context(tenant):
        BranchFactory()
        reservation = make_reservation(now=timezone.now() - timedelta(hours=hours_ago))
    return tenant, reservation


def _status(tenant, reservation):
    with tenant_context(tenant):
        return Reservation.objects.get(pk=reservation.pk).status


def test_every_shop_with_a_hold_that_ended_has_it_expired(db, caplog):
    ended = [_shop_with_a_reservation(slug, 49) for slug in ("aurum", "luna")]
    running = _shop_with_a_reservation("sol", 1)

    with caplog.at_level(logging.INFO, "back_office.sales.tasks"):
        queued = release_expired_reservations.delay().get()

    assert queued == 2
    assert [_status(*pair) for pair in ended] == ["expired", "expired"]
    assert _status(*running) == "open"
    assert "reservations of aurum: 1 expired" in caplog.text
    assert "expiry queued for 2 shops" in caplog.text


def test_running_the_task_again_expires_nothing_more(db):
    tenant, reservation = _shop_with_a_reservation("aurum", 49)

    assert release_expired_reservations.delay().get() == 1
    assert release_expired_reservations.delay().get() == 0
    assert expire_shop_reservations.delay(tenant.pk).get() == 0
    with tenant_context(tenant):
        released = reservation.piece.movements.filter(kind="released").count()
    assert released == 1


def test_a_suspended_shops_reservations_wait_for_it_to_reopen(db):
    tenant, reservation = _shop_with_a_reservation("aurum", 49)
    set_status(tenant, Tenant.Status.SUSPENDED)

    assert release_expired_reservations.delay().get() == 0
    assert _status(tenant, reservation) == "open"


def test_the_expiry_is_scheduled_by_beat_every_five_minutes(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["release-expired-reservations"]

    assert schedule["task"] == "back_office.sales.tasks.release_expired_reservations"
    assert schedule["schedule"] == 5 * 60
