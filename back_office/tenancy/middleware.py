"""Which shop a request is for, and running the request as that shop.

Storefront requests: the Wagtail Site matched by hostname (no fallback to a default
site, so an unknown hostname never shows another shop). Admin requests: the signed-in
user's active membership (chosen in the session; superusers may pick any shop).
The rest of the request runs inside tenant_context(tenant).
"""

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from wagtail.models import Page, Site

from back_office.tenancy import sites
from back_office.tenancy.context import tenant_context
from back_office.tenancy.models import AbstractTenant, get_tenant_model
from back_office.tenancy.queries import memberships_of

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SESSION_KEY = "active_tenant_id"
# Wagtail reports that span every shop (site history lists log entries of all
# objects of a type the user may view; page-type usage counts every shop's pages).
# Shops see an object's history on the object itself.
PLATFORM_ONLY_REPORTS = {"site-history", "page-types-usage"}
PLATFORM_ONLY_PATHS = tuple(f"/admin/reports/{name}/" for name in PLATFORM_ONLY_REPORTS)
# Wagtail's screens of a shop's own data: an operator chooses the shop first.
SHOP_ONLY_PATHS = (
    "/admin/images/",
    "/admin/documents/",
    "/admin/api/",
    "/admin/tag-autocomplete/",
)


# The URL arguments of Wagtail's admin that name a page; on /admin/pages/, also `pk`.
PAGE_ARGUMENTS = {"page_id", "parent_page_id", "page_to_move_id", "destination_id"}


def _is_admin(request) -> bool:
    return request.path_info.startswith("/admin/")


def _hostname(request) -> str:
    return request.get_host().rsplit(":", 1)[0]


def is_platform_host(request) -> bool:
    return _hostname(request) in settings.TENANCY_PLATFORM_HOSTNAMES


def site_tenant(request) -> AbstractTenant | None:
    """The shop whose site answers this exact hostname, or None.

    Wagtail falls back to a default site for unknown hostnames; a shop never
    answers for a hostname that is not its own, so that fallback is refused here.
    Remembered in the cache (back_office/tenancy/sites.py).
    """
    hostname = _hostname(request)

    def find():
        site = Site.find_for_request(request)
        if site is None or site.hostname != hostname:
            return None, None
        tenant = (
            get_tenant_model()
            .objects.filter(home_page_id=site.root_page_id)
            .select_related("collection")
            .first()
        )
        # Kept with the Site, specific: Wagtail routes every page from it.
        site.root_page = site.root_page.specific
        if tenant is not None:
            # The shop's tree and collection scope every page's blocks
            # (tenancy.queries), without a query each time.
            tenant.home_page = site.root_page
        return site, tenant

    site, tenant = sites.shop_site(hostname, find)
    if site is not None:
        request._wagtail_site = site  # Wagtail's own lookups read it, not the database
    return tenant


def admin_tenant(request) -> AbstractTenant | None:
    """The shop the signed-in user is working in, remembered in the session."""
    user = request.user
    if not user.is_authenticated:
        return None
    chosen = request.session.get(SESSION_KEY)
    if user.is_superuser:
        # Operators act as no shop until they switch explicitly (a logged action).
        if not chosen:
            return None
        return get_tenant_model().objects.filter(pk=chosen).first()
    memberships = memberships_of(user)
    request.tenant_memberships = memberships
    for membership in memberships:
        if membership.tenant_id == chosen:
            return membership.tenant
    return memberships[0].tenant if memberships else None


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(settings.TENANCY_EXEMPT_PATHS):
            request.tenant = None
            return self.get_response(request)

        if _is_admin(request):
            if request.path_info.startswith(PLATFORM_ONLY_PATHS) and not (
                request.user.is_superuser
            ):
                raise Http404
            tenant = admin_tenant(request)
            if (
                tenant is None
                and request.user.is_authenticated
                and request.path_info.startswith(SHOP_ONLY_PATHS)
            ):
                return redirect("tenancy_switch")
            if (
                tenant is not None
                and tenant.is_suspended
                and request.method not in SAFE_METHODS
                and not request.user.is_superuser
                and not request.path_info.startswith(settings.TENANCY_SUSPENDED_ALLOWED)
            ):
                return HttpResponseForbidden(
                    f"{tenant} is suspended: the back office is read-only."
                )
        else:
            tenant = site_tenant(request)
            if tenant is None and not is_platform_host(request):
                raise Http404("No shop answers on this hostname.")
            if tenant is not None and tenant.is_suspended:
                return render(
                    request, "tenancy/closed.html", {"tenant": tenant}, status=503
                )

        request.tenant = tenant
        with tenant_context(tenant):
            response = self.get_response(request)
            # Render inside the context: template responses query lazily.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """In the admin, a page of another shop is not found: Wagtail's choosers and
        move screens would otherwise show its title (its edit screens refuse it)."""
        if not _is_admin(request) or request.user.is_superuser:
            return None
        named = {key for key in view_kwargs if key in PAGE_ARGUMENTS}
        if request.path_info.startswith("/admin/pages/") and "pk" in view_kwargs:
            named.add("pk")
        for key in named:
            page_id = str(view_kwargs[key])
            if page_id.isdecimal() and not _in_shop_tree(request.tenant, int(page_id)):
                raise Http404("No such page.")
        return None


def _in_shop_tree(tenant, page_id: int) -> bool:
    """The page is the tree's root (the explorer starts there) or the shop's own."""
    pages = Page.objects.filter(pk=page_id)
    if tenant is None or tenant.home_page_id is None:
        return False
    return pages.filter(Q(depth=1) | Q(path__startswith=tenant.home_page.path)).exists()
