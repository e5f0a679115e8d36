"""Admin ViewSets for tenant-owned models.

Scoping needs no code here: a tenant-owned model's default manager only ever returns
the current shop's rows, and the request runs as the signed-in user's shop, so every
generic view (listing, search, inspect, edit, delete, history, usage, chooser) sees
that shop alone. What this base adds is refusing the admin to anyone with no shop
selected, and a registry the isolation tests sweep.
"""

from django.core.exceptions import PermissionDenied
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from back_office.tenants.context import current_tenant

#: Every tenant-scoped ViewSet, for the isolation sweep in the tests.
REGISTRY: list["TenantModelViewSet"] = []


def _require_shop(view):
    def wrapped(request, *args, **kwargs):
        if current_tenant() is None:
            raise PermissionDenied("Choose a shop first.")
        return view(request, *args, **kwargs)

    return wrapped


class TenantModelViewSet(ModelViewSet):
    """A ModelViewSet over one shop's rows."""

    add_to_admin_menu = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        REGISTRY.append(self)

    def construct_view(self, view_class, **kwargs):
        return _require_shop(super().construct_view(view_class, **kwargs))


class TenantChooserViewSet(ChooserViewSet):
    def construct_view(self, view_class, **kwargs):
        return _require_shop(super().construct_view(view_class, **kwargs))
