"""The shop's customers: added at the counter (or from a reservation), their
details kept up to date."""

from django.db import transaction
from wagtail.log_actions import log

from back_office.sales.models import Customer
from back_office.sales.services import checks


def _details(name, phone, email, notes) -> dict:
    return {
        "name": checks.name(name, "name"),
        "phone": checks.phone(phone),
        "email": checks.email(email),
        "notes": checks.text(notes, "notes", "notes"),
    }


@transaction.atomic
def add_customer(*, user, name: str, phone="", email="", notes="") -> Customer:
    """A new customer; a name is enough (a walk-in buying old gold gives one)."""
    customer = Customer.objects.create(**_details(name, phone, email, notes))
    log(instance=customer, action="wagtail.create", user=user)
    return customer


@transaction.atomic
def change_customer(
    customer: Customer, *, user, name: str, phone="", email="", notes=""
) -> Customer:
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    for field, value in _details(name, phone, email, notes).items():
        setattr(locked, field, value)
    locked.save()
    log(instance=locked, action="wagtail.edit", user=user)
    return locked
