from enum import StrEnum

from back_office.tenancy.errors import DomainError


class TenantErrorCode(StrEnum):
    INVALID_NAME = "invalid_name"
    SLUG_IN_USE = "slug_in_use"
    INVALID_DETAILS = "invalid_details"
    INVALID_HOSTNAME = "invalid_hostname"
    HOSTNAME_IN_USE = "hostname_in_use"
    NO_HOSTNAME = "no_hostname"
    INVALID_EMAIL = "invalid_email"
    UNKNOWN_ROLE = "unknown_role"
    LAST_OWNER = "last_owner"
    BRANCH_CODE_IN_USE = "branch_code_in_use"
    UNKNOWN_STATUS = "unknown_status"
    ALREADY_A_MEMBER = "already_a_member"
    INVITATION_NOT_VALID = "invitation_not_valid"
    WRONG_ACCOUNT = "wrong_account"
    ACCOUNT_EXISTS = "account_exists"
    PASSWORD_REFUSED = "password_refused"  # noqa: S105 - a code, not a password
    EMAIL_NOT_SENT = "email_not_sent"
    WRONG_CODE = "wrong_code"
    NO_SECOND_FACTOR = "no_second_factor"
    REASON_REQUIRED = "reason_required"
    NOT_THE_SHOPS = "not_the_shops"


class TenantError(DomainError):
    """A shop operation was refused (onboarding, staff, hostnames, branches)."""
