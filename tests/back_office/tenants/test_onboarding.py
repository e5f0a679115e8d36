import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from wagtail.models import Collection, GroupPagePermission, Page, Site

from back_office.tenancy.context import tenant_context
from back_office.tenants.errors import TenantError
from back_office.tenants.models import Invitation, Membership, RoleGroup, Tenant
from back_office.tenants.services import create_tenant

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "tenants": Tenant.objects.count(),
        "pages": Page.objects.count(),
        "sites": Site.objects.count(),
        "collections": Collection.objects.count(),
        "groups": Group.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_create_tenant_command_onboards_a_shop_and_invites_its_owner(capsys):
    call_command(
        "create_tenant",
        "--name",
        "Aurum Jewellers",
        "--hostname",
        "aurum.localhost",
        "--owner-email",
        "owner@aurum.test",
        "--port",
        "8000",
    )

    tenant = Tenant.objects.get(slug="aurum-jewellers")
    site = Site.objects.get(hostname="aurum.localhost", port=8000)
    assert site.root_page_id == tenant.home_page_id
    assert site.site_name == "Aurum Jewellers"
    assert tenant.home_page.specific.title == "Aurum Jewellers"
    assert tenant.collection.name == "Aurum Jewellers"
    with tenant_context(tenant):
        assert {rg.role for rg in RoleGroup.objects.all()} == {
            "owner",
            "manager",
            "sales",
        }
        invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("owner@aurum.test", "owner")
    assert [m.to for m in mail.outbox] == [["owner@aurum.test"]]
    out = capsys.readouterr().out
    assert "owner@aurum.test, invited by email" in out
    assert "/invitations/" not in out  # the link goes to the owner only
    assert "http://aurum.localhost:8000/" in out


def test_the_invited_owner_sets_a_password_and_owns_the_shop(client):
    tenant = create_tenant(
        name="Aurum", hostname="aurum.localhost", owner_email="owner@aurum.test"
    ).tenant
    (message,) = mail.outbox
    path = message.body.split("127.0.0.1:8000", 1)[1].split()[0]

    response = client.post(
        path,
        {"password": "Gold-bars-99", "password_again": "Gold-bars-99"},
        HTTP_HOST="127.0.0.1",
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    owner = get_user_model().objects.get(email="owner@aurum.test")
    assert owner.check_password("Gold-bars-99")
    with tenant_context(tenant):
        assert Membership.objects.get(user=owner).role == "owner"


def test_owners_and_managers_may_edit_the_storefront_but_sales_may_not():
    tenant = create_tenant(
        name="Aurum", hostname="aurum.localhost", owner_email="o@aurum.test"
    ).tenant
    with tenant_context(tenant):
        groups = {rg.role: rg.group for rg in RoleGroup.objects.all()}

    def page_perms(role):
        return set(
            GroupPagePermission.objects.filter(
                group=groups[role], page=tenant.home_page
            ).values_list("permission__codename", flat=True)
        )

    assert "change_page" in page_perms("owner")
    assert "publish_page" in page_perms("manager")
    assert page_perms("sales") == set()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"hostname": "not a host!"}, "is not a valid hostname"),
        ({"owner_email": "nobody"}, "is not a valid email address"),
        ({"currency": "dollars"}, "currency: Use a three-letter ISO 4217 code"),
        ({"timezone": "Mars/Olympus"}, "not a known time zone"),
        ({"name": "  "}, "needs a name"),
    ],
)
def test_bad_onboarding_input_is_refused_and_leaves_nothing_behind(options, message):
    before = _counts()
    arguments = {
        "name": "Aurum",
        "hostname": "aurum.localhost",
        "owner_email": "owner@aurum.test",
    }
    arguments.update(options)

    with pytest.raises(TenantError, match=message):
        create_tenant(**arguments)

    assert _counts() == before


def test_a_hostname_in_use_is_refused_and_leaves_nothing_behind():
    create_tenant(name="Aurum", hostname="shop.localhost", owner_email="a@a.test")
    before = _counts()

    with pytest.raises(TenantError, match="already in use"):
        create_tenant(name="Luna", hostname="shop.localhost", owner_email="l@l.test")

    assert _counts() == before


def test_the_command_reports_a_refusal_as_a_clear_error():
    create_tenant(name="Aurum", hostname="aurum.localhost", owner_email="a@a.test")
    before = _counts()

    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_tenant",
            "--name=Aurum",
            "--hostname=other.localhost",
            "--owner-email=b@b.test",
        )

    assert _counts() == before
    assert not Site.objects.filter(hostname="other.localhost").exists()
    assert not get_user_model().objects.filter(email="b@b.test").exists()
