"""The second step of staff sign-in, enforced.

A password alone opens nothing: a signed-in account that has the second step set up
reaches only its verify screen until it enters a code; the account of an owner, a
manager or an operator without it reaches only the screen that sets it up. Other
staff may set it up from their account settings. Listed before the tenancy
middleware's view checks, so an unverified session is never shown a shop's screen.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from back_office.tenants import queries

VERIFY = "tenants_second_factor_verify"
SET_UP = "tenants_second_factor_set_up"
# What a session between the two steps may still reach.
OPEN = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}
# Outside the admin, accepting an invitation needs the whole sign-in too.
GUARDED_OUTSIDE_ADMIN = {"tenants_invitation"}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = request.resolver_match.view_name
        guarded = (
            request.path_info.startswith(reverse("wagtailadmin_home"))
            or name in GUARDED_OUTSIDE_ADMIN
        )
        # Paths first: a storefront page never reads the session (it would vary on
        # Cookie, and no shared cache could keep it).
        if not guarded or name in OPEN:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if queries.has_second_factor(user):
            return None if name == VERIFY else _send_to(VERIFY, request)
        if name == SET_UP or not (
            settings.KARAT_SECOND_FACTOR_REQUIRED
            and queries.second_factor_required(user)
        ):
            return None
        return _send_to(SET_UP, request)


def _send_to(view_name: str, request):
    comeback = request.get_full_path() if request.method == "GET" else ""
    query = f"?{urlencode({'next': comeback})}" if comeback else ""
    return redirect(reverse(view_name) + query)
