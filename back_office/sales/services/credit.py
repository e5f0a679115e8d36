"""Store credit: a ledger per customer (StoreCreditEntry), never a bare balance.

Every entry is written under a lock of the customer and carries the balance after
it; the database refuses a negative balance, so two counters spending the same
credit at once cannot both succeed."""

from decimal import Decimal

from back_office.inventory.pricing import format_money
from back_office.sales import queries
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import Customer, StoreCreditEntry


def locked_customer(customer: Customer) -> Customer:
    return Customer.objects.select_for_update().get(pk=customer.pk)


def record_credit(
    customer: Customer, amount: Decimal, *, user, note: str, **source
) -> StoreCreditEntry:
    """Give (+) or spend (-) `amount` of the customer's credit; `source` names the
    sale or the return (sale=…, sale_return=…). Call inside the transaction that
    does the rest; refuses to spend more than the balance."""
    locked = locked_customer(customer)
    balance = queries.store_credit(locked)
    if balance + amount < 0:
        raise SalesError(
            f"{locked} has {format_money(balance, locked.tenant.currency)} of store "
            "credit to spend.",
            SalesErrorCode.NOT_ENOUGH_CREDIT,
            "amount",
        )
    return StoreCreditEntry.objects.create(
        customer=locked,
        amount=amount,
        balance_after=balance + amount,
        note=note[:200],
        created_by=user,
        **source,
    )
