"""The back office in a real browser, as a shop owner and as sales staff use it:
the purity of a new piece, a rate typo, the piece sheet, a receive with a note, and
the listing and sheet on a desktop and a phone (screenshots in artefacts/)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from back_office.inventory import services
from back_office.inventory.models import MetalRate, Piece, StockMovement
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.factories.inventory import (
    CategoryFactory,
    MetalRateFactory,
    PieceFactory,
    StockItemFactory,
    StoneFactory,
    photo_of,
)
from tests.factories.tenants import BranchFactory, make_member, make_tenant, owner_of

pytestmark = [
    pytest.mark.slow,
    # The live server reads what the test writes: committed, then emptied.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def shop():
    tenant = make_tenant("aurum")
    with tenant_context(tenant):
        main = BranchFactory(name="Main Street")
        BranchFactory(name="Riverside Mall")
        CategoryFactory(name="Rings")
        # An hour ago: a rate typed now (to the minute) comes after it.
        MetalRateFactory(
            metal="gold",
            rate_per_gram=Decimal("87.2500"),
            effective_at=timezone.now() - timedelta(hours=1),
        )
    return tenant, main


@pytest.fixture
def ring(shop):
    tenant, main = shop
    with tenant_context(tenant):
        piece = PieceFactory(
            sku="AUR-0001",
            title="Solitaire ring in 18K gold",
            category=CategoryFactory(name="Rings"),
            branch=main,
            fineness=750,
            gross_weight_g=Decimal("4.619"),
            net_weight_g=Decimal("4.169"),
            cost=Decimal("801.09"),
        )
        StoneFactory(piece=piece, carats=Decimal("0.300"), certificate_lab="GIA")
        photo_of(piece)
        for n in range(2, 6):
            photo_of(PieceFactory(sku=f"AUR-000{n}", branch=main))
    return piece


def _piece_form(page, **fields):
    page.goto(reverse("wagtailsnippets_inventory_piece:add"))
    page.fill("#id_sku", "AUR-0100")
    page.fill("#id_title", "Signet ring")
    page.select_option("#id_category", label="Rings")
    page.select_option("#id_branch", label="Main Street")
    page.select_option("#id_metal", "gold")
    page.fill("#id_gross_weight_g", "6.000")
    page.fill("#id_net_weight_g", "5.800")
    page.fill("#id_making_charge", "12")
    for selector, value in fields.items():
        page.fill(selector, value)


def test_typing_18k_as_the_purity_saves_18k_gold_and_a_bare_18_asks_first(
    open_as, shop
):
    tenant, _ = shop
    page = open_as(owner_of(tenant))
    _piece_form(page)
    page.select_option("#id_purity", "other")
    page.fill("#id_other_fineness", "18")

    # The live preview shows the slip before anything is saved: 5.8 g x 87.25 x
    # 0.018 = 9.11, 12 % making 1.09: the customer would pay 10.20.
    preview = page.locator(".price-preview")
    expect(preview).to_contain_text("18‰ is not a standard hallmark of gold")
    expect(preview).to_contain_text("USD 10.20")
    page.get_by_role("button", name="Save").first.click()

    expect(page.get_by_text("18 is not a standard hallmark of gold")).to_be_visible()
    with tenant_context(tenant):
        assert not Piece.objects.filter(sku="AUR-0100").exists()

    page.fill("#id_other_fineness", "18K")
    # 5.8 g x 87.25 x 0.750 = 379.54, 12 % making 45.54: 425.08.
    expect(page.locator(".price-preview")).to_contain_text("USD 425.08")
    page.get_by_role("button", name="Save").first.click()

    expect(page.get_by_text("AUR-0100").first).to_be_visible()
    with tenant_context(tenant):
        assert Piece.objects.get(sku="AUR-0100").fineness == 750


def test_a_tenfold_rate_typo_is_stopped_with_the_change_in_percent(open_as, shop):
    tenant, _ = shop
    page = open_as(owner_of(tenant))
    page.goto(reverse("metal_rates:add"))
    expect(
        page.get_by_text(re.compile(r"In force: Gold 87\.2500/g since"))
    ).to_be_visible()

    page.select_option("#id_metal", "gold")
    page.fill("#id_rate_per_gram", "872.5")
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_text(re.compile(r"\+900(\.0+)?\s?%"))).to_be_visible()
    with tenant_context(tenant):
        assert not MetalRate.objects.filter(rate_per_gram=Decimal("872.5")).exists()

    page.fill("#id_rate_per_gram", "87.5")
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_text(re.compile(r"Gold 87\.5"))).to_be_visible()
    with tenant_context(tenant):
        latest = MetalRate.objects.filter(metal="gold").first()
        assert latest.rate_per_gram == Decimal("87.5")


def test_sales_staff_see_the_sheet_without_cost_or_actions_they_may_not_take(
    open_as, shop, ring
):
    tenant, _ = shop
    sales = make_member(tenant, Membership.Role.SALES)
    for viewport, name in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        page = open_as(sales, viewport)
        page.goto(reverse("wagtailsnippets_inventory_piece:inspect", args=[ring.pk]))

        expect(page.get_by_text("The customer pays").first).to_be_visible()
        expect(page.get_by_role("link", name="Print tag")).to_be_visible()
        for forbidden in ("Edit", "Transfer"):
            expect(page.get_by_role("link", name=forbidden, exact=True)).to_have_count(
                0
            )
        expect(page.locator("main")).not_to_contain_text("801.09")
        expect(page.locator("main")).not_to_contain_text("Cost")
        screenshot(page, f"piece-sheet-sales-{name}")


def test_a_receive_keeps_its_note_and_says_what_is_on_hand(open_as, shop):
    tenant, main = shop
    with tenant_context(tenant):
        chain = StockItemFactory(sku="SC-45", title="Curb chain 45 cm", unit="piece")
        services.receive_stock(chain, main, 22)
    page = open_as(owner_of(tenant))
    page.goto(reverse("stockitem:inspect", args=[chain.pk]))

    page.get_by_role("link", name="Receive").click()
    page.select_option("#id_branch", label="Main Street")
    page.fill("#id_quantity", "10")
    page.fill("#id_note", "Orafo delivery note 4471")
    page.get_by_role("button", name="Receive").click()

    expect(
        page.get_by_text("Received 10 SC-45 at Main Street: 32 on hand.")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Orafo delivery note 4471")).to_be_visible()
    with tenant_context(tenant):
        assert StockMovement.objects.filter(reason="Orafo delivery note 4471").exists()


def test_the_listing_and_the_sheet_read_well_on_a_desktop_and_a_phone(
    open_as, shop, ring
):
    tenant, _ = shop
    owner = owner_of(tenant)
    for viewport, name in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        page = open_as(owner, viewport)
        page.goto(reverse("wagtailsnippets_inventory_piece:list"))
        sku = page.get_by_role("link", name="AUR-0001", exact=True)
        expect(sku).to_be_visible()
        # An SKU is never broken across lines.
        assert sku.evaluate("link => link.getClientRects().length") == 1
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        ), "the listing is wider than the screen"
        screenshot(page, f"piece-listing-{name}")

        sku.click()
        expect(page.get_by_text("Solitaire ring in 18K gold").first).to_be_visible()
        expect(page.get_by_text("USD 801.09")).to_be_visible()
        screenshot(page, f"piece-sheet-owner-{name}")


def test_a_running_tally_shows_while_scanning_a_stock_count(open_as, shop, ring):
    tenant, _ = shop
    page = open_as(owner_of(tenant))
    page.goto(reverse("inventory_count"))
    page.select_option("#id_branch", label="Main Street")

    scanner = page.locator("#id_scanned")
    for sku in ("AUR-0001", "AUR-0002", "aur-0001"):
        scanner.press_sequentially(f"{sku}\n")  # a scanner types the SKU and Enter

    tally = page.locator("[data-stock-count-tally]")
    expect(tally).to_have_text(
        "3 scanned, 2 different; scanned more than once: AUR-0001 (2×)"
    )
    page.get_by_role("button", name="Compare with stock and keep the count").click()
    expect(page.get_by_text("Scanned more than once (1)")).to_be_visible()
