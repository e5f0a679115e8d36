"""The counter in the admin: a sale from the first scan to its receipt, as the
assistant's browser posts it; refusals shown on the screen with nothing written;
each role what it may do; another shop's sales, lines and customers not found."""

from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse

from back_office.inventory.models import Piece
from back_office.sales import services
from back_office.sales.models import Customer, Sale, TillDay
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.back_office.sales.conftest import RING_TOTAL, text_of
from tests.factories.sales import sale_with, sell
from tests.factories.tenants import make_member, make_tenant

get_resolver().url_patterns  # noqa: B018 - loading the admin registers the ViewSets
HOME = reverse("counter:home")


def action(sale, name):
    return reverse("counter:action", args=[sale.pk, name])


@pytest.fixture
def clerk(client, clerk_user):
    client.force_login(clerk_user)
    return client


@pytest.fixture
def owner(owner_client):
    return owner_client


def start(client, branch) -> Sale:
    response = client.post(HOME, {"branch": branch.pk})
    sale = Sale.objects.for_tenant(branch.tenant).latest("pk")
    assert response["Location"] == reverse("counter:sale", args=[sale.pk])
    return sale


def test_a_sale_from_the_scan_to_the_receipt(clerk, shop, branch, ring):
    with tenant_context(shop):
        sale = start(clerk, branch)
    scanned = clerk.post(action(sale, "scan"), {"code": "sol-0001"})
    screen = clerk.get(scanned["Location"])
    paid = clerk.post(
        action(sale, "tender"),
        {"kind": "card", "amount": "621.13", "reference": "AUTH 4411"},
    )
    done = clerk.post(action(sale, "complete"), {"expected_total": "621.13"})

    assert "Metal: 5.000 g × USD 80.00/g × 916‰ USD 366.40" in text_of(screen)
    assert "Total USD 621.13" in text_of(screen)
    assert paid.status_code == 302
    assert done["Location"] == reverse("sales:inspect", args=[sale.pk])
    sheet = text_of(clerk.get(done["Location"]))
    receipt = clerk.get(reverse("sales:receipt", args=[sale.pk])).content.decode()
    assert "Sale 1" in sheet
    assert "AUTH 4411" in receipt
    assert "Sol Jewellers" in receipt
    assert "22K / 916‰" in receipt
    assert "/receipt/" in receipt
    assert "<svg" in receipt


def test_a_get_of_the_counter_writes_nothing(clerk, shop, branch):
    response = clerk.get(HOME)

    assert response.status_code == 200
    with tenant_context(shop):
        assert not Sale.objects.exists()


def test_an_unknown_code_searches_the_words_typed(clerk, shop, branch, ring):
    with tenant_context(shop):
        sale = start(clerk, branch)

    response = clerk.post(action(sale, "scan"), {"code": "lotus"})
    found = clerk.get(response["Location"])

    assert response["Location"].endswith("?find=lotus")
    assert "SOL-0001 Lotus ring" in text_of(found)


def test_a_refusal_is_shown_on_the_screen_and_writes_nothing(clerk, shop, branch, ring):
    with tenant_context(shop):
        sale = start(clerk, branch)
    clerk.post(action(sale, "scan"), {"code": "SOL-0001"})

    response = clerk.post(
        action(sale, "tender"), {"kind": "card", "amount": "900", "reference": "A1"}
    )

    assert response.status_code == 200
    assert "Only USD 621.13 is still due" in text_of(response)
    with tenant_context(shop):
        assert not sale.tenders.exists()


def test_completing_short_of_payment_is_refused_on_the_screen(
    clerk, shop, branch, ring
):
    with tenant_context(shop):
        sale = start(clerk, branch)
    clerk.post(action(sale, "scan"), {"code": "SOL-0001"})

    response = clerk.post(action(sale, "complete"), {"expected_total": "621.13"})

    assert "USD 621.13 is still to pay" in text_of(response)
    with tenant_context(shop):
        sale.refresh_from_db()
        assert sale.number is None


def test_a_manager_approves_a_discount_with_their_own_password(
    clerk, shop, branch, ring, manager
):
    from tests.factories.tenants import PASSWORD, authenticator_of, fresh_code

    with tenant_context(shop):
        sale = start(clerk, branch)
    clerk.post(action(sale, "scan"), {"code": "SOL-0001"})
    asked = {"kind": "percent", "value": "10"}

    refused = clerk.post(action(sale, "discount"), asked)
    wrong = clerk.post(
        action(sale, "discount"),
        {**asked, "manager_email": manager.email, "manager_password": "nope"},
    )
    device = authenticator_of(manager)
    approved = clerk.post(
        action(sale, "discount"),
        {
            **asked,
            "manager_email": manager.email,
            "manager_password": PASSWORD,
            "manager_code": fresh_code(device),
        },
    )

    assert "a manager approves it" in text_of(refused)
    assert "email or password is wrong" in text_of(wrong)
    assert approved.status_code == 302
    with tenant_context(shop):
        sale.refresh_from_db()
    assert (sale.discount_value, sale.discount_approved_by) == (Decimal(10), manager)


def test_a_sale_is_parked_and_resumed_from_the_counter_home(clerk, shop, branch, ring):
    with tenant_context(shop):
        sale = start(clerk, branch)
    clerk.post(action(sale, "scan"), {"code": "SOL-0001"})

    parked = clerk.post(action(sale, "park"))
    listed = text_of(clerk.get(HOME))
    resumed = clerk.post(action(sale, "resume"))

    assert parked["Location"] == HOME
    assert "Main Street — " in listed  # parked there, no customer yet
    assert resumed["Location"] == reverse("counter:sale", args=[sale.pk])


def test_a_trade_in_worth_more_than_the_sale_is_given_as_credit(
    clerk, shop, branch, ring
):
    with tenant_context(shop):
        sale = start(clerk, branch)
    clerk.post(action(sale, "scan"), {"code": "SOL-0001"})
    clerk.post(action(sale, "new-customer"), {"name": "Asha Rao", "phone": ""})
    clerk.post(
        action(sale, "trade-in"),
        {
            "metal": "gold",
            "purity": "22K",
            "tested_by": "xrf",
            "gross_weight_g": "10",
            "deduction_g": "0",
            "melting_loss_percent": "0",
        },
    )
    screen = text_of(clerk.get(reverse("counter:sale", args=[sale.pk])))
    done = clerk.post(
        action(sale, "complete"),
        {"expected_total": "621.13", "excess_to": "store_credit"},
    )

    assert "worth USD 89.69 more than the sale" in screen
    assert done.status_code == 302
    with tenant_context(shop):
        customer = Customer.objects.get()
        assert customer.credit_entries.get().balance_after == Decimal("89.69")


def test_a_manager_voids_a_sale_from_its_sheet(owner, shop, branch, ring, clerk_user):
    with tenant_context(shop):
        sale = sell(ring, user=clerk_user)

    response = owner.post(
        reverse("sales:void", args=[sale.pk]), {"reason": "Wrong ring"}
    )

    assert response["Location"] == reverse("sales:inspect", args=[sale.pk])
    with tenant_context(shop):
        ring.refresh_from_db()
    assert ring.status == Piece.Status.IN_STOCK


def test_sales_staff_have_no_void_and_no_return(clerk, shop, branch, ring, clerk_user):
    with tenant_context(shop):
        sale = sell(ring, user=clerk_user)

    sheet = clerk.get(reverse("sales:inspect", args=[sale.pk])).content.decode()
    void = clerk.post(reverse("sales:void", args=[sale.pk]), {"reason": "x"})

    assert reverse("sales:void", args=[sale.pk]) not in sheet
    assert void["Location"] == "/admin/"
    with tenant_context(shop):
        sale.refresh_from_db()
    assert sale.status == Sale.Status.COMPLETED


def test_a_return_is_taken_from_the_sheet(owner, shop, branch, ring, clerk_user):
    with tenant_context(shop):
        sale = sell(ring, user=clerk_user)
        line = sale.lines.get()

    response = owner.post(
        reverse("sales:return", args=[sale.pk]),
        {
            f"line_{line.pk}": "1",
            "refund_kind": "card",
            "refund_reference": "RF 1",
            "reason": "Too small",
        },
    )

    assert response["Location"] == reverse("sales:inspect", args=[sale.pk])
    assert "1-R1" in text_of(owner.get(response["Location"]))


def test_the_day_is_closed_with_the_cash_counted(clerk, shop, branch, ring, clerk_user):
    with tenant_context(shop):
        services.open_day(branch, user=clerk_user, opening_float="50")
        sale = sale_with(ring, user=clerk_user)
        services.add_tender(sale, "cash", "700", user=clerk_user)
        services.complete_sale(sale, user=clerk_user)
        day = TillDay.objects.get()

    x_report = text_of(clerk.get(reverse("till:inspect", args=[day.pk])))
    closed = clerk.post(
        reverse("till:close", args=[day.pk]), {"count_500": "1", "count_100": "1"}
    )

    assert "Sales 1: USD 621.13" in x_report
    assert "Cash expected" not in x_report  # staff count blind
    assert closed["Location"] == reverse("till:inspect", args=[day.pk])
    with tenant_context(shop):
        day.refresh_from_db()
    assert (day.counted_cash, day.variance) == (Decimal("600.00"), Decimal("-71.13"))
    # The variance is for owners and managers.
    assert "Variance" not in text_of(clerk.get(reverse("till:inspect", args=[day.pk])))


def test_the_storefront_checks_a_receipt_by_its_qr_code(
    client, shop, branch, ring, clerk_user
):
    from back_office.sales import queries

    with tenant_context(shop):
        sale = sell(ring, user=clerk_user)
        url = queries.receipt_check_url(sale)
    path = url.split("sol.localhost", 1)[1]

    page = client.get(path, HTTP_HOST="sol.localhost")
    forged = client.get(path[:-5] + "xxxx/", HTTP_HOST="sol.localhost")

    assert page.status_code == 200
    content = page.content.decode()
    assert "Receipt 1" in content
    assert "USD 621.13" in content
    assert "Lotus" not in content  # nothing but the number, date and total
    assert forged.status_code == 404


def test_a_receipt_reprinted_later_carries_the_same_qr_code(
    shop, ring, clerk_user, monkeypatch
):
    import time

    from back_office.sales import queries

    with tenant_context(shop):
        sale = sell(ring, user=clerk_user)
        printed = queries.receipt_check_url(sale)
        monkeypatch.setattr(time, "time", lambda: 4_000_000_000.0)  # years later
        reprinted = queries.receipt_check_url(sale)

    assert reprinted == printed


def test_another_shops_receipt_token_is_not_found_on_this_shop(
    client, shop, ring, clerk_user
):
    from back_office.sales import queries

    other = make_tenant("luna")
    with tenant_context(shop):
        sale = sell(ring, user=clerk_user)
        path = queries.receipt_check_url(sale).split("sol.localhost", 1)[1]

    response = client.get(path, HTTP_HOST="luna.localhost")

    assert response.status_code == 404
    assert other.pk != shop.pk


def test_another_shops_sale_lines_and_customers_are_not_found(
    client, shop, branch, ring, clerk_user
):
    luna = make_tenant("luna")
    with tenant_context(shop):
        ours = sale_with(ring, user=clerk_user)
        line = ours.lines.get()
        customer = services.add_customer(user=clerk_user, name="Asha Rao")
    stranger = make_member(luna, Membership.Role.OWNER, "owner2@luna.test")
    client.force_login(stranger)
    with tenant_context(luna):
        from tests.factories.tenants import BranchFactory

        theirs = services.start_sale(branch=BranchFactory(), user=stranger)

    attempts = [
        client.get(reverse("counter:sale", args=[ours.pk])),
        client.post(action(ours, "scan"), {"code": "SOL-0001"}),
        client.post(action(theirs, "remove-line"), {"line": line.pk}),
        client.post(action(theirs, "customer"), {"customer": customer.pk}),
        client.get(reverse("customers:inspect", args=[customer.pk])),
    ]

    assert [r.status_code for r in attempts] == [404, 404, 200, 200, 404]
    with tenant_context(shop):
        assert ours.lines.count() == 1
    with tenant_context(luna):
        theirs.refresh_from_db()
        assert theirs.customer_id is None
    assert RING_TOTAL  # the worked example stands


def test_a_receipt_reprinted_after_the_rate_changed_shows_the_frozen_figures(
    clerk, shop, branch, ring, clerk_user, gold_rate
):
    from back_office.inventory import services as inventory

    with tenant_context(shop):
        sale = sell(ring, user=clerk_user)
    before = clerk.get(reverse("sales:receipt", args=[sale.pk])).content.decode()
    with tenant_context(shop):
        inventory.record_rate("gold", Decimal("95.0000"), gold_rate.effective_at, "x")
    after = clerk.get(reverse("sales:receipt", args=[sale.pk])).content.decode()
    invoice = clerk.get(reverse("sales:invoice", args=[sale.pk])).content.decode()

    assert after == before
    for printed in (after, invoice):
        assert "USD 80.00/g" in printed
        assert "USD 366.40" in printed
        assert "USD 621.13" in printed
        assert "USD 95.00" not in printed
