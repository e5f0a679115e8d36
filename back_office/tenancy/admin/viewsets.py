"""Admin ViewSets for tenant-owned models.

Scoping needs no code here: a tenant-owned model's default manager only ever returns
the current shop's rows, and the request runs as the signed-in user's shop, so every
generic view (listing, search, inspect, edit, delete, history, usage, chooser, bulk
actions) sees that shop alone. What these bases add: anyone with no shop selected
is sent to choose one, forms take the shop from the request, and a screen can leave
out generic views it must not offer, and a listing's export is recorded in the shop's
history. The isolation tests sweep every registered
ViewSet that uses TenantViewSetMixin.
"""

import functools

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.forms import modelform_factory
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from back_office.tenancy.admin.forms import TenantAdminForm
from back_office.tenancy.context import current_tenant
from back_office.tenancy.services import record_export


def _require_shop(view):
    """Send anyone with no shop selected (an operator, say) to choose one first."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if current_tenant() is None:
            messages.info(request, "Choose the shop to work in first.")
            return redirect("tenancy_switch")
        return view(request, *args, **kwargs)

    return wrapped


class RequireShopMixin:
    def construct_view(self, view_class, **kwargs):
        return _require_shop(super().construct_view(view_class, **kwargs))


def _recording_exports(view, model):
    """A listing's spreadsheet download goes into the shop's history."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.get("Content-Disposition", "").startswith("attachment"):
            record_export(model, request)
        return response

    return wrapped


class TenantViewSetMixin(RequireShopMixin):
    #: The form every add and edit screen builds on (a subclass of TenantAdminForm).
    base_form_class = TenantAdminForm
    #: Generic views this screen does not offer, from "add", "edit" and "delete"
    #: (rows that services write, a ledger say): no URL and no button leads there.
    #: Wagtail's ModelViewSet has switches for copy and inspect only.
    views_left_out: frozenset[str] = frozenset()
    # The shop is the one signed in; showing it on every object says nothing.
    inspect_view_fields_exclude = ["tenant"]

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)
        if issubclass(view_class, SpreadsheetExportMixin):
            view = _recording_exports(view, self.model)
        return view

    def get_common_view_kwargs(self, **kwargs):
        left_out = {f"{view}_url_name": None for view in self.views_left_out}
        return super().get_common_view_kwargs(**{**kwargs, **left_out})

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in self.views_left_out
        ]

    @property
    def url_finder_class(self):
        """Where Wagtail's reports and usage listings link a row: its edit screen,
        or, with that left out, its inspect screen (or nowhere)."""
        if "edit" not in self.views_left_out:
            return super().url_finder_class
        inspect = self.get_url_name("inspect") if self.inspect_view_enabled else None

        class LeftOutEditURLFinder(ModelAdminURLFinder):
            def construct_edit_url(self, instance):
                return reverse(inspect, args=[quote(instance.pk)]) if inspect else None

        return LeftOutEditURLFinder

    def get_edit_handler(self):
        handler = super().get_edit_handler()
        if handler is not None and handler.base_form_class is None:
            handler.base_form_class = self.base_form_class
        return handler

    def get_form_class(self, for_update=False):
        if {"add", "edit"} <= self.views_left_out:
            return None  # no form screens
        if self._edit_handler:  # panels: the handler builds on base_form_class
            return super().get_form_class(for_update)
        return modelform_factory(
            self.model,
            form=self.base_form_class,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.get_form_fields(),
            exclude=self.get_exclude_form_fields(),
        )


class TenantModelViewSet(TenantViewSetMixin, ModelViewSet):
    """A ModelViewSet over one shop's rows."""

    add_to_admin_menu = False


class TenantSnippetChooserViewSet(RequireShopMixin, SnippetChooserViewSet):
    pass


class TenantSnippetViewSet(TenantViewSetMixin, SnippetViewSet):
    """A SnippetViewSet over one shop's rows: adds bulk actions and a chooser."""

    add_to_admin_menu = False
    copy_view_enabled = False
    chooser_viewset_class = TenantSnippetChooserViewSet
