from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail import views as wagtail_views

from back_office.tenancy.admin.views import DomainErrorMixin
from back_office.tenancy.middleware import SESSION_KEY, is_platform_host
from back_office.tenants import queries, services
from back_office.tenants.models import Invitation, Tenant

# The backend a new account is signed in with after choosing its password.
SIGN_IN_BACKEND = "back_office.tenancy.permissions.ShopPermissionBackend"


def front_door(request, path=""):
    """Storefront pages for a shop's hostname; the platform's own page on its hosts."""
    if request.tenant is not None:
        return wagtail_views.serve(request, path)
    if path == "" and is_platform_host(request):
        shops = Tenant.objects.filter(status=Tenant.Status.ACTIVE)
        return TemplateResponse(request, "tenants/platform_home.html", {"shops": shops})
    raise Http404("No shop answers on this hostname.")


def locked_out(request, response=None, credentials=None):
    """What a sign-in refused by the lockout answers (Axes calls it)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "tenants/locked_out.html", context, status=429)


class NewPasswordForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            raise forms.ValidationError("The two passwords differ.")
        return data


class InvitationView(DomainErrorMixin, FormView):
    """The link an invitation email carries: the invitee accepts, signed in as the
    address invited, or choosing the password of a new account."""

    template_name = "tenants/invitation.html"
    form_class = NewPasswordForm
    http_method_names = ["get", "post"]

    @cached_property
    def invitation(self) -> Invitation:
        tenant = Tenant.objects.filter(slug=self.kwargs["slug"]).first()
        invitation = tenant and queries.find_invitation(tenant, self.kwargs["token"])
        if not invitation:
            raise Http404("No such invitation.")
        return invitation

    @cached_property
    def has_account(self) -> bool:
        return queries.has_account(self.invitation.email)

    @property
    def signed_in_as_invitee(self) -> bool:
        user = self.request.user
        return user.is_authenticated and user.email.lower() == self.invitation.email

    def get(self, request, *args, **kwargs):
        if self.invitation.status != Invitation.Status.PENDING:
            return self.render_to_response(self.get_context_data(), status=410)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.invitation.status != Invitation.Status.PENDING:
            return self.render_to_response(self.get_context_data(), status=410)
        if self.has_account and not self.signed_in_as_invitee:
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)

    def get_form_class(self):
        # An account holder signed in only confirms; a new one chooses a password.
        return forms.Form if self.has_account else NewPasswordForm

    def perform(self, form):
        tenant = self.invitation.tenant
        if self.has_account:
            services.accept_invitation(self.invitation, self.request.user)
        else:
            user = services.accept_invitation_with_new_account(
                self.invitation, form.cleaned_data["password"]
            )
            login(self.request, user, backend=SIGN_IN_BACKEND)
        self.request.session[SESSION_KEY] = tenant.pk
        messages.success(self.request, f"Welcome to {tenant.name}.")
        return redirect("wagtailadmin_home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            invitation=self.invitation,
            valid=self.invitation.status == Invitation.Status.PENDING,
            has_account=self.has_account,
            signed_in_as_invitee=self.signed_in_as_invitee,
            **kwargs,
        )
