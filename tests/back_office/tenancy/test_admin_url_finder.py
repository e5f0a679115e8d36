"""Where Wagtail's reports and usage listings link a shop's rows to."""

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder

from back_office.inventory import services
from back_office.tenancy.context import tenant_context
from tests.factories.inventory import PieceFactory
from tests.factories.tenants import BranchFactory, owner_of

get_resolver().url_patterns  # noqa: B018 - loading the admin registers the ViewSets


@pytest.fixture
def rows(aurum):
    with tenant_context(aurum):
        BranchFactory()
        piece = PieceFactory()
        rate = services.record_rate(
            "gold", "65", timezone.now(), "manual", user=owner_of(aurum)
        )
        yield piece, piece.movements.get(), rate


def test_a_row_whose_edit_screen_is_left_out_links_to_its_inspect_screen_or_nowhere(
    aurum, rows, admin_user
):
    piece, movement, rate = rows
    finder = AdminURLFinder(admin_user)

    with tenant_context(aurum):
        assert finder.get_edit_url(movement) == reverse(
            "stockmovement:inspect", args=[movement.pk]
        )
        assert finder.get_edit_url(rate) is None  # rates have no screen of their own
        assert finder.get_edit_url(piece) == reverse(
            "wagtailsnippets_inventory_piece:edit", args=[piece.pk]
        )


def test_the_site_history_report_lists_a_rate_entered_by_hand(
    client, aurum, rows, admin_user
):
    client.force_login(admin_user)
    client.post("/admin/shop/switch/", {"tenant": aurum.pk})

    response = client.get("/admin/reports/site-history/")

    assert response.status_code == 200
    assert "Gold 65.0000/g" in response.content.decode()
