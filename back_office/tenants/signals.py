"""Sign-ins, failed sign-ins and lockouts, recorded in the history of the shops the
account works for (services.record_security_event)."""

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

from back_office.tenants import queries
from back_office.tenants.services import record_security_event


def attempted_username(request, credentials: dict | None) -> str:
    """The account a sign-in attempt names, as Axes counts it: "Owner@Shop.test "
    and "owner@shop.test" are one account's attempts."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or {}).get(field)
    if username is None and request is not None:
        username = request.POST.get(field, "")
    return str(username or "").strip().lower()


def _cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def _address(request) -> str:
    return get_client_ip_address(request) if request is not None else ""


@receiver(user_logged_in, dispatch_uid="tenants.signed_in")
def record_sign_in(sender, request, user, **kwargs):
    record_security_event(
        user, "tenants.signed_in", by=user, data={"address": _address(request)}
    )


@receiver(user_login_failed, dispatch_uid="tenants.sign_in_failed")
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    if getattr(request, "axes_locked_out", False):
        return  # refused by the lockout, which is recorded once
    user = queries.account_named(attempted_username(request, credentials))
    if user is not None:
        record_security_event(
            user, "tenants.sign_in_failed", data={"address": _address(request)}
        )


@receiver(user_locked_out, dispatch_uid="tenants.locked_out")
def record_lockout(sender, request, username, ip_address, **kwargs):
    user = queries.account_named(username or "")
    # Axes signals every attempt refused during a lockout: record it once.
    once = f"tenants:lockout-recorded:{username}:{ip_address}"
    if user is not None and cache.add(once, 1, _cooloff_seconds()):
        record_security_event(user, "tenants.locked_out", data={"address": ip_address})
