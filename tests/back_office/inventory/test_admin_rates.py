"""Metal rate screens in the admin: today's rates with a chart, manual entry, feed."""

import re
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from back_office.inventory.models import MetalRate, RateFeed
from back_office.inventory.purity import Metal
from back_office.inventory.queries import latest_rates
from back_office.inventory.services import record_rate
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.factories.tenants import make_member, owner_of, shop_history

D = Decimal
CURRENT = reverse("metal_rates:current")
ADD = reverse("metal_rates:add")
INDEX = reverse("metal_rates:index")
FEED = reverse("rate_feed:index")


@pytest.fixture
def owner(client, aurum):
    client.force_login(owner_of(aurum))
    return client


@pytest.fixture
def clerk(client, aurum):
    client.force_login(make_member(aurum, Membership.Role.SALES))
    return client


def _chart_points(html: str, metal: str) -> int:
    match = re.search(rf'data-metal="{metal}" data-points="(\d+)"', html)
    return int(match.group(1)) if match else 0


def _enter(client, metal="gold", rate="65.4321", effective_at=None):
    effective_at = effective_at or timezone.now() - timedelta(minutes=1)
    return client.post(
        ADD,
        {
            "metal": metal,
            "rate_per_gram": rate,
            "effective_at": effective_at.strftime("%Y-%m-%d %H:%M"),
        },
    )


def test_manual_entry_stores_a_rate_that_is_current(owner, aurum):
    response = _enter(owner)

    assert response.status_code == 302
    assert response["Location"] == CURRENT
    with tenant_context(aurum):
        rate = latest_rates()[Metal.GOLD]
    assert rate.rate_per_gram == D("65.4321")
    assert rate.source == "manual"
    page = owner.get(CURRENT).content.decode()
    assert "USD 65.4321/g" in page


def test_manual_entry_refuses_a_non_positive_rate_and_stores_nothing(owner, aurum):
    response = _enter(owner, rate="0")

    assert response.status_code == 200
    with tenant_context(aurum):
        assert not MetalRate.objects.exists()


def test_manual_entry_works_even_when_the_feed_is_failing(owner, aurum):
    with tenant_context(aurum):
        RateFeed.objects.create(enabled=True, last_error="HTTP 500")

    response = _enter(owner, rate="66")

    assert response["Location"] == CURRENT
    with tenant_context(aurum):
        assert latest_rates()[Metal.GOLD].rate_per_gram == D("66.0000")


def test_current_rates_show_one_chart_point_per_rate_in_the_last_30_days(owner, aurum):
    now = timezone.now()
    with tenant_context(aurum):
        for days, rate in [(40, "60"), (20, "62"), (10, "63"), (1, "64")]:
            record_rate(Metal.GOLD, D(rate), now - timedelta(days=days), "manual")
        record_rate(Metal.SILVER, D("0.8"), now - timedelta(days=2), "manual")

    page = owner.get(CURRENT).content.decode()

    assert _chart_points(page, "gold") == 3
    assert page.count("<circle") == 4
    assert _chart_points(page, "silver") == 1
    assert _chart_points(page, "platinum") == 0
    assert "USD 64.00/g" in page
    assert "Gold, last 30 days: 3 rates, from USD 62.00/g to USD 64.00/g" in page


def test_a_metal_with_no_rate_says_so(owner):
    page = owner.get(CURRENT).content.decode()

    assert "No rate yet: pieces in platinum" in page


def test_existing_rates_cannot_be_edited_or_deleted_in_the_admin(owner, aurum):
    with tenant_context(aurum):
        rate = record_rate(Metal.GOLD, D("65"), timezone.now(), "manual")

    assert owner.get(f"{INDEX}edit/{rate.pk}/").status_code == 404
    assert owner.post(f"{INDEX}delete/{rate.pk}/").status_code == 404
    with tenant_context(aurum):
        assert MetalRate.objects.get().rate_per_gram == D("65.0000")


def test_rate_history_lists_and_filters_by_metal(owner, aurum):
    with tenant_context(aurum):
        record_rate(Metal.GOLD, D("65.1111"), timezone.now(), "manual")
        record_rate(Metal.SILVER, D("0.8222"), timezone.now(), "manual")

    page = owner.get(INDEX, {"metal": "silver"}).content.decode()

    assert "0.8222" in page
    assert "65.1111" not in page


def test_sales_staff_may_view_rates(clerk, aurum):
    with tenant_context(aurum):
        record_rate(Metal.GOLD, D("65.5555"), timezone.now(), "manual")

    assert "65.5555" in clerk.get(CURRENT).content.decode()
    assert "65.5555" in clerk.get(INDEX).content.decode()


def test_sales_staff_may_not_enter_rates_or_change_the_feed(clerk, aurum):
    # Wagtail sends a user without the permission back to the dashboard.
    for response in [
        _enter(clerk),
        clerk.get(FEED),
        clerk.post(reverse("rate_feed:add"), FEED_SETTINGS),
    ]:
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    with tenant_context(aurum):
        assert not MetalRate.objects.exists()
        assert not RateFeed.objects.exists()


def test_another_shops_rates_never_appear(owner, aurum, luna):
    with tenant_context(luna):
        record_rate(Metal.GOLD, D("99.9999"), timezone.now(), "manual")
    with tenant_context(aurum):
        record_rate(Metal.GOLD, D("65.0000"), timezone.now(), "manual")

    for url in [CURRENT, INDEX]:
        page = owner.get(url).content.decode()
        assert "99.9999" not in page
        assert "USD 65.00/g" in page
    assert _chart_points(owner.get(CURRENT).content.decode(), "gold") == 1


FEED_SETTINGS = {
    "enabled": "on",
    "url": "https://rates.example.com/v1/rates.json",
    "max_change_percent": "5",
}


def test_a_shop_without_a_feed_is_offered_to_set_one_up_and_nothing_is_written(
    owner, aurum
):
    response = owner.get(FEED)

    assert response.status_code == 302
    assert response["Location"] == reverse("rate_feed:add")
    assert owner.get(reverse("rate_feed:add")).status_code == 200
    with tenant_context(aurum):
        assert not RateFeed.objects.exists()


def test_setting_up_the_feed_saves_the_shops_one_feed(owner, aurum):
    response = owner.post(reverse("rate_feed:add"), FEED_SETTINGS)

    assert response.status_code == 302
    assert response["Location"] == CURRENT
    with tenant_context(aurum):
        feed = RateFeed.objects.get()
    assert (feed.enabled, feed.url, feed.max_change_percent) == (
        True,
        "https://rates.example.com/v1/rates.json",
        D("5.00"),
    )
    edit_url = reverse("rate_feed:edit", args=[feed.pk])
    assert owner.get(FEED)["Location"] == edit_url
    assert owner.get(reverse("rate_feed:add"))["Location"] == edit_url


def test_feed_settings_can_be_edited(owner, aurum):
    with tenant_context(aurum):
        feed = RateFeed.objects.create()

    response = owner.post(
        reverse("rate_feed:edit", args=[feed.pk]),
        {**FEED_SETTINGS, "max_change_percent": "7.5"},
    )

    assert response.status_code == 302
    assert response["Location"] == CURRENT
    with tenant_context(aurum):
        feed = RateFeed.objects.get()
    assert feed.enabled is True
    assert feed.url == "https://rates.example.com/v1/rates.json"
    assert feed.max_change_percent == D("7.50")


def test_feed_settings_show_the_last_error(owner, aurum):
    with tenant_context(aurum):
        RateFeed.objects.create(enabled=True, last_error="no answer within 5 s")

    assert "no answer within 5 s" in owner.get(CURRENT).content.decode()
    edit_url = owner.get(FEED)["Location"]
    assert "no answer within 5 s" in owner.get(edit_url).content.decode()


def test_the_menu_offers_rates_to_sales_staff_and_the_feed_to_owners_only(
    client, aurum
):
    client.force_login(make_member(aurum, Membership.Role.SALES))
    menu = client.get("/admin/").content.decode()
    assert CURRENT in menu
    assert FEED not in menu

    client.force_login(owner_of(aurum))
    menu = client.get("/admin/").content.decode()
    assert CURRENT in menu
    assert FEED in menu


class TestATypoTakesASecondLook:
    @pytest.fixture
    def in_force(self, aurum):
        with tenant_context(aurum):
            return record_rate(
                "gold", "87.25", timezone.now() - timedelta(hours=2), "manual"
            )

    def test_the_entry_screen_shows_the_rate_in_force_in_the_shops_time(
        self, owner, aurum, in_force
    ):
        aurum.timezone = "Asia/Kolkata"
        aurum.save()

        page = owner.get(ADD).content.decode()

        assert "In force: Gold 87.2500/g since" in page
        assert "IST" in page

    def test_a_tenfold_typo_is_refused_until_confirmed(self, owner, aurum, in_force):
        refused = _enter(owner, rate="872.5")
        with tenant_context(aurum):
            assert latest_rates()[Metal.GOLD].rate_per_gram == D("87.2500")

        page = refused.content.decode()
        assert refused.status_code == 200
        assert "872.5000 is +900.0% from the rate in force (87.2500)" in page
        assert "more than the 10% a rate usually moves" in page
        confirmed = owner.post(
            ADD,
            {
                "metal": "gold",
                "rate_per_gram": "872.5",
                "effective_at": timezone.now().strftime("%Y-%m-%d %H:%M"),
                "confirm_change": "on",
            },
        )
        assert confirmed["Location"] == CURRENT
        with tenant_context(aurum):
            assert latest_rates()[Metal.GOLD].rate_per_gram == D("872.5000")

    def test_a_usual_move_needs_no_confirmation(self, owner, aurum, in_force):
        assert _enter(owner, rate="89.10")["Location"] == CURRENT

    def test_the_limit_is_the_feeds(self, owner, aurum, in_force):
        with tenant_context(aurum):
            RateFeed.objects.create(enabled=False, max_change_percent=D("1"))

        response = _enter(owner, rate="89.10")

        assert "more than the 1% a rate usually moves" in response.content.decode()


class TestAWrongRateIsCorrected:
    """A wrong rate is replaced by a correction entry; the history keeps both."""

    @pytest.fixture
    def typo(self, aurum):
        with tenant_context(aurum):
            record_rate("gold", "87.25", timezone.now() - timedelta(days=1), "manual")
            return record_rate(
                "gold", "872.5", timezone.now() - timedelta(hours=2), "manual"
            )

    def _correct(self, client, rate, **data):
        return client.post(reverse("metal_rates:correct", args=[rate.pk]), data)

    def test_the_correction_prices_from_the_wrong_rates_moment_on(
        self, owner, aurum, typo
    ):
        response = self._correct(owner, typo, rate_per_gram="87.50", reason="Typo")

        assert response["Location"] == INDEX
        with tenant_context(aurum):
            assert latest_rates()[Metal.GOLD].rate_per_gram == D("87.5000")
            correction = MetalRate.objects.get(corrects=typo)
            assert correction.effective_at == typo.effective_at
            assert correction.source == "correction"
            assert MetalRate.objects.filter(pk=typo.pk).exists()  # still on record
        history = owner.get(INDEX).content.decode()
        assert "Corrected to USD 87.50/g" in history
        assert "Replaces USD 872.50/g: Typo" in history

    def test_the_chart_leaves_the_corrected_rate_out(self, owner, aurum, typo):
        before = _chart_points(owner.get(CURRENT).content.decode(), "gold")

        self._correct(owner, typo, rate_per_gram="87.50", reason="Typo")

        after = _chart_points(owner.get(CURRENT).content.decode(), "gold")
        assert (before, after) == (2, 2)  # the correction takes the typo's place
        assert "872.5" not in owner.get(CURRENT).content.decode()

    def test_a_rate_is_corrected_once_and_with_a_reason(self, owner, aurum, typo):
        no_reason = self._correct(owner, typo, rate_per_gram="87.50", reason=" ")
        assert no_reason.status_code == 200
        assert "This field is required." in no_reason.content.decode()

        self._correct(owner, typo, rate_per_gram="87.50", reason="Typo")
        again = self._correct(owner, typo, rate_per_gram="88", reason="Typo")

        assert "corrected already: correct its correction instead" in (
            again.content.decode()
        )
        with tenant_context(aurum):
            assert MetalRate.objects.count() == 3

    def test_sales_staff_are_not_offered_corrections_and_are_refused(
        self, clerk, aurum, typo
    ):
        history = clerk.get(INDEX).content.decode()
        refused = self._correct(clerk, typo, rate_per_gram="87.50", reason="Typo")

        assert reverse("metal_rates:correct", args=[typo.pk]) not in history
        assert refused["Location"] == "/admin/"
        with tenant_context(aurum):
            assert not MetalRate.objects.filter(corrects=typo).exists()

    def test_the_correction_is_in_the_shops_history(self, owner, aurum, typo):
        self._correct(owner, typo, rate_per_gram="87.50", reason="Typo")

        assert shop_history(aurum, action="inventory.rate_corrected")

    def test_rate_times_are_on_the_shops_clock_with_its_zone(self, owner, aurum, typo):
        aurum.timezone = "Asia/Kolkata"
        aurum.save()
        local = timezone.localtime(typo.effective_at, ZoneInfo("Asia/Kolkata"))

        history = owner.get(INDEX).content.decode()

        assert f"{local:%H:%M} IST" in history
