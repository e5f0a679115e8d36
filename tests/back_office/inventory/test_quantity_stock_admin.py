from decimal import Decimal

import pytest
from django.urls import reverse

from back_office.inventory.models import StockLevel
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.factories.inventory import StockItemFactory
from tests.factories.tenants import BranchFactory, make_member, owner_of


@pytest.fixture
def chain(aurum):
    with tenant_context(aurum):
        main, mall = BranchFactory(code="MAIN"), BranchFactory(code="MALL")
        return StockItemFactory(sku="SC-45", unit="piece"), main, mall


def _levels(tenant, item):
    with tenant_context(tenant):
        return dict(
            StockLevel.objects.filter(item=item).values_list("branch__code", "quantity")
        )


def _post(client, item, **data):
    return client.post(reverse("inventory_change_quantity", args=[item.pk]), data)


def test_staff_receive_move_and_adjust_quantity_stock_through_the_ledger(
    client, aurum, chain
):
    item, main, mall = chain
    client.force_login(owner_of(aurum))

    _post(client, item, operation="receive", branch=main.pk, quantity="12")
    _post(
        client,
        item,
        operation="transfer",
        branch=main.pk,
        to_branch=mall.pk,
        quantity="4",
    )
    _post(
        client, item, operation="adjust", branch=mall.pk, quantity="-1", reason="Kinked"
    )

    assert _levels(aurum, item) == {"MAIN": Decimal(8), "MALL": Decimal(3)}
    with tenant_context(aurum):
        assert item.movements.count() == 4


def test_taking_more_than_is_there_is_refused_with_the_quantity_left(
    client, aurum, chain
):
    item, main, mall = chain
    client.force_login(owner_of(aurum))
    _post(client, item, operation="receive", branch=main.pk, quantity="2")

    response = _post(
        client,
        item,
        operation="transfer",
        branch=main.pk,
        to_branch=mall.pk,
        quantity="5",
    )

    assert response.status_code == 200
    assert "Only 2 pieces of SC-45 at" in response.content.decode()
    assert _levels(aurum, item) == {"MAIN": Decimal(2)}  # nothing else written
    with tenant_context(aurum):
        assert list(item.movements.values_list("kind", flat=True)) == ["received"]


def test_a_transfer_needs_a_destination(client, aurum, chain):
    item, main, _ = chain
    client.force_login(owner_of(aurum))
    _post(client, item, operation="receive", branch=main.pk, quantity="2")

    response = _post(client, item, operation="transfer", branch=main.pk, quantity="1")

    assert response.status_code == 200
    assert "Choose the branch to move the stock to." in response.content.decode()
    assert _levels(aurum, item) == {"MAIN": Decimal(2)}
    with tenant_context(aurum):
        assert list(item.movements.values_list("kind", flat=True)) == ["received"]


def test_sales_staff_cannot_change_quantities(client, aurum, chain):
    item, main, _ = chain
    client.force_login(make_member(aurum, Membership.Role.SALES))

    response = _post(client, item, operation="receive", branch=main.pk, quantity="5")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"  # Wagtail's permission refusal
    assert _levels(aurum, item) == {}
    with tenant_context(aurum):
        assert not item.movements.exists()


def test_the_listing_shows_unit_prices_in_the_shops_currency(client, aurum):
    with tenant_context(aurum):
        StockItemFactory(title="Diamond melee", unit="carat", unit_price="1250.00")
    client.force_login(owner_of(aurum))

    content = client.get(reverse("stockitem:index")).content.decode()

    assert "USD 1,250.00" in content
