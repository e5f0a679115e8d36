"""How long completing a sale takes: a 3-line sale (two pieces priced from today's
rate and a quantity item) paid by a split tender (card and cash, with change),
completed through the service, and through the counter's HTTP endpoint (the
full Django request: middleware, session, the shop's transaction, the view, its
redirect; in-process WSGI, no socket). Prints the median, p95 and mean of each.

A fresh database is made for the run (as the test suite makes one: migrated as
the owner role, then used as the application role, so row-level security applies
as in production) and dropped at the end. Every sale completed is a real one: it
takes the shop's next number, freezes its lines and moves the stock.

    .venv/bin/python bench/sale.py            (make bench-sale)
    KARAT_BENCH_SALES=500 .venv/bin/python bench/sale.py

Target (issue 13): median under 20 ms for the service call on this machine.
"""

import os
import secrets
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from back_office.inventory import services as inventory  # noqa: E402
from back_office.inventory.models import Category, Piece, StockItem  # noqa: E402
from back_office.sales import queries, services  # noqa: E402
from back_office.sales.models import Sale  # noqa: E402
from back_office.tenancy.context import tenant_context  # noqa: E402
from back_office.tenants import services as shops  # noqa: E402
from back_office.tenants.models import Membership  # noqa: E402

ROUNDS = int(os.environ.get("KARAT_BENCH_SALES", "200"))
WARM_UP = 10
TARGET_MS = 20


def stock_a_shop(pieces: int):
    tenant = shops.create_tenant(
        name="Bench Sales", slug="bench-sales", hostname="bench-sales.localhost",
        owner_email="owner@bench-sales.test", owner_password=secrets.token_urlsafe(),
        tax_rate=Decimal("3.00"),
    ).tenant  # fmt: skip
    membership, _ = shops.add_member(
        tenant,
        "clerk@bench-sales.test",
        Membership.Role.SALES,
        password=secrets.token_urlsafe(),
    )
    with tenant_context(tenant):
        branch = shops.add_branch(tenant, name="Main", code="MAIN", address="")
        inventory.record_rate(
            "gold",
            Decimal("80.0000"),
            timezone.now() - timezone.timedelta(hours=1),
            "x",
        )
        rings = Category.objects.create(name="Rings", slug="rings")
        for n in range(pieces):
            inventory.receive_piece(
                Piece(
                    sku=f"B{n:05d}", title="Band", category=rings, metal="gold",
                    fineness=916, net_weight_g=Decimal("4.800"),
                    gross_weight_g=Decimal("5.000"), branch=branch,
                    making_charge=Decimal("10"),
                )
            )  # fmt: skip
        chain = StockItem.objects.create(
            sku="SC-45", title="Chain", category=rings, unit="piece",
            unit_price=Decimal("39.00"),
        )  # fmt: skip
        inventory.receive_stock(chain, branch, pieces)
    return tenant, membership.user, branch


def prepare(tenant, user, branch, first: int, count: int):
    """`count` sales of 3 lines each, paid by card and cash (with change)."""
    ready = []
    with tenant_context(tenant):
        for n in range(first, first + count):
            sale = services.start_sale(branch=branch, user=user)
            services.add_code(sale, f"B{2 * n:05d}", user=user)
            services.add_code(sale, f"B{2 * n + 1:05d}", user=user)
            services.add_code(sale, "SC-45", user=user)
            total = queries.price_sale(sale).total
            services.add_tender(sale, "card", total - 100, user=user, reference="A1")
            services.add_tender(sale, "cash", Decimal(120), user=user)
            ready.append((sale, total))
    return ready


def analyze(owner: str) -> None:
    """The planner's statistics, as autovacuum keeps them in production (it may be
    off on a test machine), taken as the owner role."""
    app_role = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = owner
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    connection.settings_dict["USER"] = app_role


def summary(name: str, seconds: list[float]) -> float:
    ms = sorted(s * 1000 for s in seconds)
    median = statistics.median(ms)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    print(
        f"{name:<22} n={len(ms):<5} median {median:7.2f} ms   p95 {p95:7.2f} ms   "
        f"mean {statistics.fmean(ms):7.2f} ms"
    )
    return median


def run(owner: str) -> int:
    per_kind = ROUNDS + WARM_UP
    print(f"setting up: a shop with {4 * per_kind + 2} pieces", file=sys.stderr)
    tenant, user, branch = stock_a_shop(4 * per_kind + 2)
    analyze(owner)

    service_times = []
    profile = None
    if os.environ.get("KARAT_BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
    for sale, total in prepare(tenant, user, branch, 0, per_kind):
        start = time.perf_counter()
        if profile:
            profile.enable()
        with tenant_context(tenant):
            services.complete_sale(sale, user=user, expected_total=total)
        if profile:
            profile.disable()
        service_times.append(time.perf_counter() - start)
    if profile:
        profile.dump_stats(os.environ["KARAT_BENCH_PROFILE"])
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    http_times = []
    for sale, total in prepare(tenant, user, branch, per_kind, per_kind):
        url = reverse("counter:action", args=[sale.pk, "complete"])
        start = time.perf_counter()
        response = client.post(url, {"expected_total": str(total)})
        http_times.append(time.perf_counter() - start)
        if response.status_code != 302:
            print(f"HTTP completion answered {response.status_code}", file=sys.stderr)
            return 1

    with tenant_context(tenant):
        numbers = list(
            Sale.objects.exclude(number=None)
            .order_by("number")
            .values_list("number", flat=True)
        )
    if numbers != list(range(1, 2 * per_kind + 1)):
        print("sale numbers with a gap or a duplicate", file=sys.stderr)
        return 1

    if os.environ.get("KARAT_BENCH_QUERIES"):
        from django.test.utils import CaptureQueriesContext

        sale, total = prepare(tenant, user, branch, 2 * per_kind, 1)[0]
        with CaptureQueriesContext(connection) as captured, tenant_context(tenant):
            services.complete_sale(sale, user=user, expected_total=total)
        for query in captured.captured_queries:
            print(query["time"], query["sql"][:130], file=sys.stderr)

    role = connection.settings_dict["USER"]
    print(
        f"\nCompleting a 3-line sale with a split tender (card + cash); {ROUNDS} "
        f"timed after {WARM_UP} warm-up, PostgreSQL as {role}"
    )
    median = summary("service call", service_times[WARM_UP:])
    summary("HTTP (in-process)", http_times[WARM_UP:])
    verdict = "ok  " if median < TARGET_MS else "MISS"
    print(f"\n  {verdict} service median < {TARGET_MS} ms ({median:.2f} ms)")
    return 0


def main() -> int:
    setup_test_environment()
    creation = connection.creation
    connection.settings_dict["TEST"]["NAME"] = f"karat_bench_sale_{os.getpid()}"
    name = creation.create_test_db(verbosity=0, autoclobber=True)
    owner = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = settings.DATABASE_APP_ROLE
    try:
        return run(owner)
    finally:
        connection.close()
        connection.settings_dict["USER"] = owner
        creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
