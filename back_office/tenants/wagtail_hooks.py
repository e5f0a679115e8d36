from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.documents.wagtail_hooks import DocumentsSummaryItem
from wagtail.images.wagtail_hooks import ImagesSummaryItem

from back_office.tenancy.admin.history import register_events
from back_office.tenants.admin import second_factor, views
from back_office.tenants.admin.viewsets import ShopViewSetGroup, TenantViewSet

WAGTAIL_SUMMARY_ITEMS = (PagesSummaryItem, ImagesSummaryItem, DocumentsSummaryItem)

EVENTS = {
    "tenants.suspended": ("Suspend", "Shop suspended"),
    "tenants.active": ("Reactivate", "Shop reactivated"),
    "tenants.details_changed": ("Change details", "Shop details changed"),
    "tenants.invitation.sent": ("Invite", "Invitation sent"),
    "tenants.invitation.accepted": ("Accept invitation", "Invitation accepted"),
    "tenants.invitation.revoked": ("Withdraw invitation", "Invitation withdrawn"),
    "tenants.role_changed": ("Change role", "Role changed"),
    "tenants.signed_in": ("Sign in", "Signed in"),
    "tenants.sign_in_failed": ("Failed sign-in", "Sign-in failed: wrong password"),
    "tenants.locked_out": ("Lockout", "Sign-in paused after repeated failures"),
    "tenants.second_factor.enrolled": ("Set up second step", "Second step set up"),
    "tenants.second_factor.recovery_codes": (
        "New recovery codes",
        "New recovery codes made",
    ),
    "tenants.second_factor.recovery_code_used": (
        "Recovery code used",
        "Signed in with a recovery code",
    ),
    "tenants.second_factor.failed": ("Wrong code", "Second step failed: wrong code"),
    "tenants.second_factor.reset": ("Reset second step", "Second step reset"),
}


@hooks.register("register_log_actions")
def register_tenant_log_actions(actions):
    register_events(actions, EVENTS)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [TenantViewSet("shops"), ShopViewSetGroup()]


@hooks.register("register_admin_urls")
def register_tenant_urls():
    return [
        path(
            "second-step/",
            second_factor.AccountSecondFactorView.as_view(),
            name="tenants_second_factor",
        ),
        path(
            "second-step/verify/",
            second_factor.VerifyView.as_view(),
            name="tenants_second_factor_verify",
        ),
        path("shop/logo/", views.ShopLogoView.as_view(), name="tenants_shop_logo"),
        path(
            "second-step/set-up/",
            second_factor.SetUpView.as_view(),
            name="tenants_second_factor_set_up",
        ),
        path(
            "second-step/recovery-codes/",
            second_factor.renew_recovery_codes,
            name="tenants_recovery_codes",
        ),
    ]


@hooks.register("register_account_menu_item")
def second_factor_account_item(request):
    return {
        "url": reverse("tenants_second_factor"),
        "label": "Two-step sign-in",
        "help_text": "Codes from an authenticator app, and recovery codes.",
    }


# The shop's words, not the framework's: pieces are Wagtail snippets, but staff find
# them under Inventory; Wagtail's help is about Wagtail; the dashboard counts stock,
# not pages and images.
WAGTAIL_MENU_ITEMS = {"snippets", "help"}


@hooks.register("construct_main_menu")
def hide_wagtails_own_menu_items(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in WAGTAIL_MENU_ITEMS]


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail's
def drop_wagtails_summary_items(request, items):
    items[:] = [item for item in items if not isinstance(item, WAGTAIL_SUMMARY_ITEMS)]
