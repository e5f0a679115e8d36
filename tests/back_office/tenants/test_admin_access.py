"""Who may do what in the admin: roles, switching shop, suspension, platform screens."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone
from wagtail.models import Collection, ModelLogEntry, Page, PageLogEntry, Revision, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Branch, Membership, Tenant
from back_office.tenants.services import add_member, set_status
from tests.factories.tenants import (
    BranchFactory,
    make_member,
    owner_of,
    shop_history,
    sign_in,
)


def _home_edit(client, tenant):
    return client.get(f"/admin/pages/{tenant.home_page_id}/edit/")


def _post_home_edit(client, tenant, title="Renamed by someone"):
    """The edit form as the page's editor would send it (saves a draft if allowed)."""
    data = nested_form_data(
        {
            "title": title,
            "slug": tenant.slug,
            "tagline": "",
            "intro": rich_text(""),
            "comments": inline_formset([]),
        }
    )
    return client.post(f"/admin/pages/{tenant.home_page_id}/edit/", data)


def _home_page_state(tenant):
    """What an edit would change: the title, its revisions and its log."""
    page = Page.objects.get(pk=tenant.home_page_id)
    return (
        page.title,
        page.draft_title,
        Revision.page_revisions.filter(object_id=str(page.pk)).count(),
        PageLogEntry.objects.filter(page=page).count(),
    )


def _branches(tenant):
    with tenant_context(tenant):
        return list(Branch.objects.order_by("code").values("code", "name", "address"))


def _rows():
    """Everything onboarding makes, counted."""
    return {
        "shops": Tenant.objects.count(),
        "pages": Page.objects.count(),
        "sites": Site.objects.count(),
        "collections": Collection.objects.count(),
        "groups": Group.objects.count(),
        "users": get_user_model().objects.count(),
        "log entries": ModelLogEntry.objects.count()
        + sum(len(shop_history(shop)) for shop in Tenant.objects.all()),
    }


def test_an_owner_can_edit_their_storefront_home_page(client, aurum):
    client.force_login(owner_of(aurum))

    assert _home_edit(client, aurum).status_code == 200


def test_sales_staff_cannot_edit_storefront_pages(client, aurum):
    client.force_login(make_member(aurum, Membership.Role.SALES))
    before = _home_page_state(aurum)

    response = _home_edit(client, aurum)
    posted = _post_home_edit(client, aurum)

    assert response.status_code == 302  # Wagtail's "permission denied" redirect
    assert response["Location"] == "/admin/"
    assert posted.status_code == 302
    assert posted["Location"] == "/admin/"
    assert _home_page_state(aurum) == before


def test_an_owner_cannot_edit_another_shops_home_page(client, aurum, luna):
    client.force_login(owner_of(aurum))
    before = _home_page_state(luna)

    response = _home_edit(client, luna)
    posted = _post_home_edit(client, luna)

    # Another shop's pages are not found in the admin at all.
    assert response.status_code == 404
    assert posted.status_code == 404
    assert "Luna" not in response.content.decode()
    assert _home_page_state(luna) == before


def test_a_branch_added_in_the_admin_belongs_to_the_signed_in_shop(client, aurum):
    client.force_login(owner_of(aurum))

    response = client.post(
        "/admin/branch/new/", {"name": "Harbour", "code": "HBR", "address": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/branch/"
    with tenant_context(aurum):
        assert Branch.objects.get(code="HBR").tenant == aurum


def test_a_duplicate_branch_code_is_a_form_error_not_a_crash(client, aurum, luna):
    with tenant_context(luna):
        BranchFactory(code="HBR")  # another shop may use the same code
    client.force_login(owner_of(aurum))
    client.post("/admin/branch/new/", {"name": "Harbour", "code": "HBR"})
    aurum_before, luna_before = _branches(aurum), _branches(luna)

    response = client.post("/admin/branch/new/", {"name": "Again", "code": "HBR"})

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert _branches(aurum) == aurum_before
    assert [b["name"] for b in aurum_before] == ["Harbour"]
    assert _branches(luna) == luna_before


class TestSwitchingShops:
    @pytest.fixture
    def both(self, aurum, luna):
        user = make_member(aurum, Membership.Role.MANAGER, "both@x.test")
        add_member(luna, "both@x.test", Membership.Role.OWNER)
        return user

    @pytest.mark.parametrize("chosen", ["²", "abc", "", "999999"])
    def test_switching_to_no_such_shop_is_not_found_and_changes_nothing(
        self, client, both, chosen
    ):
        client.force_login(both)

        response = client.post("/admin/shop/switch/", {"tenant": chosen})

        assert response.status_code == 404
        assert client.session.get("active_tenant_id") is None
        for shop in Tenant.objects.all():
            assert shop_history(shop, action="tenancy.switch") == []

    def test_a_person_in_two_shops_works_in_one_at_a_time(
        self, client, both, aurum, luna
    ):
        with tenant_context(aurum):
            BranchFactory(code="AUR1")
        with tenant_context(luna):
            BranchFactory(code="LUNA1")
        client.force_login(both)

        before = client.get("/admin/branch/").content.decode()
        switched = client.post("/admin/shop/switch/", {"tenant": luna.pk})
        after = client.get("/admin/branch/").content.decode()

        assert switched["Location"] == "/admin/"
        assert "AUR1" in before
        assert "LUNA1" not in before
        assert "LUNA1" in after
        assert "AUR1" not in after

    def test_a_switch_is_logged(self, client, both, luna):
        client.force_login(both)

        client.post("/admin/shop/switch/", {"tenant": luna.pk})

        assert shop_history(luna, action="tenancy.switch") == [
            ("tenancy.switch", str(luna.pk), both.pk)
        ]

    def test_switching_to_a_shop_one_does_not_work_for_is_refused(
        self, client, aurum, luna
    ):
        with tenant_context(aurum):
            BranchFactory(code="AUR1")
        with tenant_context(luna):
            BranchFactory(code="LUNA1")
        client.force_login(owner_of(aurum))

        response = client.post("/admin/shop/switch/", {"tenant": luna.pk}, follow=True)

        assert response.redirect_chain == [("/admin/shop/switch/", 302)]
        assert "You do not work for this shop." in response.content.decode()
        assert shop_history(luna, action="tenancy.switch") == []
        assert client.session.get("active_tenant_id") is None
        branches = client.get("/admin/branch/")
        assert branches.status_code == 200
        assert "AUR1" in branches.content.decode()
        assert "LUNA1" not in branches.content.decode()

    def test_an_operator_sees_no_shop_data_until_switching(
        self, client, admin_user, aurum
    ):
        with tenant_context(aurum):
            BranchFactory(code="AUR1")
        client.force_login(admin_user)

        response = client.get("/admin/branch/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/shop/switch/"
        client.post("/admin/shop/switch/", {"tenant": aurum.pk})
        assert "AUR1" in client.get("/admin/branch/").content.decode()
        assert shop_history(aurum, action="tenancy.switch", user=admin_user)


class TestSuspendedShop:
    def test_staff_can_sign_in_and_read(self, client, aurum):
        with tenant_context(aurum):
            BranchFactory(code="AUR1")
        set_status(aurum, Tenant.Status.SUSPENDED)
        signed_in = sign_in(client, "owner@aurum.test")

        response = client.get("/admin/branch/")

        assert signed_in.status_code == 302
        assert signed_in["Location"] == "/admin/"
        assert response.status_code == 200
        assert "AUR1" in response.content.decode()

    def test_staff_cannot_change_anything(self, client, aurum):
        with tenant_context(aurum):
            branch = BranchFactory(code="AUR1", name="High Street")
            staff = Membership.objects.count()
        set_status(aurum, Tenant.Status.SUSPENDED)
        client.force_login(owner_of(aurum))
        branches = _branches(aurum)
        page = _home_page_state(aurum)
        users = get_user_model().objects.count()
        logged = shop_history(aurum)

        responses = {
            "add a branch": client.post(
                "/admin/branch/new/", {"name": "New", "code": "NEW"}
            ),
            "edit a branch": client.post(
                f"/admin/branch/edit/{branch.pk}/",
                {"name": "Renamed", "code": "AUR1", "address": ""},
            ),
            "delete a branch": client.post(f"/admin/branch/delete/{branch.pk}/"),
            "add staff": client.post(
                "/admin/staff/new/", {"email": "new@aurum.test", "role": "sales"}
            ),
            "edit the home page": _post_home_edit(client, aurum),
        }

        for attempt, response in responses.items():
            assert response.status_code == 403, attempt
            assert "suspended" in response.content.decode(), attempt
        assert _branches(aurum) == branches
        assert _home_page_state(aurum) == page
        assert get_user_model().objects.count() == users
        with tenant_context(aurum):
            assert Membership.objects.count() == staff
        assert shop_history(aurum) == logged


class TestPlatformShopScreens:
    def test_shop_owners_cannot_open_the_platform_shop_list(self, client, aurum):
        client.force_login(owner_of(aurum))

        response = client.get("/admin/shops/")

        assert response.status_code == 302  # Wagtail's "permission denied" redirect
        assert response["Location"] == "/admin/"

    def test_an_operator_onboards_a_shop_from_the_admin(self, client, admin_user):
        client.force_login(admin_user)

        response = client.post(
            "/admin/shops/new/",
            {
                "name": "Opal House",
                "slug": "opal",
                "currency": "GBP",
                "tax_rate": "20",
                "timezone": "Europe/London",
                "hostnames": "opal.localhost\nopal.example.com:8443",
                "owner_email": "owner@opal.test",
            },
        )

        assert response.status_code == 302
        assert response["Location"] == "/admin/shops/"
        tenant = Tenant.objects.get(slug="opal")
        assert set(
            Site.objects.filter(root_page=tenant.home_page).values_list(
                "hostname", "port"
            )
        ) == {("opal.localhost", 80), ("opal.example.com", 8443)}
        # The owner is invited: the operator neither sees nor sets a password.
        assert [m.to for m in mail.outbox] == [["owner@opal.test"]]
        assert not get_user_model().objects.filter(email="owner@opal.test").exists()
        shown = client.get(response["Location"]).content.decode()
        assert "owner@opal.test, was invited by email" in shown
        assert "/invitations/" not in shown

    def test_an_operator_suspends_a_shop_and_changes_its_hostnames(
        self, client, admin_user, aurum
    ):
        client.force_login(admin_user)

        response = client.post(
            f"/admin/shops/edit/{aurum.pk}/",
            {
                "name": aurum.name,
                "status": "suspended",
                "currency": "USD",
                "tax_rate": "0",
                "timezone": "UTC",
                "hostnames": "aurum.shop.localhost",
            },
        )

        assert response.status_code == 302
        assert response["Location"] == "/admin/shops/"
        aurum.refresh_from_db()
        assert aurum.is_suspended
        assert list(
            Site.objects.filter(root_page=aurum.home_page).values_list("hostname")
        ) == [("aurum.shop.localhost",)]
        assert shop_history(aurum, action="tenants.suspended")
        assert client.get("/", HTTP_HOST="aurum.shop.localhost").status_code == 503

    def test_a_hostname_another_shop_uses_is_refused_on_edit_and_nothing_changes(
        self, client, admin_user, aurum, luna
    ):
        client.force_login(admin_user)
        logged = shop_history(aurum), shop_history(luna)

        response = client.post(
            f"/admin/shops/edit/{aurum.pk}/",
            {
                "name": "Aurum Renamed",
                "status": "suspended",
                "currency": "GBP",
                "tax_rate": "20",
                "timezone": "Europe/London",
                "hostnames": "aurum.localhost\nluna.localhost",
            },
        )

        assert response.status_code == 200
        assert "luna.localhost:80 is already in use" in response.content.decode()
        aurum.refresh_from_db()
        assert (aurum.name, aurum.status) == ("Aurum Jewellers", "active")
        assert (aurum.currency, aurum.tax_rate, aurum.timezone) == ("USD", 0, "UTC")
        assert list(
            Site.objects.filter(root_page=aurum.home_page).values_list("hostname")
        ) == [("aurum.localhost",)]
        assert list(
            Site.objects.filter(hostname="luna.localhost").values_list("root_page")
        ) == [(luna.home_page_id,)]
        assert (shop_history(aurum), shop_history(luna)) == logged

    def test_onboarding_on_a_hostname_in_use_is_refused_and_makes_nothing(
        self, client, admin_user, aurum
    ):
        client.force_login(admin_user)
        before = _rows()

        response = client.post(
            "/admin/shops/new/",
            {
                "name": "Opal House",
                "slug": "opal",
                "currency": "GBP",
                "tax_rate": "20",
                "timezone": "Europe/London",
                "hostnames": "opal.localhost\naurum.localhost",
                "owner_email": "owner@opal.test",
            },
        )

        assert response.status_code == 200
        assert "aurum.localhost:80 is already in use" in response.content.decode()
        assert _rows() == before
        assert not Site.objects.filter(hostname="opal.localhost").exists()
        assert list(
            Site.objects.filter(hostname="aurum.localhost").values_list("root_page")
        ) == [(aurum.home_page_id,)]
        assert not get_user_model().objects.filter(email="owner@opal.test").exists()


def test_switches_logged_under_their_old_name_are_renamed_by_the_migration(
    aurum, admin_user
):
    migration = importlib.import_module(
        "back_office.tenants.migrations.0003_switch_log_action_renamed"
    )
    # As an older Karat wrote a switch, with Wagtail's log entries of any model:
    (entry,) = ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=ContentType.objects.get_for_model(aurum),
                object_id=str(aurum.pk),
                label=aurum.name,
                action="tenants.switch",  # no longer registered: saved as it was
                timestamp=timezone.now(),
                user=admin_user,
            )
        ]
    )
    switches = ModelLogEntry.objects.filter(pk=entry.pk)

    migration.Migration.operations[0].code(django_apps, None)

    assert list(switches.values_list("action", flat=True)) == ["tenancy.switch"]


def test_a_branch_code_is_stored_in_capitals_however_it_is_typed(client, aurum):
    client.force_login(owner_of(aurum))

    client.post("/admin/branch/new/", {"name": "Harbour", "code": " hbr "})
    response = client.post("/admin/branch/new/", {"name": "Again", "code": "Hbr"})

    assert response.status_code == 200
    assert "already" in response.content.decode()
    with tenant_context(aurum):
        assert list(Branch.objects.values_list("name", "code")) == [("Harbour", "HBR")]
        branch = Branch.objects.get()
    assert shop_history(aurum, action="wagtail.create", object_id=str(branch.pk))
