"""The shop's sales policy: how long reservations are held, the discount staff may
give, the trade-in buy rate and its limits, the cash payout cap, the return
window."""

from django.core.exceptions import ValidationError
from django.db import transaction

from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import SalesPolicy
from back_office.tenancy.services import record_changes

#: The policy's settings, as the shop's history names them.
SETTINGS = {
    "reservation_hold_hours": "reservation hold (hours)",
    "discount_basis": "percentage discounts taken from",
    "discount_cap_percent": "sales staff discount cap (%)",
    "trade_in_margin_percent": "trade-in margin (%)",
    "trade_in_leeway_percent": "sales staff buy rate leeway (%)",
    "cash_payout_cap": "cash payout cap",
    "return_window_days": "return window (days)",
}


def _as_text(policy: SalesPolicy) -> dict[str, str]:
    return {label: str(getattr(policy, name)) for name, label in SETTINGS.items()}


@transaction.atomic
def update_sales_policy(*, user, **changes) -> SalesPolicy:
    """Change the shop's policy (only the settings named); what changed goes into
    the shop's history. Reservations made already keep their hold. Refused
    (SalesError, naming the field) with a value out of its range."""
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise ValueError(f"Not settings of the sales policy: {sorted(unknown)}")
    policy, _ = SalesPolicy.objects.get_or_create()
    policy = SalesPolicy.objects.select_for_update().get(pk=policy.pk)
    before = _as_text(policy)
    for name, value in changes.items():
        setattr(policy, name, value)
    try:
        policy.full_clean(exclude=["tenant"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise SalesError(
            f"{SETTINGS.get(field, field).capitalize()}: {messages[0]}",
            SalesErrorCode.INVALID,
            field,
        ) from None
    policy.save()
    record_changes(policy, "sales.policy_changed", before, _as_text(policy), user)
    return policy
