"""Admin ViewSets for tenant-owned models.

Scoping needs no code here: a tenant-owned model's default manager only ever returns
the current shop's rows, and the request runs as the signed-in user's shop, so every
generic view (listing, search, inspect, edit, delete, history, usage, chooser, bulk
actions) sees that shop alone. What these bases add: anyone with no shop selected
is sent to choose one, and forms take the shop from the request. The isolation tests
sweep every registered ViewSet that uses TenantViewSetMixin.
"""

import functools

from django.contrib import messages
from django.forms import modelform_factory
from django.shortcuts import redirect
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from back_office.tenants.context import current_tenant
from back_office.tenants.forms import TenantAdminForm


def _require_shop(view):
    """Send anyone with no shop selected (an operator, say) to choose one first."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if current_tenant() is None:
            messages.info(request, "Choose the shop to work in first.")
            return redirect("tenants_switch")
        return view(request, *args, **kwargs)

    return wrapped


class RequireShopMixin:
    def construct_view(self, view_class, **kwargs):
        return _require_shop(super().construct_view(view_class, **kwargs))


class TenantViewSetMixin(RequireShopMixin):
    # The shop is the one signed in; showing it on every object says nothing.
    inspect_view_fields_exclude = ["tenant"]

    def get_form_class(self, for_update=False):
        if self._edit_handler:  # panels: the model's base_form_class applies
            return super().get_form_class(for_update)
        return modelform_factory(
            self.model,
            form=TenantAdminForm,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.get_form_fields(),
            exclude=self.get_exclude_form_fields(),
        )


class TenantModelViewSet(TenantViewSetMixin, ModelViewSet):
    """A ModelViewSet over one shop's rows."""

    add_to_admin_menu = False


class ReadOnlyViewSetMixin:
    """Listing and inspect only, for rows that services write (a ledger, say).

    Wagtail's ModelViewSet always routes add, edit and delete; these are left out.
    """

    read_only_views = {"index", "index_results", "inspect", "history", "usage"}

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None, edit_url_name=None, delete_url_name=None, **kwargs
        )

    def get_form_class(self, for_update=False):
        return None  # no form screens

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name in self.read_only_views | {"history_results"}
        ]


class TenantSnippetChooserViewSet(RequireShopMixin, SnippetChooserViewSet):
    pass


class TenantSnippetViewSet(TenantViewSetMixin, SnippetViewSet):
    """A SnippetViewSet over one shop's rows: adds bulk actions and a chooser."""

    add_to_admin_menu = False
    copy_view_enabled = False
    chooser_viewset_class = TenantSnippetChooserViewSet
