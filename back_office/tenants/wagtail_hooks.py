from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from back_office.tenants import admin_views, views
from back_office.tenants.admin_forms import (
    StaffAddForm,
    TenantCreateForm,
    TenantEditForm,
)
from back_office.tenants.admin_scoping import shop_pages
from back_office.tenants.context import current_tenant
from back_office.tenants.middleware import PLATFORM_ONLY_REPORTS
from back_office.tenants.models import Branch, Membership, Tenant
from back_office.tenants.viewsets import TenantModelViewSet


@hooks.register("register_log_actions")
def register_tenant_log_actions(actions):
    actions.register_action("tenants.switch", "Switch shop", "Switched to this shop")
    actions.register_action("tenants.suspended", "Suspend", "Shop suspended")
    actions.register_action("tenants.active", "Reactivate", "Shop reactivated")


# Platform screens: shops (superusers only, through Tenant's model permissions).


class TenantViewSet(ModelViewSet):
    model = Tenant
    icon = "site"
    menu_label = "Shops"
    menu_order = 900
    add_to_admin_menu = True
    add_view_class = admin_views.TenantCreateView
    edit_view_class = admin_views.TenantEditView
    copy_view_enabled = False
    list_display = ["name", "slug", "status", "currency", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]

    def get_form_class(self, for_update=False):
        return TenantEditForm if for_update else TenantCreateForm


# The shop's own screens: scoped to the signed-in shop.


class BranchViewSet(TenantModelViewSet):
    model = Branch
    icon = "home"
    form_fields = ["name", "code", "address"]
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inspect_view_enabled = True


class StaffViewSet(TenantModelViewSet):
    model = Membership
    icon = "user"
    menu_label = "Staff"
    name = "staff"
    form_fields = ["role"]
    list_display = ["user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email"]
    copy_view_enabled = False
    add_view_class = admin_views.StaffAddView
    edit_view_class = admin_views.StaffEditView
    delete_view_class = admin_views.StaffDeleteView

    def get_form_class(self, for_update=False):
        return super().get_form_class() if for_update else StaffAddForm


class ShopViewSetGroup(ViewSetGroup):
    menu_label = "Shop"
    menu_icon = "home"
    menu_order = 300
    items = (BranchViewSet, StaffViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [TenantViewSet("shops"), ShopViewSetGroup()]


# Switching shop.


@hooks.register("register_admin_urls")
def register_switch_url():
    return [path("shop/switch/", views.switch_shop, name="tenants_switch")]


class SwitchShopMenuItem(MenuItem):
    def is_shown(self, request):
        return (
            request.user.is_superuser
            or len(getattr(request, "tenant_memberships", [])) > 1
        )

    def render_component(self, request):
        component = super().render_component(request)
        tenant = current_tenant()
        component.label = f"Shop: {tenant.name}" if tenant else "Choose a shop"
        return component


@hooks.register("register_admin_menu_item")
def register_switch_menu_item():
    return SwitchShopMenuItem(
        "Switch shop", reverse("tenants_switch"), icon_name="site", order=10000
    )


# Pages: a shop's editors see only their own storefront's tree.


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
