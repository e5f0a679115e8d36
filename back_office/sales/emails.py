"""The emails reservations send: to the customer (when an email was given) and to
the shop (its owners and managers).

Each email is written inside the service's transaction, as the shop (its rows are
visible only there), from a template under templates/sales/email/ whose first line
is the subject; it is sent once that transaction commits, so a refused or
rolled-back operation sends nothing. A mail server that fails is logged and does
not undo the reservation.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from back_office.sales import queries
from back_office.sales.models import Reservation
from back_office.tenancy.context import require_tenant
from back_office.tenants.models import Membership
from back_office.tenants.queries import staff_emails

logger = logging.getLogger(__name__)

#: Who hears of the shop's reservations.
NOTIFIED_ROLES = (Membership.Role.OWNER, Membership.Role.MANAGER)


@dataclass(frozen=True)
class Email:
    subject: str
    body: str
    to: tuple[str, ...]
    reply_to: tuple[str, ...] = ()


def _render(template: str, context: dict, to: Iterable[str], reply_to=()) -> list:
    """[the email], or [] with no one to send it to."""
    to = tuple(address for address in to if address)
    if not to:
        return []
    text = render_to_string(f"sales/email/{template}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return [
        Email(
            subject=" ".join(subject.split()),
            body=body.strip() + "\n",
            to=to,
            reply_to=tuple(address for address in reply_to if address),
        )
    ]


def admin_url(reservation: Reservation) -> str:
    path = reverse("reservations:inspect", args=[reservation.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _context(reservation: Reservation) -> dict:
    return {
        "shop": require_tenant(),
        "reservation": reservation,
        "piece": reservation.piece,
        "branch": reservation.branch,
        "hold": queries.describe_hold(reservation),
        "held_price": queries.held_price(reservation),
        "hold_end": queries.hold_end(reservation),
        "admin_url": admin_url(reservation),
    }


def _shop() -> list[str]:
    return staff_emails(*NOTIFIED_ROLES)


def reservation_made(reservation: Reservation) -> list[Email]:
    context = _context(reservation)
    return [
        *_render("reservation_made_customer", context, [reservation.email]),
        *_render(
            "reservation_made_shop", context, _shop(), reply_to=[reservation.email]
        ),
    ]


def reservation_extended(reservation: Reservation) -> list[Email]:
    context = _context(reservation)
    return _render("reservation_extended_customer", context, [reservation.email])


def reservation_cancelled(reservation: Reservation) -> list[Email]:
    context = _context(reservation)
    return _render("reservation_cancelled_customer", context, [reservation.email])


def reservations_expired(reservations: list[Reservation]) -> list[Email]:
    """One email to each customer, and one to the shop listing them all."""
    emails = []
    for reservation in reservations:
        emails += _render(
            "reservation_expired_customer", _context(reservation), [reservation.email]
        )
    if reservations:
        emails += _render(
            "reservations_expired_shop",
            {
                "shop": require_tenant(),
                "expired": [_context(reservation) for reservation in reservations],
            },
            _shop(),
        )
    return emails


def _send(emails: list[Email]) -> None:
    for email in emails:
        message = EmailMessage(
            email.subject, email.body, None, list(email.to), reply_to=email.reply_to
        )
        try:
            message.send()
        except OSError as error:  # smtplib's errors included
            logger.warning(
                "reservation email %r to %s not sent: %s",
                email.subject,
                ", ".join(email.to),
                error,
            )


def send_after_commit(emails: list[Email]) -> None:
    """Send `emails` once the current transaction commits (never if it does not)."""
    if emails:
        transaction.on_commit(partial(_send, list(emails)), robust=True)
