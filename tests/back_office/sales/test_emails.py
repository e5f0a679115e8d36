"""What the customer and the shop are told by email, on the shop's clock, and only
once the change is committed."""

import logging
import socket
from datetime import timedelta

import pytest

from back_office.sales import services
from back_office.sales.errors import SalesError
from back_office.sales.models import Reservation
from back_office.tenancy.context import tenant_context
from tests.back_office.sales.conftest import NOW
from tests.factories.tenants import make_member

HOUR = timedelta(hours=1)


@pytest.fixture
def staff(shop, manager):
    make_member(shop, "sales")  # sales staff are not sent the shop's emails
    return ["manager@sol.test", "owner@sol.test"]


def _reserve(shop, ring, branch, **fields):
    customer = {
        "customer_name": "Maria Silva",
        "phone": "+91 98200 12345",
        "email": "maria@example.test",
        "message": "Size 7 please.",
    }
    with tenant_context(shop):
        return services.reserve_piece(ring, branch=branch, now=NOW, **customer | fields)


def _to(outbox, address):
    return [email for email in outbox if address in email.to]


def test_the_customer_is_told_what_is_held_until_when_and_where(
    shop, branch, ring, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reservation = _reserve(shop, ring, branch)

    [email] = _to(mailoutbox, "maria@example.test")
    assert email.subject == f"Your reservation {reservation.reference} at Sol Jewellers"
    assert email.to == ["maria@example.test"]
    assert (
        "Lotus ring (SOL-0001) is reserved for you, held at USD 621.13 until "
        "Tuesday 1 Dec, 18:00." in email.body
    )
    assert (
        f"Collect it at Main Street, 12 MG Road, quoting your reservation number "
        f"{reservation.reference}." in email.body
    )
    assert "Size 7 please." in email.body


def test_the_shops_owners_and_managers_are_told_who_reserved_what(
    shop, branch, ring, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reservation = _reserve(shop, ring, branch)

    [email] = [e for e in mailoutbox if "maria@example.test" not in e.to]
    assert email.to == staff
    assert email.subject == (
        f"New reservation {reservation.reference}: SOL-0001 Lotus ring"
    )
    assert email.reply_to == ["maria@example.test"]
    for line in (
        "Maria Silva reserved SOL-0001 Lotus ring on the storefront, held at "
        "USD 621.13 until Tuesday 1 Dec, 18:00, for pickup at Main Street.",
        "Phone: +91 98200 12345",
        "Email: maria@example.test",
        "Size 7 please.",
        f"http://127.0.0.1:8000/admin/reservations/inspect/{reservation.pk}/",
    ):
        assert line in email.body


def test_a_customer_who_gave_only_a_phone_number_gets_no_email(
    shop, branch, ring, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _reserve(shop, ring, branch, email="")

    assert [email.to for email in mailoutbox] == [staff]
    assert "Email: -" in mailoutbox[0].body
    assert mailoutbox[0].reply_to == []


def test_no_email_goes_before_the_reservation_is_committed(
    shop, branch, ring, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _reserve(shop, ring, branch)
        assert mailoutbox == []

    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 2


def test_a_refused_reservation_sends_nothing(
    shop, branch, ring, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _reserve(shop, ring, branch)
        with pytest.raises(SalesError):
            _reserve(shop, ring, branch, email="second@example.test")

    assert len(mailoutbox) == 2  # the first reservation's
    assert _to(mailoutbox, "second@example.test") == []


def test_a_mail_server_that_fails_does_not_undo_the_reservation(
    shop, branch, ring, staff, settings, caplog, django_capture_on_commit_callbacks
):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # nothing listens there once closed
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        port,
        2,
    )

    with (
        caplog.at_level(logging.WARNING, "back_office.sales.emails"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reservation = _reserve(shop, ring, branch)

    with tenant_context(shop):
        assert Reservation.objects.get(pk=reservation.pk).status == "open"
    assert "not sent" in caplog.text


def test_extending_tells_the_customer_the_new_end(
    shop, branch, ring, manager, mailoutbox, django_capture_on_commit_callbacks
):
    reservation = _reserve(shop, ring, branch)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(shop):
        services.extend_reservation(reservation, hours=24, user=manager, now=NOW)

    [email] = mailoutbox
    assert email.to == ["maria@example.test"]
    assert email.subject == f"Your reservation {reservation.reference} is extended"
    assert "it is now held at USD 621.13 until Wednesday 2 Dec, 18:00." in email.body


def test_cancelling_tells_the_customer_without_the_shops_reason(
    shop, branch, ring, manager, mailoutbox, django_capture_on_commit_callbacks
):
    reservation = _reserve(shop, ring, branch)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(shop):
        services.cancel_reservation(reservation, user=manager, reason="Rude on phone")

    [email] = mailoutbox
    assert email.to == ["maria@example.test"]
    assert email.subject == f"Your reservation {reservation.reference} is cancelled"
    assert "Lotus ring (SOL-0001) is cancelled" in email.body
    assert "Rude" not in email.body


def test_an_expiry_tells_each_customer_and_the_shop_once(
    shop, branch, ring, staff, mailoutbox, django_capture_on_commit_callbacks
):
    reservation = _reserve(shop, ring, branch)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(shop):
        services.expire_reservations(now=NOW + 48 * HOUR)
        services.expire_reservations(now=NOW + 49 * HOUR)

    customer, shop_email = mailoutbox
    assert customer.to == ["maria@example.test"]
    assert customer.subject == f"Your reservation {reservation.reference} has ended"
    assert (
        "The hold on Lotus ring (SOL-0001) ended on Tuesday 1 Dec, 18:00, and the "
        "piece is back on sale." in customer.body
    )
    assert shop_email.to == staff
    assert shop_email.subject == "1 reservation expired: back on sale"
    assert (
        f"{reservation.reference}: SOL-0001 Lotus ring, for Maria Silva, held until "
        "Tuesday 1 Dec, 18:00" in shop_email.body
    )
