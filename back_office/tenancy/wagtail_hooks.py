from django.urls import path, reverse
from wagtail import hooks

from back_office.tenancy.admin import views
from back_office.tenancy.admin.menu import SwitchShopMenuItem
from back_office.tenancy.admin.scoping import shop_pages
from back_office.tenancy.middleware import PLATFORM_ONLY_REPORTS


@hooks.register("register_log_actions")
def register_switch_log_action(actions):
    actions.register_action("tenancy.switch", "Switch shop", "Switched to this shop")


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
