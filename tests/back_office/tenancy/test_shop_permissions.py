"""A user's rights are those of his role in the shop the request runs as, never the
union of his memberships."""

from decimal import Decimal

import pytest
from django.urls import reverse

from back_office.inventory.models import Piece, RateFeed
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.factories.inventory import PieceFactory
from tests.factories.tenants import BranchFactory, make_member

OWNER, SALES = Membership.Role.OWNER, Membership.Role.SALES


@pytest.fixture
def owner_in_aurum_sales_in_luna(aurum, luna):
    user = make_member(aurum, OWNER, "both@x.test")
    make_member(luna, SALES, "both@x.test")
    return user


@pytest.fixture
def lunas_piece(luna):
    with tenant_context(luna):
        BranchFactory()
        return PieceFactory(pricing_mode="fixed", tag_price=Decimal("1499.00"))


def _working_in(client, user, tenant):
    client.force_login(user)
    client.post("/admin/shop/switch/", {"tenant": tenant.pk})
    return client


def test_the_same_person_has_each_shops_rights_in_that_shop_only(
    owner_in_aurum_sales_in_luna, aurum, luna
):
    user = owner_in_aurum_sales_in_luna

    with tenant_context(aurum):
        assert user.has_perm("inventory.change_piece")
        assert user.has_perm("tenants.change_membership")
    with tenant_context(luna):
        assert user.has_perm("inventory.view_piece")
        assert not user.has_perm("inventory.change_piece")
        assert not user.has_perm("inventory.change_ratefeed")
        assert not user.has_perm("tenants.change_membership")
    with tenant_context(None):
        assert user.get_all_permissions() == set()


def test_an_owner_elsewhere_cannot_change_prices_where_he_sells(
    client, owner_in_aurum_sales_in_luna, luna, lunas_piece
):
    staff = _working_in(client, owner_in_aurum_sales_in_luna, luna)
    url = reverse("wagtailsnippets_inventory_piece:edit", args=[lunas_piece.pk])

    response = staff.post(url, {"title": "Cheap", "tag_price": "1.00"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    with tenant_context(luna):
        piece = Piece.objects.get(pk=lunas_piece.pk)
    assert (piece.title, piece.tag_price) == (lunas_piece.title, Decimal("1499.00"))


def test_an_owner_elsewhere_cannot_promote_himself_where_he_sells(
    client, owner_in_aurum_sales_in_luna, luna
):
    staff = _working_in(client, owner_in_aurum_sales_in_luna, luna)
    with tenant_context(luna):
        own = Membership.objects.get(user=owner_in_aurum_sales_in_luna)

    response = staff.post(reverse("staff:edit", args=[own.pk]), {"role": "owner"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    with tenant_context(luna):
        assert Membership.objects.get(pk=own.pk).role == SALES


def test_an_owner_elsewhere_cannot_set_up_the_rate_feed_where_he_sells(
    client, owner_in_aurum_sales_in_luna, luna
):
    staff = _working_in(client, owner_in_aurum_sales_in_luna, luna)

    response = staff.post(
        reverse("rate_feed:add"), {"url": "https://evil.example/", "enabled": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    with tenant_context(luna):
        assert not RateFeed.objects.exists()


def test_the_role_holds_in_the_shop_the_admin_works_in(
    client, owner_in_aurum_sales_in_luna, aurum, luna
):
    staff = _working_in(client, owner_in_aurum_sales_in_luna, aurum)
    assert staff.get(reverse("invitation:add")).status_code == 200

    staff.post("/admin/shop/switch/", {"tenant": luna.pk})
    response = staff.get(reverse("invitation:add"))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_platform_superuser_keeps_every_permission(admin_user, luna):
    with tenant_context(luna):
        assert admin_user.has_perm("inventory.change_piece")
    assert admin_user.has_perm("tenants.add_tenant")
