"""The shop screens: the platform's list of shops (superusers only, through Tenant's
model permissions), and each shop's own branches and staff."""

from django.urls import reverse_lazy
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from back_office.tenancy.admin.history import ShopHistoryViewSet
from back_office.tenancy.admin.menu import PermissionMenuItem
from back_office.tenancy.admin.viewsets import TenantModelViewSet
from back_office.tenants.admin import views
from back_office.tenants.admin.forms import (
    InviteForm,
    TenantCreateForm,
    TenantEditForm,
)
from back_office.tenants.models import Branch, Invitation, Membership, Tenant


class TenantViewSet(ModelViewSet):
    model = Tenant
    icon = "site"
    menu_label = "Shops"
    menu_order = 900
    add_to_admin_menu = True
    add_view_class = views.TenantCreateView
    edit_view_class = views.TenantEditView
    copy_view_enabled = False
    list_display = ["name", "slug", "status", "currency", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]

    def get_form_class(self, for_update=False):
        return TenantEditForm if for_update else TenantCreateForm


class BranchViewSet(TenantModelViewSet):
    model = Branch
    icon = "home"
    add_view_class = views.BranchCreateView
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
    views_left_out = frozenset({"add"})  # people join by invitation
    edit_view_class = views.StaffEditView
    delete_view_class = views.StaffDeleteView


class InvitationViewSet(TenantModelViewSet):
    model = Invitation
    icon = "mail"
    menu_label = "Invitations"
    add_view_class = views.InviteView
    delete_view_class = views.WithdrawInvitationView
    views_left_out = frozenset({"edit"})
    copy_view_enabled = False
    base_form_class = InviteForm
    form_fields = ["email", "role"]
    list_display = ["email", "role", "status", "created_at", "expires_at"]
    search_fields = ["email"]


class ShopViewSetGroup(ViewSetGroup):
    menu_label = "Shop"
    menu_icon = "home"
    menu_order = 300
    items = (BranchViewSet, StaffViewSet, InvitationViewSet, ShopHistoryViewSet)

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            PermissionMenuItem(
                "Logo",
                reverse_lazy("tenants_shop_logo"),
                icon_name="image",
                permission="tenants.change_logo",
                order=900,
            ),
        ]
