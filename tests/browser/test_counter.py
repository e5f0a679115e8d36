"""The counter in a real browser, as the assistant works it with the keyboard: scan
two SKUs (the scanner types and presses Enter), take old gold in, pay the rest by
card, complete, print the receipt; then the manager closes the day with the Z
report. Screenshots of the counter, the receipt and the report in artefacts/."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from back_office.inventory import services
from back_office.inventory.models import Piece
from back_office.sales.models import Sale, TillDay
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Tenant
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.factories.inventory import MetalRateFactory, PieceFactory, StockItemFactory
from tests.factories.tenants import BranchFactory, make_member, make_tenant

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def shop():
    """Gold at USD 80.00/g, 3 % tax. The ring: 22K, 5 g, 10 % making: 366.40 +
    36.64 = 403.04, +3 % = 415.13. The chain: USD 39.00 + 3 % = 40.17."""
    tenant = make_tenant("aurum", tax_rate=Decimal("3.00"))
    Tenant.objects.filter(pk=tenant.pk).update(tax_number="US 12-345")
    with tenant_context(tenant):
        main = BranchFactory(name="Main Street", address="12 Main Street")
        MetalRateFactory(
            metal="gold",
            rate_per_gram=Decimal("80.0000"),
            effective_at=timezone.now() - timedelta(hours=1),
        )
        PieceFactory(
            sku="AUR-0001",
            title="Lotus ring",
            branch=main,
            fineness=916,
            net_weight_g=Decimal("5.000"),
            hallmark="HUID7X2",
        )
        chain = StockItemFactory(sku="SC-45", unit_price=Decimal("39.00"))
        services.receive_stock(chain, main, 5)
    return tenant


def test_a_counter_sale_with_old_gold_a_card_and_the_day_closed(open_as, shop):
    clerk = make_member(shop, "sales")
    manager = make_member(shop, "manager")
    page = open_as(clerk)

    page.goto(reverse("counter:home"))
    page.get_by_role("button", name="Start a sale").click()
    scan = page.get_by_label("Scan or type a code")
    expect(scan).to_be_focused()
    for lines, code in enumerate(("aur-0001", "SC-45"), 1):  # a scanner: code, Enter
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        # The next page (the line on it), then its script (the focus back).
        expect(page.locator(".counter__line")).to_have_count(lines)
        expect(page.get_by_label("Scan or type a code")).to_be_focused()
    expect(page.locator("[data-counter-total]")).to_have_text("USD 455.30")

    page.get_by_text("Old gold trade-in").click()
    page.get_by_label("Purity", exact=True).fill("22K")
    page.get_by_label("Gross weight (g)").fill("2.100")
    page.get_by_label("Stones and dirt (g)").fill("0.100")
    page.get_by_role("button", name="Take the old metal").click()
    # 2 g x 0.916 x 77.60 (80.00 less 3 %) = 142.16; 455.30 - 142.16 = 313.14
    expect(page.locator("[data-counter-due]")).to_contain_text("USD 313.14")
    expect(page.get_by_label("Scan or type a code")).to_be_focused()  # keys ready

    page.keyboard.press("F8")
    expect(page.get_by_label("Amount")).to_be_focused()
    page.get_by_label("Paid by").select_option("card")
    page.get_by_label("Reference").fill("AUTH 4411")
    page.get_by_role("button", name="Take the payment").click()
    expect(page.locator("[data-counter-due]")).to_have_text("Paid in full.")
    expect(page.get_by_label("Scan or type a code")).to_be_focused()
    screenshot(page, "counter-sale")

    page.keyboard.press("F9")
    expect(page.get_by_role("heading", name="Sale 1")).to_be_visible()
    with tenant_context(shop):
        sale = Sale.objects.get()
        assert Piece.objects.get(sku="AUR-0001").status == Piece.Status.SOLD
    assert (sale.number, sale.total, sale.tax) == (
        1,
        Decimal("455.30"),
        Decimal("13.26"),
    )

    page.get_by_role("link", name="Receipt").click()
    expect(page.get_by_text("US 12-345")).to_be_visible()
    expect(page.get_by_text("HUID7X2")).to_be_visible()
    expect(page.locator("svg.qr")).to_be_visible()
    screenshot(page, "receipt")

    boss = open_as(manager)
    with tenant_context(shop):
        day = TillDay.objects.get()
    boss.goto(reverse("till:inspect", args=[day.pk]))
    expect(boss.get_by_role("row", name="Taken by card USD 313.14")).to_be_visible()
    boss.get_by_role("link", name="Close the day (Z report)").click()
    boss.get_by_label("Or the total counted").fill("0.00")
    boss.get_by_role("button", name="Close the day").click()
    expect(
        boss.get_by_role("row", name="Variance (counted less expected) USD 0.00")
    ).to_be_visible()
    screenshot(boss, "z-report")
    with tenant_context(shop):
        day.refresh_from_db()
    assert (day.status, day.variance) == ("closed", Decimal("0.00"))


def test_the_counter_on_a_tablet_held_upright(open_as, shop):
    page = open_as(make_member(shop, "sales"), viewport=PHONE)

    page.goto(reverse("counter:home"))
    page.get_by_role("button", name="Start a sale").click()
    page.get_by_label("Scan or type a code").fill("AUR-0001")
    page.keyboard.press("Enter")

    expect(page.locator("[data-counter-total]")).to_have_text("USD 415.13")
    screenshot(page, "counter-phone")
    assert DESKTOP["width"] > PHONE["width"]
