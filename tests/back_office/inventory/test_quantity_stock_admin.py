"""The quantity stock screens: the listing with on-hand per branch, an item's stock
screen, and its separate receive, transfer and adjust screens."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from back_office.inventory import services
from back_office.inventory.models import StockLevel
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.factories.inventory import StockItemFactory
from tests.factories.tenants import BranchFactory, make_member, owner_of


@pytest.fixture
def chain(aurum):
    with tenant_context(aurum):
        main = BranchFactory(code="MAIN", name="Main Street")
        mall = BranchFactory(code="MALL", name="Riverside Mall")
        return StockItemFactory(sku="SC-45", unit="piece"), main, mall


@pytest.fixture
def owner(client, aurum):
    client.force_login(owner_of(aurum))
    return client


def _levels(tenant, item):
    with tenant_context(tenant):
        return dict(
            StockLevel.objects.filter(item=item).values_list("branch__code", "quantity")
        )


def _ledger(tenant, item):
    with tenant_context(tenant):
        return list(
            item.movements.order_by("id").values_list(
                "kind", "quantity_delta", "reason"
            )
        )


def _post(client, operation, item, **data):
    return client.post(reverse(f"inventory_{operation}_stock", args=[item.pk]), data)


def _message(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_receive_keeps_its_note_and_says_what_is_now_on_hand(owner, aurum, chain):
    item, main, _ = chain
    with tenant_context(aurum):
        services.receive_stock(item, main, 22)

    response = _post(
        owner, "receive", item, branch=main.pk, quantity="10", note="Orafo DN 4471"
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("stockitem:inspect", args=[item.pk])
    assert _message(response) == ["Received 10 SC-45 at Main Street: 32 on hand."]
    assert _ledger(aurum, item)[-1] == ("received", Decimal(10), "Orafo DN 4471")
    sheet = owner.get(response["Location"]).content.decode()
    assert "Orafo DN 4471" in sheet


def test_a_transfer_says_what_is_left_at_each_branch(owner, aurum, chain):
    item, main, mall = chain
    with tenant_context(aurum):
        services.receive_stock(item, main, 12)

    response = _post(
        owner, "transfer", item, branch=main.pk, to_branch=mall.pk, quantity="4"
    )

    assert _message(response) == [
        "Moved 4 SC-45 from Main Street to Riverside Mall: "
        "8 left at Main Street, 4 at Riverside Mall."
    ]
    assert _levels(aurum, item) == {"MAIN": Decimal(8), "MALL": Decimal(4)}


def test_an_adjustment_needs_a_reason_and_says_the_new_count(owner, aurum, chain):
    item, main, _ = chain
    with tenant_context(aurum):
        services.receive_stock(item, main, 12)

    without = _post(owner, "adjust", item, branch=main.pk, quantity="-2", reason="")
    assert without.status_code == 200
    assert "This field is required." in without.content.decode()
    assert _levels(aurum, item) == {"MAIN": Decimal(12)}

    response = _post(
        owner, "adjust", item, branch=main.pk, quantity="-2", reason="Kinked"
    )
    assert _message(response) == [
        "Adjusted SC-45 at Main Street by −2 (Kinked): 10 on hand."
    ]
    assert _levels(aurum, item) == {"MAIN": Decimal(10)}


def test_grams_may_be_fractional_and_are_written_with_their_unit(owner, aurum, chain):
    _, main, _ = chain
    with tenant_context(aurum):
        wire = StockItemFactory(sku="W-1", unit="gram")

    response = _post(owner, "receive", wire, branch=main.pk, quantity="12.5")

    assert _message(response) == ["Received 12.5 g W-1 at Main Street: 12.5 g on hand."]


def test_half_a_piece_is_refused_and_nothing_is_written(owner, aurum, chain):
    item, main, _ = chain

    response = _post(owner, "receive", item, branch=main.pk, quantity="2.5")

    assert response.status_code == 200
    assert "SC-45 is counted in pieces: use a whole number." in (
        response.content.decode()
    )
    assert _levels(aurum, item) == {}
    assert _ledger(aurum, item) == []


def test_taking_more_than_is_there_is_refused_with_the_quantity_left(
    owner, aurum, chain
):
    item, main, mall = chain
    with tenant_context(aurum):
        services.receive_stock(item, main, 2)

    response = _post(
        owner, "transfer", item, branch=main.pk, to_branch=mall.pk, quantity="5"
    )

    assert response.status_code == 200
    assert "Only 2 pieces of SC-45 at Main Street; cannot take 5." in (
        response.content.decode()
    )
    assert _levels(aurum, item) == {"MAIN": Decimal(2)}  # nothing else written
    assert [kind for kind, *_ in _ledger(aurum, item)] == ["received"]


def test_a_transfer_needs_a_destination(owner, aurum, chain):
    item, main, _ = chain
    with tenant_context(aurum):
        services.receive_stock(item, main, 2)

    response = _post(owner, "transfer", item, branch=main.pk, quantity="1")

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert _levels(aurum, item) == {"MAIN": Decimal(2)}


def test_the_listing_shows_on_hand_per_branch_and_unit_prices(owner, aurum, chain):
    item, main, mall = chain
    with tenant_context(aurum):
        StockItemFactory(title="Diamond melee", unit="carat", unit_price="1250.00")
        services.receive_stock(item, main, 22)
        services.receive_stock(item, mall, 10)

    content = owner.get(reverse("stockitem:index")).content.decode()

    assert "<title>Quantity stock" in content
    assert "USD 1,250.00" in content
    assert "Main Street 22 · Riverside Mall 10 (32)" in content
    assert reverse("stockitem:inspect", args=[item.pk]) in content


def test_sales_staff_see_on_hand_and_history_but_no_stock_actions(client, aurum, chain):
    item, main, _ = chain
    with tenant_context(aurum):
        services.receive_stock(item, main, 5, note="Opening count")
    client.force_login(make_member(aurum, Membership.Role.SALES))

    sheet = client.get(reverse("stockitem:inspect", args=[item.pk])).content.decode()

    assert "Opening count" in sheet
    assert ">5<" in sheet
    for operation in ("receive", "transfer", "adjust"):
        assert reverse(f"inventory_{operation}_stock", args=[item.pk]) not in sheet


@pytest.mark.parametrize("operation", ["receive", "transfer", "adjust"])
def test_sales_staff_cannot_change_quantities(client, aurum, chain, operation):
    item, main, mall = chain
    client.force_login(make_member(aurum, Membership.Role.SALES))

    response = _post(
        client,
        operation,
        item,
        branch=main.pk,
        to_branch=mall.pk,
        quantity="5",
        reason="x",
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"  # Wagtail's permission refusal
    assert _levels(aurum, item) == {}
    assert _ledger(aurum, item) == []
