"""The admin reads times on the shop's clock, unless a user chose his own zone."""

from datetime import UTC, datetime

from django.urls import reverse
from wagtail.users.models import UserProfile

from back_office.inventory.services import record_rate
from back_office.tenancy.context import tenant_context
from tests.factories.tenants import owner_of

NINE_THIRTY_UTC = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _rate_history(client, tenant):
    with tenant_context(tenant):
        record_rate("gold", "87.25", NINE_THIRTY_UTC, "manual")
    client.force_login(owner_of(tenant))
    return client.get(reverse("metal_rates:index")).content.decode()


def test_staff_read_times_on_their_shops_clock(client, aurum):
    aurum.timezone = "Asia/Kolkata"
    aurum.save()

    assert "1 Dec 2026, 15:00 IST" in _rate_history(client, aurum)


def test_a_zone_chosen_in_the_account_wins(client, aurum):
    aurum.timezone = "Asia/Kolkata"
    aurum.save()
    profile = UserProfile.get_for_user(owner_of(aurum))
    profile.current_time_zone = "Europe/Paris"
    profile.save()

    assert "1 Dec 2026, 10:30 CET" in _rate_history(client, aurum)


def test_every_member_of_a_shop_has_a_profile_to_read_the_clock_from(aurum):
    assert UserProfile.objects.filter(user=owner_of(aurum)).exists()
