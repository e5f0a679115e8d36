"""The demo shops' trading history: DEMO_SALES_DAYS days of counter sales at each
branch, through the sales services as the counter makes them (pieces and quantity
items, a few discounts, trade-ins, split payments), a few returns and voids, and
every day but today closed with its Z report and a small variance. Repeatable: the
same shop gets the same history; a shop that has sales is left alone.

Pieces sold in the past are made for the history (the shop's current stock is what
the storefront shows); each day runs at its own time through the services' `now`.
As for the benchmark's shop (demo/bench.py), the history's rows are left out of
Wagtail's search and reference indexes: they would triple the seeding's time, and
sold pieces are in no search.
"""

import contextlib
import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.signal_handlers import disable_reference_index_auto_update

from back_office.inventory import services as inventory
from back_office.inventory.models import StockItem, StockLevel
from back_office.sales import queries, services
from back_office.sales.errors import SalesError
from back_office.sales.models import Customer, Sale
from back_office.tenancy.context import require_tenant
from back_office.tenants.models import Branch, Tenant
from demo.inventory import (
    ensure_categories,
    receive_piece,
    search_index_not_updated,
)

CUSTOMERS = [
    ("Maya Fernandes", "+1 555 0199", "maya@example.com"),
    ("Jonas Weber", "", "jonas@example.com"),
    ("Asha Rao", "+1 555 0142", ""),
    ("Lucas Martin", "+1 555 0177", "lucas@example.com"),
    ("Sofia Rossi", "", "sofia@example.com"),
    ("Daniel Cohen", "+1 555 0110", ""),
]
#: Serial numbers of the pieces made for the history (the shop's own start at 1).
HISTORY_NUMBERS = 5000


def _at(tenant: Tenant, day, hour: int, minute: int) -> datetime:
    """That time of `day` on the shop's clock."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tenant.timezone))


def _customers() -> list[Customer]:
    return [
        Customer.objects.get_or_create(
            name=name, defaults={"phone": phone, "email": email}
        )[0]
        for name, phone, email in CUSTOMERS
    ]


def _pay(sale, now, rng, user, *, card_share: float) -> None:
    """Pay what is due: by card, cash (rounded up, giving change) or both."""
    due = queries.settlement(sale, queries.price_sale(sale, now=now).total).remaining
    if not due:
        return
    if rng.random() < card_share:
        services.add_tender(sale, "card", due, user=user, reference=_slip(rng), now=now)
        return
    if rng.random() < 0.3 and due > 100:
        part = (due / 2).quantize(Decimal("1"))
        services.add_tender(
            sale, "card", part, user=user, reference=_slip(rng), now=now
        )
        due -= part
    cash = (due / 10).quantize(Decimal("1"), rounding="ROUND_UP") * 10
    services.add_tender(sale, "cash", cash, user=user, now=now)


def _slip(rng) -> str:
    return f"AUTH {rng.randrange(100000, 999999)}"


def _sale(tenant, branch, now, rng, users, customers, stock) -> Sale | None:
    user = rng.choice(users)
    sale = services.start_sale(branch=branch, user=user)
    Sale.objects.filter(pk=sale.pk).update(started_at=now - timedelta(minutes=7))
    if rng.random() < 0.75:
        number = HISTORY_NUMBERS + stock["made"]
        stock["made"] += 1
        piece = receive_piece(tenant, number, rng, stock["categories"], [branch])
        services.add_piece(sale, piece, user=user)
    items = [
        level.item
        for level in StockLevel.objects.filter(
            branch=branch, quantity__gte=2, item__kind=StockItem.Kind.GOODS
        ).select_related("item")
    ]
    if items and (rng.random() < 0.4 or not sale.lines.exists()):
        item = rng.choice(items)
        services.add_item(sale, item, 1, user=user)
    if not sale.lines.exists():
        services.discard_sale(sale, user=user)
        return None
    if rng.random() < 0.55:
        services.set_customer(sale, rng.choice(customers), user=user)
    if rng.random() < 0.12:
        services.set_sale_discount(
            sale, "percent", rng.choice([2, 3, 5]), user=user, now=now
        )
    if rng.random() < 0.15:
        _trade_in(sale, rng, user, now)
    sale.refresh_from_db()
    _pay(sale, now, rng, user, card_share=0.6)
    excess = "store_credit" if sale.customer_id else "cash"
    try:
        return services.complete_sale(
            sale,
            user=rng.choice(stock["managers"]) if excess == "cash" else user,
            excess_to=excess,
            now=now,
        )
    except SalesError:
        services.discard_sale(sale, user=user)
        return None


def _trade_in(sale, rng, user, now) -> None:
    metal, purity = rng.choice([("gold", "22K"), ("gold", "18K"), ("silver", "925")])
    # No rate that day for the metal: no trade-in.
    with contextlib.suppress(SalesError):
        services.add_trade_in(
            sale,
            user=user,
            metal=metal,
            purity=purity,
            tested_by=rng.choice(["xrf", "touchstone", "hallmark"]),
            gross_weight_g=Decimal(str(round(rng.uniform(2, 9), 3))),
            deduction_g=Decimal(str(round(rng.uniform(0, 0.4), 3))),
            melting_loss_percent=rng.choice([0, 1, 2]),
            description=rng.choice(["Old chain", "Broken earring", "Old ring"]),
            now=now,
        )


def seed_sales(tenant: Tenant) -> None:
    """Run inside tenant_context(tenant)."""
    if Sale.objects.exists():
        return
    rng = random.Random(f"{tenant.slug}-sales")
    User = get_user_model()
    users = list(User.objects.filter(memberships__tenant=tenant).order_by("pk"))
    managers = [u for u in users if u.memberships.filter(role__in=["owner", "manager"])]
    customers = _customers()
    stock = {"made": 1, "categories": ensure_categories(), "managers": managers}
    branches = list(Branch.objects.order_by("code"))
    today = queries.on_shop_clock(timezone.now(), require_tenant()).date()
    days = settings.DEMO_SALES_DAYS
    with search_index_not_updated(), disable_reference_index_auto_update():
        _history(tenant, days, today, branches, rng, users, managers, customers, stock)


def _history(tenant, days, today, branches, rng, users, managers, customers, stock):
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        for branch in branches:
            _trade(tenant, branch, day, rng, users, managers, customers, stock)
            if offset:
                _close(tenant, branch, day, rng, managers)


def _restock(branch) -> None:
    """A delivery of the quantity items the branch is short of."""
    for item in StockItem.objects.filter(kind=StockItem.Kind.GOODS):
        level = StockLevel.objects.filter(item=item, branch=branch).first()
        if level is None or level.quantity < item.low_stock_threshold:
            inventory.receive_stock(item, branch, 10, note="Weekly delivery")


def _trade(tenant, branch, day, rng, users, managers, customers, stock) -> None:
    opening = _at(tenant, day, 9, 30)
    if day.weekday() == 0:
        _restock(branch)
    if queries.open_day_of(branch) is None:
        services.open_day(
            branch, user=rng.choice(users), opening_float=200, now=opening
        )
    completed = []
    for n in range(rng.randint(1, 4)):
        now = _at(tenant, day, 10 + 2 * n, rng.randrange(0, 60))
        sale = _sale(tenant, branch, now, rng, users, customers, stock)
        if sale is not None:
            completed.append((sale, now))
    if completed and rng.random() < 0.06:
        sale, now = completed[-1]
        services.void_sale(
            sale,
            user=rng.choice(managers),
            reason="Rang up the wrong piece",
            now=now + timedelta(minutes=20),
        )
    elif rng.random() < 0.08:
        _return_one(branch, day, rng, managers, tenant)


def _return_one(branch, day, rng, managers, tenant) -> None:
    sale = (
        Sale.objects.filter(
            branch=branch,
            status=Sale.Status.COMPLETED,
            completed_at__lt=_at(tenant, day, 9, 0),
            completed_at__gte=_at(tenant, day, 9, 0) - timedelta(days=20),
        )
        .order_by("completed_at")
        .first()
    )
    if sale is None:
        return
    line = sale.lines.filter(returned_quantity=0).first()
    if line is None:
        return
    # Paid otherwise than by cash and no customer for credit: the sale is kept.
    with contextlib.suppress(SalesError):
        services.return_lines(
            sale,
            {line.pk: line.quantity},
            user=rng.choice(managers),
            refund_kind="store_credit" if sale.customer_id else "cash",
            reason=rng.choice(["Too small", "Changed their mind", "A gift returned"]),
            now=_at(tenant, day, 17, 0),
        )


def _close(tenant, branch, day, rng, managers) -> None:
    open_day = queries.open_day_of(branch)
    if open_day is None:
        return
    expected = queries.day_report(open_day).expected_cash
    variance = Decimal(rng.choice([0, 0, 0, 0, -1, 1, -2, 5, -5, -10]))
    services.close_day(
        open_day,
        user=rng.choice(managers),
        counted_total=max(expected + variance, Decimal(0)),
        now=_at(tenant, day, 19, 0),
    )
