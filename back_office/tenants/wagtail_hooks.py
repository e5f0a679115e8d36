from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from back_office.tenants import services, views
from back_office.tenants.admin_forms import TenantCreateForm, TenantEditForm
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


class TenantCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        hostnames = data["hostnames"]
        hostname, port = hostnames[0]
        onboarding = services.create_tenant(
            name=data["name"],
            slug=data["slug"],
            hostname=hostname,
            port=port,
            owner_email=data["owner_email"],
            currency=data["currency"],
            tax_rate=data["tax_rate"],
            prices_include_tax=data["prices_include_tax"],
            timezone=data["timezone"],
            base_url=self.request.build_absolute_uri("/"),
        )
        for hostname, port in hostnames[1:]:
            services.add_site(onboarding.tenant, hostname, port)
        self.password_link = onboarding.password_link
        return onboarding.tenant

    def get_success_message(self, instance):
        return (
            f"{instance.name} is ready. Send the owner this link to set a password: "
            f"{self.password_link}"
        )


class TenantEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        status_changed = "status" in self.form.changed_data
        tenant = self.form.save(commit=False)
        if status_changed:
            tenant.status = Tenant.objects.get(pk=tenant.pk).status
        tenant.save()
        services.set_hostnames(tenant, data["hostnames"])
        if status_changed:
            services.set_status(tenant, data["status"], by=self.request.user)
        return tenant


class TenantViewSet(ModelViewSet):
    model = Tenant
    icon = "site"
    menu_label = "Shops"
    menu_order = 900
    add_to_admin_menu = True
    add_view_class = TenantCreateView
    edit_view_class = TenantEditView
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
    form_fields = ["role"]
    list_display = ["user", "role", "created_at"]
    list_filter = ["role"]
    copy_view_enabled = False
    add_view_enabled = False
    name = "staff"


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


def _own_pages(pages, request):
    tenant = current_tenant()
    if request.user.is_superuser and tenant is None:
        return pages
    if tenant is None or tenant.home_page_id is None:
        return pages.none()
    return pages.descendant_of(tenant.home_page, inclusive=True)


@hooks.register("construct_explorer_page_queryset")
def scope_explorer_pages(parent_page, pages, request):
    return _own_pages(pages, request)


@hooks.register("construct_page_chooser_queryset")
def scope_chooser_pages(pages, request):
    return _own_pages(pages, request)


@hooks.register("construct_reports_menu")
def hide_cross_shop_reports(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [
            item for item in menu_items if item.name not in PLATFORM_ONLY_REPORTS
        ]
