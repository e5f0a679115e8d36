from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods
from wagtail import views as wagtail_views

from back_office.tenants.middleware import SESSION_KEY, is_platform_host
from back_office.tenants.models import Tenant
from back_office.tenants.services import TenantError, authorize_switch, memberships_of


def front_door(request, path=""):
    """Storefront pages for a shop's hostname; the platform's own page on its hosts."""
    if request.tenant is not None:
        return wagtail_views.serve(request, path)
    if path == "" and is_platform_host(request):
        shops = Tenant.objects.filter(status=Tenant.Status.ACTIVE)
        return TemplateResponse(request, "tenants/platform_home.html", {"shops": shops})
    raise Http404("No shop answers on this hostname.")


@require_http_methods(["GET", "POST"])
def switch_shop(request):
    """Choose the shop the admin works in (several memberships, or an operator)."""
    user = request.user
    if user.is_superuser:
        choices = list(Tenant.objects.all())
    else:
        choices = [m.tenant for m in memberships_of(user)]
    if request.method == "POST":
        tenant = get_object_or_404(Tenant, pk=request.POST.get("tenant"))
        try:
            authorize_switch(user, tenant)
        except TenantError as error:
            messages.error(request, str(error))
            return redirect("tenants_switch")
        request.session[SESSION_KEY] = tenant.pk
        messages.success(request, f"You are now working in {tenant.name}.")
        return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "tenants/switch_shop.html",
        {"choices": choices, "active": request.tenant},
    )
