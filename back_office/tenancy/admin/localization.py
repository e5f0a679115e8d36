"""The admin in the shop's terms: times on the shop's clock, and selected rows
counted by their model's name.

Wagtail shows the admin's times in the zone a user chose in his account, or else in
settings.TIME_ZONE (UTC), and only for users who have a Wagtail profile. Staff read
their shop's clock: `shop_clock_by_default()` makes the current shop's zone the
default, and every membership gives its user a profile, so a sale rung up at 18:05
in Lisbon reads 18:05 (WET), wherever the server is. A zone chosen in the account
still wins.
"""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.dateformat import format as format_date
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.snippets.models import get_snippet_models
from wagtail.users.models import UserProfile

from back_office.tenancy.context import current_tenant


def _current_time_zone(profile: UserProfile) -> str:
    if profile.current_time_zone:
        return profile.current_time_zone
    tenant = current_tenant()
    return getattr(tenant, "timezone", "") or settings.TIME_ZONE


def _give_a_profile(sender, instance, created, **kwargs):
    if created:
        UserProfile.get_for_user(instance.user)


def shop_clock_by_default() -> None:
    UserProfile.get_current_time_zone = _current_time_zone
    post_save.connect(
        _give_a_profile,
        sender=apps.get_model(settings.TENANCY_MEMBERSHIP_MODEL),
        dispatch_uid="tenancy_membership_profile",
    )


def shop_time(moment) -> str:
    """A moment as staff read it, on the admin's clock with its zone:
    "1 Dec 2026, 09:30 WET"."""
    return format_date(timezone.localtime(moment), "j M Y, H:i T")


def name_selected_rows() -> None:
    """Wagtail counts the rows selected in any snippet listing as "3 snippets
    selected"; the listing footer (tenancy's) names each snippet model instead, and
    here are its words: "3 pieces selected"."""
    original = wagtailadmin_tags.get_js_translation_strings

    def strings():
        found = original()
        for model in get_snippet_models():
            one, many = model._meta.verbose_name, model._meta.verbose_name_plural
            found["BULK_ACTIONS"][model._meta.model_name.upper()] = {
                "SINGULAR": f"1 {one} selected",
                "PLURAL": f"%(objects)s {many} selected",
                "ALL": f"All %(objects)s {many} on this screen selected",
                "ALL_IN_LISTING": f"All {many} in the listing selected",
            }
        return found

    wagtailadmin_tags.get_js_translation_strings = strings
