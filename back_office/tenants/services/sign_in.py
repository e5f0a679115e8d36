"""Staff sign-in: the second step (a code from an authenticator app, or a recovery
code) and the security events each shop keeps in its history.

Accounts are platform-wide, so an account's event (a sign-in, a lockout, a second
step set up) is written into the history of every shop the account works for; an
account that works for none (an operator's) has it in the platform's log.
"""

import logging
import re
import secrets

import django_otp
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from back_office.tenancy.queries import memberships_of
from back_office.tenants import queries
from back_office.tenants.errors import TenantError, TenantErrorCode

logger = logging.getLogger(__name__)
User = get_user_model()
Code = TenantErrorCode

#: Recovery codes given at a time; each works once.
RECOVERY_CODES = 10
AUTHENTICATOR_CODE = re.compile(r"\d{6}")


def record_security_event(
    user: User, action: str, *, by: User | None = None, data: dict | None = None
) -> None:
    """Write `action` about `user`'s account into the history of every shop the
    account works for (or the platform's log). `by` is who did it, if anyone."""
    data = data or {}
    memberships = memberships_of(user)
    for membership in memberships:
        log(instance=membership, action=action, user=by, data=data)
    if not memberships:
        log(instance=user, action=action, user=by, data=data)
    logger.info("%s: %s %s", action, user.get_username(), data or "")


def _normalized(code: str) -> str:
    # Apps show "123 456"; recovery codes are read aloud or typed in capitals.
    return re.sub(r"[\s-]", "", code).lower()


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


def set_up_second_factor(
    user: User, key: str, code: str, *, current_code: str = ""
) -> tuple[TOTPDevice, list[str]]:
    """Turn on the second step with the authenticator app that holds `key` (hex),
    proven by a `code` it shows now. Returns the app's device and the new recovery
    codes, shown once.

    An account that has the second step already replaces it only with a
    `current_code` of its current app (or a recovery code): a session left open is
    not enough to take the account over for good. That check counts towards the
    current device's throttling, so it runs before, not inside, the transaction."""
    device, totp = _new_app(user, key, code)
    if queries.has_second_factor(user):
        _prove_current(user, current_code)
    return _enrol(user, device, totp)


def _new_app(user: User, key: str, code: str) -> tuple[TOTPDevice, TOTP]:
    device = TOTPDevice(user=user, name="Authenticator app", key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code = _normalized(code)
    if not AUTHENTICATOR_CODE.fullmatch(code) or not totp.verify(
        int(code), device.tolerance
    ):
        raise TenantError(
            "That is not the code your app shows now. Check that the phone's clock "
            "is right and enter the newest code.",
            Code.WRONG_CODE,
        )
    return device, totp


def _prove_current(user: User, current_code: str) -> None:
    try:
        verify_second_factor(user, current_code)
    except TenantError as error:
        raise TenantError(
            f"Your current app's code or a recovery code: {error.message}",
            Code.WRONG_CODE,
        ) from error


@transaction.atomic
def _enrol(user: User, device: TOTPDevice, totp: TOTP) -> tuple[TOTPDevice, list]:
    # One set-up at a time per account (two tabs, a double click).
    User.objects.select_for_update().filter(pk=user.pk).first()
    replaced = queries.has_second_factor(user)
    TOTPDevice.objects.filter(user=user).delete()
    device.last_t = totp.t()
    device.save()
    codes = _new_recovery_codes(user)
    record_security_event(
        user,
        "tenants.second_factor.enrolled",
        by=user,
        data={"replacing an earlier app": "yes"} if replaced else None,
    )
    return device, codes


def renew_recovery_codes(user: User, current_code: str) -> list[str]:
    """New recovery codes for an account with the second step on, proven by a code
    of its app (or a recovery code); the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise TenantError("Set up the second step first.", Code.NO_SECOND_FACTOR)
    _prove_current(user, current_code)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        record_security_event(user, "tenants.second_factor.recovery_codes", by=user)
    return codes


def verify_second_factor(user: User, code: str) -> django_otp.models.Device:
    """The device that accepts `code`: the authenticator app for six digits, the
    recovery codes otherwise (a recovery code works once).

    Not one transaction of its own: a wrong code must count towards the device's
    throttling (each failure doubles the wait before the next try) even though the
    attempt is refused."""
    code = _normalized(code)
    model = TOTPDevice if AUTHENTICATOR_CODE.fullmatch(code) else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise TenantError("That code is not valid.", Code.WRONG_CODE)
    allowed, refusal = device.verify_is_allowed()
    if not allowed:
        wait = (refusal or {}).get("locked_until")
        seconds = max(1, round((wait - timezone.now()).total_seconds())) if wait else 1
        raise TenantError(
            f"Too many wrong codes: try again in {seconds} seconds.", Code.WRONG_CODE
        )
    verified = django_otp.verify_token(user, device.persistent_id, code)
    if verified is None:
        record_security_event(user, "tenants.second_factor.failed")
        raise TenantError("That code is not valid.", Code.WRONG_CODE)
    if model is StaticDevice:
        record_security_event(
            user,
            "tenants.second_factor.recovery_code_used",
            by=user,
            data={"recovery codes left": verified.token_set.count()},
        )
    return verified


@transaction.atomic
def reset_second_factor(user: User, *, reason: str) -> None:
    """An operator turns the second step off for an account that lost its phone and
    its recovery codes. The password is replaced by a random one too (which also
    ends the account's sessions): whoever holds the password may be why the phone
    is "lost", so the person proves the mailbox with "Forgotten password?", then
    sets the second step up again at the next sign-in."""
    reason = reason.strip()
    if not reason:
        raise TenantError(
            "Say why the second step is reset (it goes into the history).",
            Code.REASON_REQUIRED,
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.set_password(secrets.token_urlsafe(32))
    user.save(update_fields=["password"])
    record_security_event(user, "tenants.second_factor.reset", data={"reason": reason})
