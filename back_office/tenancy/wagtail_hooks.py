from django.urls import path, reverse
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.permissions import register_permission_policy

from back_office.tenancy.admin import api, views
from back_office.tenancy.admin.history import register_events
from back_office.tenancy.admin.menu import SwitchShopMenuItem
from back_office.tenancy.admin.scoping import (
    ShopMediaPolicy,
    ShopPageLinkHandler,
    shop_pages,
)
from back_office.tenancy.middleware import PLATFORM_ONLY_REPORTS
from back_office.tenancy.models import AbstractTenant, ShopLogEntry, TenantOwned

# Images and documents are seen through the current shop's collection only. Here,
# at the top of wagtail_hooks.py, as Wagtail asks: after its own apps registered
# their policies, before any request looks one up.
for media_model, auth_model in [
    (get_image_model(), "wagtailimages.Image"),
    (get_document_model(), "wagtaildocs.Document"),
]:
    register_permission_policy(
        media_model,
        ShopMediaPolicy(
            media_model, auth_model=auth_model, owner_field_name="uploaded_by_user"
        ),
    )


@hooks.register("construct_admin_api", order=100)  # after Wagtail's own endpoints
def scope_admin_api(router):
    for name, endpoint in api.ENDPOINTS.items():
        router.register_endpoint(name, endpoint)


@hooks.register("register_rich_text_features", order=100)  # after Wagtail's own
def register_shop_page_links(features):
    features.register_link_type(ShopPageLinkHandler)


@hooks.register("register_log_actions")
def register_shop_history(actions):
    # A shop's objects, the shop itself and its media keep their history with it.
    for owned in (TenantOwned, AbstractTenant, AbstractImage, AbstractDocument):
        actions.register_model(owned, ShopLogEntry)
    register_events(
        actions,
        {
            "tenancy.switch": ("Switch shop", "Switched to this shop"),
            "tenancy.export": ("Export", "Exported a listing"),
        },
    )


@hooks.register("register_admin_urls")
def register_switch_url():
    return [path("shop/switch/", views.switch_shop, name="tenancy_switch")]


@hooks.register("register_admin_menu_item")
def register_switch_menu_item():
    return SwitchShopMenuItem(
        "Switch shop", reverse("tenancy_switch"), icon_name="site", order=10000
    )


@hooks.register("construct_explorer_page_queryset")
def scope_explorer_pages(parent_page, pages, request):
    return shop_pages(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def scope_chooser_pages(pages, request):
    return shop_pages(pages, request.user)


@hooks.register("construct_reports_menu")
def hide_cross_shop_reports(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [
            item for item in menu_items if item.name not in PLATFORM_ONLY_REPORTS
        ]
