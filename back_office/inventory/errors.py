"""The inventory's refusals, each a DomainError with a stable code."""

from enum import StrEnum

from back_office.tenancy.errors import DomainError


class StockErrorCode(StrEnum):
    NOT_ALLOWED_NOW = "not_allowed_now"  # the piece's status does not allow the move
    SAME_BRANCH = "same_branch"
    REASON_REQUIRED = "reason_required"
    NOT_ENOUGH_STOCK = "not_enough_stock"
    TOO_MUCH = "too_much"
    QUANTITY_NOT_POSITIVE = "quantity_not_positive"
    WHOLE_PIECES = "whole_pieces"
    NO_CHANGE = "no_change"


class StockError(DomainError):
    """A stock operation was refused; nothing was written."""


class RateErrorCode(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    NOT_POSITIVE = "not_positive"
    TOO_LARGE = "too_large"
    UNKNOWN_METAL = "unknown_metal"
    NO_TIME_ZONE = "no_time_zone"
    INVALID = "invalid"
    UNCONFIRMED_CHANGE = "unconfirmed_change"
    ALREADY_CORRECTED = "already_corrected"
    NO_CHANGE = "no_change"
    REASON_REQUIRED = "reason_required"


class RateError(DomainError):
    """A metal rate could not be recorded."""


class PricingErrorCode(StrEnum):
    NO_RATE = "no_rate"
    UNKNOWN_MAKING_CHARGE = "unknown_making_charge"
    DISCOUNT_TOO_LARGE = "discount_too_large"


class PricingError(DomainError):
    """The piece cannot be priced (no rate for its metal, say)."""


class FeedErrorCode(StrEnum):
    """Why a provider's answer, or one of its rates, was refused: also the `reason`
    label of karat_metal_rate_fetch_failures_total."""

    NOT_CONFIGURED = "not_configured"
    REFUSED_HOST = "refused_host"
    CONNECTION = "connection"
    TIMEOUT = "timeout"
    HTTP_ERROR = "http_error"
    MALFORMED = "malformed"
    CURRENCY = "currency"
    INVALID_RATE = "invalid_rate"
    IMPLAUSIBLE = "implausible"


class FeedError(DomainError):
    """The rate provider's answer was unusable as a whole; nothing is stored.

    `detail` says what went wrong, for the log and operators; `message` is what the
    shop may see."""

    def __init__(self, message: str, code: StrEnum | str, detail: str = ""):
        super().__init__(message, code)
        self.detail = detail or message


class ImportRefused(DomainError):
    """A spreadsheet was not imported; `errors` says what to fix, line by line."""

    def __init__(self, errors: list):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors), "invalid_file")
