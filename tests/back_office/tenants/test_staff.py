from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from back_office.tenancy.context import tenant_context
from back_office.tenants.errors import TenantError
from back_office.tenants.models import Membership, RoleGroup
from back_office.tenants.services import change_role, remove_member
from tests.factories.tenants import make_member, owner_of


def _membership(tenant, user):
    with tenant_context(tenant):
        return Membership.objects.get(user=user)


def _group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_changing_a_role_moves_the_person_to_that_roles_group(aurum):
    clerk = make_member(aurum, Membership.Role.SALES)

    change_role(_membership(aurum, clerk), Membership.Role.MANAGER)

    assert _group_names(clerk) == {"aurum · Manager"}


def test_removing_someone_takes_their_role_but_keeps_their_account(aurum, luna):
    clerk = make_member(aurum, Membership.Role.SALES, "both@x.test")
    make_member(luna, Membership.Role.SALES, "both@x.test")

    remove_member(_membership(aurum, clerk))

    assert _group_names(clerk) == {"luna · Sales"}
    with tenant_context(aurum):
        assert not Membership.objects.filter(user=clerk).exists()


@pytest.mark.parametrize(
    "action",
    [lambda m: change_role(m, Membership.Role.SALES), remove_member],
    ids=["demote", "remove"],
)
def test_the_last_owner_cannot_be_demoted_or_removed(aurum, action):
    owner = _membership(aurum, owner_of(aurum))

    with tenant_context(aurum):
        staff = Membership.objects.count()

    with pytest.raises(TenantError, match="at least one owner"):
        action(owner)

    assert _membership(aurum, owner.user).role == "owner"
    assert _group_names(owner.user) == {"aurum · Owner"}
    with tenant_context(aurum):
        assert Membership.objects.count() == staff


def test_managers_may_see_staff_but_not_change_roles(client, aurum):
    clerk = make_member(aurum, Membership.Role.SALES)
    client.force_login(make_member(aurum, Membership.Role.MANAGER))
    url = reverse("staff:edit", args=[_membership(aurum, clerk).pk])

    index = client.get(reverse("staff:index"))
    response = client.post(url, {"role": "owner"})

    assert index.status_code == 200
    assert clerk.email in index.content.decode()
    assert response.status_code == 302  # Wagtail's "permission denied" redirect
    assert response["Location"] == "/admin/"
    assert _membership(aurum, clerk).role == "sales"
    assert _group_names(clerk) == {"aurum · Sales"}


def test_sync_shop_roles_restores_each_shops_page_and_media_permissions(aurum, luna):
    with tenant_context(aurum):
        owners = RoleGroup.objects.get(role="owner").group
    owners.page_permissions.all().delete()
    owners.collection_permissions.all().delete()
    owners.permissions.add(Permission.objects.get(codename="change_piece"))

    call_command("sync_shop_roles", stdout=StringIO())

    assert set(
        owners.page_permissions.values_list("page_id", "permission__codename")
    ) == {
        (aurum.home_page_id, codename)
        for codename in ["add_page", "change_page", "publish_page", "lock_page"]
        + ["unlock_page"]
    }
    assert set(
        owners.collection_permissions.values_list("collection_id", flat=True)
    ) == {aurum.collection_id}
    # Model permissions count per shop, from the role (tenancy.permissions), never
    # from a group, whose members may work for other shops.
    assert not owners.permissions.exists()


class TestRefusalsInTheAdmin:
    """A refused operation answers with its message, never a server error, and
    changes nothing."""

    def test_demoting_the_last_owner_shows_why_and_keeps_the_owner(self, client, aurum):
        owner = owner_of(aurum)
        client.force_login(owner)
        url = reverse("staff:edit", args=[_membership(aurum, owner).pk])

        response = client.post(url, {"role": "sales"})

        assert response.status_code == 200
        assert "A shop needs at least one owner" in response.content.decode()
        assert _membership(aurum, owner).role == "owner"
        assert _group_names(owner) == {"aurum · Owner"}

    def test_removing_the_last_owner_shows_why_and_keeps_the_owner(self, client, aurum):
        owner = owner_of(aurum)
        client.force_login(owner)
        url = reverse("staff:delete", args=[_membership(aurum, owner).pk])

        with tenant_context(aurum):
            staff = Membership.objects.count()

        response = client.post(url)

        assert response.status_code == 200
        assert "A shop needs at least one owner" in response.content.decode()
        assert _membership(aurum, owner).role == "owner"
        assert _group_names(owner) == {"aurum · Owner"}
        with tenant_context(aurum):
            assert Membership.objects.count() == staff
