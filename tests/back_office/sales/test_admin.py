"""The reservations in the admin: the listing and a reservation's sheet, Extend and
Cancel at the counter, the reservation settings; each shop's own only, each role
what it may do."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, get_resolver, reverse

from back_office.inventory.models import Piece
from back_office.sales import services
from back_office.sales.models import Reservation, SalesPolicy
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.back_office.sales.conftest import NOW
from tests.factories.sales import fixed_price_piece, make_reservation
from tests.factories.tenants import (
    BranchFactory,
    make_member,
    make_tenant,
    owner_of,
    shop_history,
)

get_resolver().url_patterns  # noqa: B018 - loading the admin registers the ViewSets
INDEX = reverse("reservations:index")
POLICY = reverse("sales_policy:edit")


def url(name, reservation):
    return reverse(f"reservations:{name}", args=[reservation.pk])


def _text(response) -> str:
    """What a person reads on the screen (the main content, without markup)."""
    main = BeautifulSoup(response.content, "html.parser").find("main")
    return " ".join(main.get_text(" ").split())


@pytest.fixture
def owner(client, shop):
    client.force_login(owner_of(shop))
    return client


@pytest.fixture
def clerk(client, shop):
    client.force_login(make_member(shop, Membership.Role.SALES))
    return client


@pytest.fixture
def held(shop, branch, ring):
    """The ring, reserved on Sunday 29 Nov until Tuesday 1 Dec, 18:00 (India)."""
    with tenant_context(shop):
        return services.reserve_piece(
            ring,
            branch=branch,
            customer_name="Maria Silva",
            phone="+91 98200 12345",
            email="maria@example.test",
            now=NOW,
        )


@pytest.fixture
def open_now(shop, branch):
    """A reservation made a minute ago, held for 48 hours."""
    with tenant_context(shop):
        return make_reservation(
            fixed_price_piece(sku="SOL-0002", title="Jasmine pendant", branch=branch),
            customer_name="Ana Costa",
            phone="+91 99000 11111",
            email="",
        )


@pytest.fixture
def theirs(db):
    """Another shop's reservation."""
    tenant = make_tenant("luna")
    with tenant_context(tenant):
        BranchFactory()
        return make_reservation(customer_name="Luna's customer")


def _reloaded(reservation):
    with tenant_context(reservation.tenant):
        return Reservation.objects.select_related("piece").get(pk=reservation.pk)


# The listing


def test_the_listing_shows_what_is_held_for_whom_until_when(owner, held):
    text = _text(owner.get(INDEX))

    for shown in (
        held.reference,
        "SOL-0001 Lotus ring",
        "Maria Silva",
        "Main Street",
        "USD 621.13",
        "1 Dec 2026, 18:00 IST",
        "Open",
    ):
        assert shown in text, shown


def test_the_listing_runs_as_many_queries_for_20_reservations_as_for_2(
    owner, shop, branch
):
    def listing_queries(count):
        with tenant_context(shop):
            while Reservation.objects.count() < count:
                make_reservation(fixed_price_piece(branch=branch))
        with CaptureQueriesContext(connection) as queries:
            assert owner.get(INDEX).status_code == 200
        return len(queries)

    few = listing_queries(2)
    assert listing_queries(20) == few


def test_the_listing_shows_only_the_shops_own_reservations(owner, held, theirs):
    page = owner.get(INDEX).content.decode()

    assert held.reference in page
    assert theirs.reference not in page
    assert "Luna" not in page


def test_the_listing_filters_by_status_and_branch(owner, shop, held, open_now):
    with tenant_context(shop):
        services.cancel_reservation(held, user=None, reason="No show")
        elsewhere = BranchFactory(name="Mall")

    cancelled = owner.get(INDEX, {"status": "cancelled"}).content.decode()
    at_mall = owner.get(INDEX, {"branch": elsewhere.pk}).content.decode()

    assert held.reference in cancelled
    assert open_now.reference not in cancelled
    assert held.reference not in at_mall
    assert open_now.reference not in at_mall


@pytest.mark.parametrize(
    "query", ["reference", "ana costa", "99000", "SOL-0002", "lowercase reference"]
)
def test_the_listing_finds_a_reservation_by_what_the_customer_says(
    owner, held, open_now, query
):
    words = {
        "reference": open_now.reference,
        "lowercase reference": open_now.reference.lower(),
    }.get(query, query)

    page = owner.get(INDEX, {"q": words}).content.decode()

    assert url("inspect", open_now) in page
    assert url("inspect", held) not in page


def test_reservations_are_neither_added_nor_edited_nor_deleted_in_the_admin(
    owner, held
):
    for name, args in [("add", []), ("edit", [held.pk]), ("delete", [held.pk])]:
        with pytest.raises(NoReverseMatch):
            reverse(f"reservations:{name}", args=args)
    assert "/admin/reservations/add/" not in owner.get(INDEX).content.decode()


# A reservation's sheet


def test_the_sheet_says_who_reserved_what_and_the_price_held(owner, held):
    text = _text(owner.get(url("inspect", held)))

    for shown in (
        f"Reservation {held.reference}",
        "held at USD 621.13 until Tuesday 1 Dec, 18:00",
        "SOL-0001 Lotus ring",
        "Main Street, 12 MG Road",
        "Maria Silva",
        "+91 98200 12345",
        "maria@example.test",
        "Before tax USD 603.04",
        "Tax 3 % USD 18.09",
        "The customer pays USD 621.13",
        "USD 80.00/g",
        "Reservation for pickup at Main Street",  # the ledger's entry
    ):
        assert shown in text, shown


def test_an_open_reservations_sheet_offers_extend_and_cancel(clerk, open_now):
    page = clerk.get(url("inspect", open_now)).content.decode()

    assert url("extend", open_now) in page
    assert url("cancel", open_now) in page


def test_a_closed_reservations_sheet_offers_neither(owner, shop, open_now):
    with tenant_context(shop):
        services.cancel_reservation(open_now, user=None, reason="No show")

    page = owner.get(url("inspect", open_now)).content.decode()

    assert url("extend", open_now) not in page
    assert url("cancel", open_now) not in page
    assert "No show" in page


# Extend and Cancel


def test_the_counter_extends_a_reservation(owner, open_now):
    before = open_now.held_until

    response = owner.post(url("extend", open_now), {"hours": "24"})

    assert response.status_code == 302
    assert response["Location"] == url("inspect", open_now)
    assert _reloaded(open_now).held_until == before + timedelta(hours=24)


def test_an_extension_past_30_days_is_refused_on_the_form(owner, open_now):
    response = owner.post(url("extend", open_now), {"hours": "700"})

    assert response.status_code == 200
    assert "held for 30 days at most" in response.content.decode()
    assert _reloaded(open_now).held_until == open_now.held_until


def test_sales_staff_cancel_a_reservation_and_the_piece_is_back_on_sale(
    clerk, shop, open_now
):
    response = clerk.post(url("cancel", open_now), {"reason": "Customer called"})

    assert response["Location"] == url("inspect", open_now)
    cancelled = _reloaded(open_now)
    assert (cancelled.status, cancelled.close_reason) == (
        "cancelled",
        "Customer called",
    )
    assert cancelled.closed_by.email == "sales@sol.test"
    assert cancelled.piece.status == Piece.Status.IN_STOCK
    assert "is cancelled: SOL-0002 is back on sale" in _text(
        clerk.get(response["Location"])
    )


def test_a_cancellation_without_a_reason_changes_nothing(owner, open_now):
    response = owner.post(url("cancel", open_now), {"reason": ""})

    assert response.status_code == 200
    assert _reloaded(open_now).status == "open"


def test_a_reservation_cancelled_already_cannot_be_cancelled_again(
    owner, shop, open_now
):
    with tenant_context(shop):
        services.cancel_reservation(open_now, user=None, reason="No show")
    history = shop_history(shop)

    response = owner.post(url("cancel", open_now), {"reason": "Again"})

    assert response.status_code == 200
    assert "is cancelled already" in response.content.decode()
    assert _reloaded(open_now).close_reason == "No show"
    assert shop_history(shop) == history


@pytest.mark.parametrize("name", ["inspect", "extend", "cancel", "history"])
def test_another_shops_reservation_is_not_found(owner, theirs, name):
    for response in (
        owner.get(url(name, theirs)),
        owner.post(url(name, theirs), {"hours": "24", "reason": "Stolen"}),
    ):
        assert response.status_code == 404
        assert "Luna" not in response.content.decode()
    again = _reloaded(theirs)
    assert (again.status, again.held_until) == ("open", theirs.held_until)


def test_an_operator_chooses_a_shop_before_extending(client, admin_user, open_now):
    client.force_login(admin_user)

    response = client.get(url("extend", open_now))

    assert response["Location"] == reverse("tenancy_switch")


def test_a_visitor_is_sent_to_sign_in(client, open_now):
    response = client.post(url("cancel", open_now), {"reason": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert _reloaded(open_now).status == "open"


# Reservation settings


def policy_form(**changes) -> dict[str, str]:
    """What the settings screen posts: the shop's defaults, with `changes`."""
    return {
        "reservation_hold_hours": "48",
        "discount_basis": "price",
        "discount_cap_percent": "5",
        "trade_in_margin_percent": "3",
        "trade_in_leeway_percent": "2",
        "cash_payout_cap": "500",
        "return_window_days": "30",
        **changes,
    }


def test_the_owner_sets_how_long_reservations_are_held(owner, shop, branch):
    response = owner.post(POLICY, policy_form(reservation_hold_hours="24"))

    assert response["Location"] == POLICY
    with tenant_context(shop):
        assert SalesPolicy.objects.get().reservation_hold_hours == 24
        reservation = make_reservation(fixed_price_piece(branch=branch))
    assert reservation.held_until - reservation.created_at == timedelta(hours=24)
    assert "sales.policy_changed" in [action for action, *_ in shop_history(shop)]
    assert 'value="24"' in owner.get(POLICY).content.decode()


@pytest.mark.parametrize("hours", ["0", "721", "two days"])
def test_a_hold_outside_1_to_720_hours_is_refused(owner, shop, hours):
    response = owner.post(POLICY, policy_form(reservation_hold_hours=hours))

    assert response.status_code == 200
    with tenant_context(shop):
        assert not SalesPolicy.objects.exists()


def test_sales_staff_may_not_change_the_settings(clerk, shop):
    response = clerk.post(POLICY, policy_form(reservation_hold_hours="700"))

    assert response["Location"] == "/admin/"
    with tenant_context(shop):
        assert not SalesPolicy.objects.exists()
    assert POLICY not in clerk.get(INDEX).content.decode()


def test_the_sales_menu_offers_the_settings_to_managers(client, shop, manager):
    client.force_login(manager)

    page = client.get("/admin/").content.decode()

    assert INDEX in page
    assert POLICY in page


def test_a_reservations_history_says_what_happened_to_it(owner, shop, open_now):
    owner.post(url("cancel", open_now), {"reason": "Customer called"})

    text = _text(owner.get(url("history", open_now)))

    assert "Reserved on the storefront (piece: SOL-0002; pickup at: Main Street" in text
    assert "Reservation cancelled (piece: SOL-0002; reason: Customer called)" in text
    assert "owner@sol.test" in text
