"""A shop's history, its audit log: what goes in (security events, role, price, feed
and shop changes, exports), who may read it, and that nothing in it changes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.urls import get_resolver, reverse

from back_office.inventory.models import Piece, RateFeed
from back_office.tenancy.context import tenant_context
from back_office.tenancy.models import ShopLogEntry
from back_office.tenants.models import Membership, Tenant
from back_office.tenants.services import update_tenant
from tests.factories.inventory import CategoryFactory, PieceFactory
from tests.factories.tenants import BranchFactory, make_member, owner_of

get_resolver().url_patterns  # noqa: B018 - loading the admin registers the ViewSets
HISTORY = reverse("history:index")
PIECES = Piece.snippet_viewset


def _entries(tenant, action):
    with tenant_context(tenant):
        return list(ShopLogEntry.objects.filter(action=action).order_by("timestamp"))


@pytest.fixture
def owner(client, aurum):
    client.force_login(owner_of(aurum))
    return client


class TestReading:
    def test_owners_read_their_shops_history_and_nothing_of_another_shop(
        self, client, aurum, luna
    ):
        client.force_login(owner_of(luna))
        client.force_login(owner_of(aurum))

        page = client.get(HISTORY).content.decode()

        assert "Shop history" in page
        assert "owner@aurum.test" in page
        assert "owner@luna.test" not in page
        assert "Signed in" in page

    def test_the_history_filters_by_action(self, owner, aurum):
        with tenant_context(aurum):
            BranchFactory(code="HBR")
        owner.post(reverse("branch:add"), {"name": "Mall", "code": "MLL"})

        page = owner.get(HISTORY, {"action": "wagtail.create"}).content.decode()

        assert "Mall" in page
        assert "Signed in" not in page

    @pytest.mark.parametrize("role", [Membership.Role.MANAGER, Membership.Role.SALES])
    def test_other_staff_may_not_read_it(self, client, aurum, role):
        client.force_login(make_member(aurum, role))

        response = client.get(HISTORY)
        menu = client.get("/admin/").content.decode()

        assert response.status_code == 302  # Wagtail's "permission denied"
        assert response["Location"] == "/admin/"
        assert HISTORY not in menu

    def test_operators_read_a_shops_history_after_switching_to_it(
        self, client, admin_user, aurum
    ):
        client.force_login(admin_user)

        before = client.get(HISTORY)
        client.post(reverse("tenancy_switch"), {"tenant": aurum.pk})
        after = client.get(HISTORY).content.decode()

        assert before["Location"] == reverse("tenancy_switch")
        assert "Switched to this shop" in after


class TestWhatGoesIn:
    def test_a_role_change_says_who_changed_what(self, owner, aurum):
        clerk = make_member(aurum, Membership.Role.SALES)
        with tenant_context(aurum):
            membership = Membership.objects.get(user=clerk)

        owner.post(reverse("staff:edit", args=[membership.pk]), {"role": "manager"})

        (entry,) = _entries(aurum, "tenants.role_changed")
        assert entry.user == owner_of(aurum)
        assert entry.data == {"changes": {"role": ["Sales", "Manager"]}}
        assert (
            "Role changed (role: Sales → Manager)"
            in owner.get(HISTORY).content.decode()
        )

    def test_a_change_to_what_a_piece_costs_is_recorded_old_and_new(self, owner, aurum):
        with tenant_context(aurum):
            branch, rings = BranchFactory(code="MAIN"), CategoryFactory(name="Rings")
            piece = PieceFactory(
                branch=branch,
                category=rings,
                pricing_mode="fixed",
                tag_price=Decimal("2400.00"),
            )
        form = {
            "sku": piece.sku,
            "title": "Renamed ring",
            "category": rings.pk,
            "branch": branch.pk,
            "metal": piece.metal,
            "purity": f"{piece.metal}:{piece.fineness}",
            "gross_weight_g": piece.gross_weight_g,
            "net_weight_g": piece.net_weight_g,
            "pricing_mode": "fixed",
            "tag_price": "2400.00",
            "making_charge_type": piece.making_charge_type,
            "making_charge": piece.making_charge,
            "cost": piece.cost,
            "stones-TOTAL_FORMS": "0",
            "stones-INITIAL_FORMS": "0",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        }
        edit = reverse(PIECES.get_url_name("edit"), args=[piece.pk])

        owner.post(edit, form)  # a new title: no price change
        owner.post(edit, {**form, "tag_price": "1.00"})

        (entry,) = _entries(aurum, "inventory.price_changed")
        assert entry.data == {"changes": {"tag price": ["2400.00", "1.00"]}}
        assert entry.user == owner_of(aurum)

    def test_a_change_of_rate_feed_is_recorded(self, owner, aurum):
        with tenant_context(aurum):
            feed = RateFeed.objects.create(url="https://rates.example.com/a.json")

        owner.post(
            reverse("rate_feed:edit", args=[feed.pk]),
            {
                "enabled": "on",
                "url": "https://rates.example.net/b.json",
                "max_change_percent": "10",
            },
        )

        (entry,) = _entries(aurum, "inventory.feed_changed")
        assert entry.data["changes"] == {
            "provider URL": [
                "https://rates.example.com/a.json",
                "https://rates.example.net/b.json",
            ],
            "enabled": ["no", "yes"],
        }

    def test_a_tax_change_by_an_operator_is_recorded(self, aurum, admin_user):
        update_tenant(
            aurum,
            hostnames=[("aurum.localhost", 80)],
            status=Tenant.Status.ACTIVE,
            by=admin_user,
            tax_rate=Decimal("7.5"),
        )

        (entry,) = _entries(aurum, "tenants.details_changed")
        assert entry.data == {"changes": {"tax rate (%)": ["0.00", "7.50"]}}
        assert entry.user == admin_user

    def test_an_export_says_who_took_what(self, owner, aurum):
        with tenant_context(aurum):
            PieceFactory(branch=BranchFactory(code="MAIN"))
        listing = reverse(PIECES.get_url_name("list"))

        response = owner.get(listing, {"export": "csv", "metal": "gold"})
        b"".join(response.streaming_content)
        owner.get(listing, {"metal": "gold"})  # looking is not exporting

        (entry,) = _entries(aurum, "tenancy.export")
        assert entry.data == {
            "what": "pieces",
            "format": "csv",
            "filters": "metal=gold",
        }
        assert entry.user == owner_of(aurum)

    def test_exporting_the_history_is_recorded_too(self, owner, aurum):
        owner.get(HISTORY, {"export": "csv"})

        (entry,) = _entries(aurum, "tenancy.export")
        assert entry.data["what"] == "history entries"


class TestAppendOnly:
    def test_an_entry_cannot_be_changed_or_deleted(self, owner, aurum):
        (entry, *_) = _entries(aurum, "tenants.signed_in")

        with pytest.raises(ValidationError):
            entry.save()
        with pytest.raises(ValidationError):
            entry.delete()

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE tenancy_shoplogentry SET action = 'x'",
            "DELETE FROM tenancy_shoplogentry",
        ],
    )
    def test_the_database_refuses_to_change_it(self, owner, aurum, sql):
        with (
            tenant_context(aurum),
            pytest.raises(ProgrammingError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)


class TestWriting:
    def test_an_entry_is_one_insert_with_no_lookup_of_what_it_names(self, aurum):
        from django.test.utils import CaptureQueriesContext
        from wagtail.log_actions import log

        with tenant_context(aurum):
            branch = BranchFactory(code="LOG")
            with CaptureQueriesContext(connection) as queries:
                log(instance=branch, action="wagtail.edit", user=owner_of(aurum))

        statements = [q["sql"].split()[0] for q in queries.captured_queries]
        assert statements.count("INSERT") == 1
        assert not any('SELECT 1 AS "a"' in q["sql"] for q in queries.captured_queries)

    def test_an_unregistered_action_is_still_refused(self, aurum):
        from wagtail.log_actions import log

        with tenant_context(aurum), pytest.raises(ValidationError):
            log(instance=BranchFactory(code="LOG"), action="karat.nothing")
