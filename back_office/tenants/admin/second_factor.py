"""The second step of staff sign-in: entering a code, setting up an authenticator
app, recovery codes. The rules of who must pass it are in tenants/middleware.py."""

from base64 import b32encode

import django_otp
import segno
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from back_office.tenants import queries, services
from back_office.tenants.errors import TenantError, TenantErrorCode

# The secret of an app being set up waits here until a code proves the app has it.
PENDING_KEY = "tenants_second_factor_key"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "size": 12}
        ),
    )


def _comeback(request) -> str:
    """Where to go once through: the `next` the middleware passed, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


def _passed(request, device) -> None:
    """The session has passed the second step: it gets a new key, as at sign-in."""
    django_otp.login(request, device)
    request.session.cycle_key()


def _recovery_codes(request, codes: list[str], heading: str):
    response = TemplateResponse(
        request,
        "tenants/second_factor/recovery_codes.html",
        {"codes": codes, "heading": heading, "next": _comeback(request)},
    )
    response["Cache-Control"] = "no-store"
    return response


class VerifyView(FormView):
    """A code from the authenticator app, or a recovery code."""

    template_name = "tenants/second_factor/verify.html"
    form_class = CodeForm
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified() or not queries.has_second_factor(request.user):
            return redirect(_comeback(request) or "wagtailadmin_home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        # Not through DomainErrorMixin's transaction: a wrong code must count.
        try:
            device = services.verify_second_factor(
                self.request.user, form.cleaned_data["code"]
            )
        except TenantError as error:
            form.add_error("code", error.message)
            return self.form_invalid(form)
        _passed(self.request, device)
        return redirect(_comeback(self.request) or "wagtailadmin_home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_comeback(self.request), **kwargs)


class SetUpForm(CodeForm):
    current_code = forms.CharField(
        label="Code from your current app, or a recovery code",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "size": 12}),
    )
    field_order = ["current_code", "code"]


class SetUpView(FormView):
    """Scan the code into an authenticator app, enter the code it shows: the second
    step is on, and the recovery codes are shown, once. Replacing an app takes a code
    of the current one too."""

    template_name = "tenants/second_factor/set_up.html"
    form_class = SetUpForm
    http_method_names = ["get", "post"]

    @cached_property
    def key(self) -> str:
        return self.request.session.setdefault(PENDING_KEY, default_key())

    @cached_property
    def replacing(self) -> bool:
        return queries.has_second_factor(self.request.user)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.replacing:
            form.fields["current_code"].required = True
            form.fields["code"].label = "Code the new app shows"
        else:
            del form.fields["current_code"]
        return form

    def form_valid(self, form):
        # Not through DomainErrorMixin's transaction: a wrong current code must count.
        try:
            device, codes = services.set_up_second_factor(
                self.request.user,
                self.key,
                form.cleaned_data["code"],
                current_code=form.cleaned_data.get("current_code", ""),
            )
        except TenantError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        del self.request.session[PENDING_KEY]
        _passed(self.request, device)
        return _recovery_codes(
            self.request, codes, "The second step is on: keep these recovery codes"
        )

    def get_context_data(self, **kwargs):
        app = TOTPDevice(user=self.request.user, key=self.key)
        secret = b32encode(app.bin_key).decode()
        return super().get_context_data(
            qr_code=segno.make(app.config_url, error="m").svg_inline(scale=4),
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            replacing=self.replacing,
            next=_comeback(self.request),
            **kwargs,
        )


class AccountSecondFactorView(WagtailAdminTemplateMixin, TemplateView):
    """The account's second step: on or off, recovery codes left, and the ways to
    change it."""

    template_name = "tenants/second_factor/account.html"
    page_title = "Two-step sign-in"
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            app=TOTPDevice.objects.filter(user=user, confirmed=True).first(),
            codes_left=StaticToken.objects.filter(device__user=user).count(),
            required=queries.second_factor_required(user),
            **kwargs,
        )


@never_cache
@require_POST
def renew_recovery_codes(request):
    form = CodeForm(request.POST)
    try:
        if not form.is_valid():
            raise TenantError("Enter a code from your app.", TenantErrorCode.WRONG_CODE)
        codes = services.renew_recovery_codes(request.user, form.cleaned_data["code"])
    except TenantError as error:
        messages.error(request, error.message)
        return redirect("tenants_second_factor")
    return _recovery_codes(request, codes, "Your new recovery codes")
