"""The refusals of sales, each a DomainError with a stable code."""

from enum import StrEnum

from back_office.tenancy.errors import DomainError


class SalesErrorCode(StrEnum):
    ALREADY_RESERVED = "already_reserved"  # another customer holds the piece
    NOT_AVAILABLE = "not_available"  # sold, hidden, away: not to be reserved
    NO_PRICE = "no_price"  # the piece cannot be priced now (no rate for its metal)
    NAME_REQUIRED = "name_required"
    CONTACT_REQUIRED = "contact_required"  # neither a phone number nor an email
    INVALID_EMAIL = "invalid_email"
    INVALID_PHONE = "invalid_phone"
    TOO_LONG = "too_long"
    UNKNOWN_BRANCH = "unknown_branch"
    INVALID = "invalid"  # a value that cannot be stored (control characters, hours)
    NOT_OPEN = "not_open"  # collected, cancelled or expired already
    HOLD_TOO_LONG = "hold_too_long"
    REASON_REQUIRED = "reason_required"


class SalesError(DomainError):
    """A sales operation was refused; nothing was written.

    `field` names the input the refusal is about ("email", "phone"...), so a form
    can show the message next to it; None when it is about no one field."""

    def __init__(self, message: str, code: StrEnum | str, field: str | None = None):
        super().__init__(message, code)
        self.field = field
