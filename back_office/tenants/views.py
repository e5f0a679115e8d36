from django.http import Http404
from django.template.response import TemplateResponse
from wagtail import views as wagtail_views

from back_office.tenancy.middleware import is_platform_host
from back_office.tenants.models import Tenant


def front_door(request, path=""):
    """Storefront pages for a shop's hostname; the platform's own page on its hosts."""
    if request.tenant is not None:
        return wagtail_views.serve(request, path)
    if path == "" and is_platform_host(request):
        shops = Tenant.objects.filter(status=Tenant.Status.ACTIVE)
        return TemplateResponse(request, "tenants/platform_home.html", {"shops": shops})
    raise Http404("No shop answers on this hostname.")
