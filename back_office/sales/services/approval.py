"""A manager's approval at the counter, with their own credentials.

The assistant's screen asks the manager standing by for their email, password and,
if their account has one, the code of their authenticator app. The check goes
through Django's authentication (so Axes counts failures and locks out a guesser,
as at the sign-in page) and the second step; the manager must hold the permission
in this shop. The service that needs the approval checks that permission again.
"""

from django.contrib.auth import authenticate

from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.tenants import queries as tenant_queries
from back_office.tenants.errors import TenantError
from back_office.tenants.services import verify_second_factor

Code = SalesErrorCode


def approving_manager(request, *, email: str, password: str, code: str = ""):
    """The user whose credentials these are, once they prove to be someone who may
    approve discounts in the current shop."""
    user = authenticate(request, username=(email or "").strip(), password=password)
    if user is None:
        raise SalesError(
            "The manager's email or password is wrong.",
            Code.APPROVAL_REFUSED,
            "approval",
        )
    if tenant_queries.has_second_factor(user):
        try:
            verify_second_factor(user, code or "")
        except TenantError:
            raise SalesError(
                "The manager's code is wrong or used already.",
                Code.APPROVAL_REFUSED,
                "approval",
            ) from None
    if not user.has_perm("sales.approve_discount"):
        raise SalesError(
            f"{user.get_username()} may not approve discounts in this shop.",
            Code.APPROVAL_REFUSED,
            "approval",
        )
    return user
