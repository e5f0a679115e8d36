"""The sales screens around the counter: the listing and its export for a range of
dates, customers, the till's day opened with a float, the dashboard's takings, the
sales settings; each role what it may do."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse

from back_office.sales import services
from back_office.sales.models import Customer, SalesPolicy, TillDay
from back_office.tenancy.context import tenant_context
from tests.back_office.sales.conftest import text_of
from tests.factories.sales import sell
from tests.factories.tenants import owner_of, shop_history

get_resolver().url_patterns  # noqa: B018 - loading the admin registers the ViewSets


def _downloaded(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.fixture
def clerk(client, clerk_user):
    client.force_login(clerk_user)
    return client


@pytest.fixture
def owner(owner_client):
    return owner_client


def test_the_sales_listing_exports_the_dates_chosen_as_csv(
    owner, shop, ring, clerk_user
):
    from back_office.sales.queries import on_shop_clock

    with tenant_context(shop):
        sale = sell(ring, user=clerk_user)
    day = f"{on_shop_clock(sale.completed_at, shop):%Y-%m-%d}"  # the shop's date

    chosen = owner.get(
        reverse("sales:index"),
        {"completed_from": day, "completed_to": day, "export": "csv"},
    )
    other_days = owner.get(
        reverse("sales:index"),
        {"completed_from": "2020-01-01", "completed_to": "2020-01-02", "export": "csv"},
    )

    rows = list(csv.DictReader(io.StringIO(_downloaded(chosen))))
    assert [(r["Sale"], r["Total"], r["Status"]) for r in rows] == [
        ("1", "621.13", "Completed")
    ]
    assert list(csv.DictReader(io.StringIO(_downloaded(other_days)))) == []
    assert "tenancy.export" in [action for action, *_ in shop_history(shop)]


def test_the_sales_listing_exports_excel(owner, shop, ring, clerk_user):
    with tenant_context(shop):
        sell(ring, user=clerk_user)

    response = owner.get(reverse("sales:index"), {"export": "xlsx"})

    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a zip, as XLSX


def test_a_sale_in_progress_is_not_in_the_listing(clerk, shop, ring, clerk_user):
    from tests.factories.sales import sale_with

    with tenant_context(shop):
        sale_with(ring, user=clerk_user)

    assert "SOL-0001" not in text_of(clerk.get(reverse("sales:index")))


def test_a_customer_is_added_and_changed_through_the_service(clerk, shop):
    added = clerk.post(
        reverse("customers:add"),
        {"name": "  Asha   Rao ", "phone": "+1 555 0142", "email": "", "notes": ""},
    )
    with tenant_context(shop):
        customer = Customer.objects.get()
    refused = clerk.post(
        reverse("customers:edit", args=[customer.pk]),
        {"name": "Asha Rao", "phone": "call me", "email": "", "notes": ""},
    )

    assert added.status_code == 302
    assert customer.name == "Asha Rao"
    assert "Please check the phone number" in refused.content.decode()
    with tenant_context(shop):
        customer.refresh_from_db()
    assert customer.phone == "+1 555 0142"


def test_a_customers_sheet_shows_purchases_and_credit(owner, shop, ring, clerk_user):
    with tenant_context(shop):
        customer = services.add_customer(user=clerk_user, name="Asha Rao")
        sell(ring, user=clerk_user)
        from back_office.sales.models import Sale

        sale = Sale.objects.get()
        Sale.objects.filter(pk=sale.pk).update(customer=customer)
        services.return_lines(
            sale,
            {sale.lines.get().pk: 1},
            user=owner_of(shop),
            refund_kind="store_credit",
            reason="Too small",
        )

    sheet = text_of(owner.get(reverse("customers:inspect", args=[customer.pk])))

    assert "Store credit USD 621.13" in sheet
    assert "1-R1" in sheet
    assert "SOL-0001" in sheet


def test_staff_open_the_day_with_a_float_and_the_owner_corrects_it(clerk, shop, branch):
    opened = clerk.post(
        reverse("till:open", args=[branch.pk]), {"opening_float": "150.00"}
    )
    with tenant_context(shop):
        day = TillDay.objects.get()
    again = clerk.post(reverse("till:open", args=[branch.pk]), {"opening_float": "1"})
    clerk.force_login(owner_of(shop))  # the owner takes the screen
    corrected = clerk.post(
        reverse("till:float", args=[day.pk]), {"opening_float": "175.50"}
    )

    assert opened["Location"] == reverse("till:inspect", args=[day.pk])
    assert "is open already" in again.content.decode()
    assert corrected.status_code == 302
    with tenant_context(shop):
        day.refresh_from_db()
        assert TillDay.objects.count() == 1
    assert day.opening_float == Decimal("175.50")


def test_sales_staff_do_not_see_the_days_variances(clerk, shop, branch):
    from tests.factories.tenants import StaffClient

    owner = StaffClient()
    owner.force_login(owner_of(shop))
    with tenant_context(shop):
        day = services.open_day(branch, user=owner_of(shop), opening_float="0")
        services.close_day(day, user=owner_of(shop), counted_total="4.00")

    listing = text_of(clerk.get(reverse("till:index")))

    assert "Variance" not in listing
    assert "Variance" in text_of(owner.get(reverse("till:index")))


def test_the_dashboard_shows_todays_takings(owner, shop, ring, clerk_user):
    with tenant_context(shop):
        sell(ring, user=clerk_user)

    page = text_of(owner.get("/admin/"))

    assert "Today: 1 sale, USD 621.13" in page


def test_the_owner_sets_the_sales_policy(owner, shop):
    response = owner.post(
        reverse("sales_policy:edit"),
        {
            "reservation_hold_hours": "24",
            "discount_basis": "making",
            "discount_cap_percent": "7.5",
            "trade_in_margin_percent": "4",
            "trade_in_leeway_percent": "1",
            "cash_payout_cap": "250",
            "return_window_days": "14",
        },
    )

    assert response["Location"] == reverse("sales_policy:edit")
    with tenant_context(shop):
        policy = SalesPolicy.objects.get()
    assert (policy.discount_basis, policy.discount_cap_percent) == (
        "making",
        Decimal("7.50"),
    )
    assert policy.return_window_days == 14


def test_sales_staff_cannot_set_a_price_at_the_counter(
    clerk, shop, branch, ring, clerk_user
):
    from tests.factories.sales import sale_with

    with tenant_context(shop):
        sale = sale_with(ring, user=clerk_user)
        line = sale.lines.get()

    screen = clerk.get(reverse("counter:sale", args=[sale.pk])).content.decode()
    response = clerk.post(
        reverse("counter:action", args=[sale.pk, "price"]),
        {"line": line.pk, "price": "1.00"},
    )

    assert "Set the price" not in screen
    assert "Only a manager or the owner may change a price" in response.content.decode()
    with tenant_context(shop):
        line.refresh_from_db()
    assert line.price_override is None
