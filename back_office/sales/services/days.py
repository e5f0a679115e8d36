"""The till's day at a branch: opened with a float, closed by the Z report with the
cash counted. Sales, returns and voids land on the branch's open day (one is
opened, with no float, when there is none); a closed day is frozen."""

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from back_office.inventory.pricing import format_money
from back_office.sales import queries
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import TillDay
from back_office.sales.services import checks
from back_office.tenancy.context import require_tenant
from back_office.tenants.models import Branch

Code = SalesErrorCode

#: Notes and coins a till is counted in, largest first, as the count form lists
#: them (any currency: the shop counts what it holds, the total is what counts).
DENOMINATIONS = (
    "10000", "5000", "2000", "1000", "500", "200", "100", "50", "20", "10", "5", "2",
    "1", "0.50", "0.25", "0.20", "0.10", "0.05", "0.02", "0.01",
)  # fmt: skip


def _business_date(now: datetime):
    return queries.on_shop_clock(now, require_tenant()).date()


def _new_day(branch: Branch, *, user, opening_float: Decimal, now) -> TillDay:
    try:
        with transaction.atomic():
            return TillDay.objects.create(
                branch=branch,
                business_date=_business_date(now),
                opening_float=opening_float,
                opened_at=now,
                opened_by=user,
            )
    except IntegrityError:  # another counter of the branch opened it just now
        raise SalesError(
            f"The day at {branch} is open already.", Code.DAY_OPEN
        ) from None


def current_day(branch: Branch, *, user, now: datetime | None = None) -> TillDay:
    """The branch's open day, locked; opened (with no float) if there is none.
    Call inside the transaction that records on it."""
    now = now or timezone.now()
    for _ in range(2):
        day = (
            TillDay.objects.select_for_update()
            .filter(branch=branch, status=TillDay.Status.OPEN)
            .first()
        )
        if day is not None:
            return day
        try:
            return _new_day(branch, user=user, opening_float=Decimal(0), now=now)
        except SalesError:
            continue  # opened by another counter: lock that one
    raise RuntimeError("No open day after two attempts.")


@transaction.atomic
def open_day(branch: Branch, *, user, opening_float, now=None) -> TillDay:
    """Open the branch's day with the cash in the till."""
    amount = checks.amount(opening_float, "opening_float", "float", positive=False)
    day = _new_day(branch, user=user, opening_float=amount, now=now or timezone.now())
    log(
        instance=day,
        action="sales.day_opened",
        user=user,
        data={"float": format_money(amount, require_tenant().currency)},
    )
    return day


@transaction.atomic
def set_opening_float(day: TillDay, opening_float, *, user) -> TillDay:
    """Correct the float of a day still open (one opened by its first sale);
    owners and managers only, as it moves the cash expected."""
    if not user.has_perm("sales.view_day"):
        raise SalesError(
            "Only a manager or the owner corrects the float.", Code.NOT_PERMITTED
        )
    amount = checks.amount(opening_float, "opening_float", "float", positive=False)
    locked = TillDay.objects.select_for_update().get(pk=day.pk)
    if not locked.is_open:
        raise SalesError(
            "This day is closed: it can no longer be changed.", Code.DAY_CLOSED
        )
    currency = require_tenant().currency
    log(
        instance=locked,
        action="sales.float_changed",
        user=user,
        data={
            "changes": {
                "float": [
                    format_money(locked.opening_float, currency),
                    format_money(amount, currency),
                ]
            }
        },
    )
    locked.opening_float = amount
    locked.save(update_fields=["opening_float"])
    return locked


def _counted(denominations: dict | None, total) -> tuple[Decimal, dict]:
    """The cash counted: by denomination (value -> how many) or as one total."""
    if denominations:
        counts = {}
        for value, count in denominations.items():
            if value not in DENOMINATIONS:
                raise SalesError(
                    f"{value} is not a note or a coin.", Code.BAD_AMOUNT, "counted"
                )
            number = checks.decimal(count or 0, "counted", "count")
            if number < 0 or number != number.to_integral_value() or number > 10**6:
                raise SalesError(
                    f"Count the {value}s in whole numbers.", Code.BAD_AMOUNT, "counted"
                )
            if number:
                counts[value] = int(number)
        cash = sum((Decimal(v) * n for v, n in counts.items()), Decimal(0))
        return checks.amount(cash, "counted", "cash counted", positive=False), counts
    return checks.amount(total, "counted", "cash counted", positive=False), {}


@transaction.atomic
def close_day(
    day: TillDay, *, user, counted_total=None, denominations=None, now=None
) -> TillDay:
    """The Z report: count the cash, freeze the day's figures with what was
    expected and the variance. Nothing is recorded on the day after this; later
    corrections land on the next day."""
    if not user.has_perm("sales.close_day"):
        raise SalesError(
            "Your role in this shop may not close the day.", Code.NOT_PERMITTED
        )
    locked = TillDay.objects.select_for_update().get(pk=day.pk)
    if not locked.is_open:
        raise SalesError("This day is closed already.", Code.DAY_CLOSED)
    cash, counts = _counted(denominations, counted_total)
    report = queries.day_report(locked)
    locked.status = TillDay.Status.CLOSED
    locked.closed_at = now or timezone.now()
    locked.closed_by = user
    locked.counted_cash = cash
    locked.counted_denominations = counts
    locked.expected_cash = report.expected_cash
    locked.variance = cash - report.expected_cash
    locked.report = report.as_dict()
    locked.save()
    currency = require_tenant().currency
    log(
        instance=locked,
        action="sales.day_closed",
        user=user,
        data={
            "expected": format_money(locked.expected_cash, currency),
            "counted": format_money(cash, currency),
            "variance": format_money(locked.variance, currency),
        },
    )
    return locked
