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
    # At the counter
    NOT_FOUND = "not_found"  # no piece or item by that code
    ALREADY_SOLD = "already_sold"  # another counter sold the piece first
    NOT_SELLABLE = "not_sellable"  # on memo, in repair, elsewhere, reserved…
    ALREADY_ON_SALE = "already_on_sale"  # the piece is a line of this sale
    SALE_CLOSED = "sale_closed"  # completed, voided, or at another counter
    EMPTY_SALE = "empty_sale"
    BAD_AMOUNT = "bad_amount"  # not a number, negative, too many decimals
    BAD_QUANTITY = "bad_quantity"
    DISCOUNT_TOO_LARGE = "discount_too_large"  # more than the price
    NEEDS_APPROVAL = "needs_approval"  # beyond the cap, no manager's approval
    APPROVAL_REFUSED = "approval_refused"  # wrong credentials, not a manager
    NOT_PERMITTED = "not_permitted"  # the role may not do this
    NOT_COVERED = "not_covered"  # the tenders do not meet the total
    OVERPAID = "overpaid"  # a card or transfer for more than is due
    PRICE_CHANGED = "price_changed"  # the total moved since the screen showed it
    NO_RATE = "no_rate"  # no rate today for the metal
    BAD_TRADE_IN = "bad_trade_in"  # weights, purity or rate that cannot be
    EXCESS_UNSETTLED = "excess_unsettled"  # a trade-in beyond the total, no choice
    PAYOUT_TOO_LARGE = "payout_too_large"
    NO_CUSTOMER = "no_customer"  # store credit needs a customer
    NOT_ENOUGH_CREDIT = "not_enough_credit"
    # After the sale
    NOT_RETURNABLE = "not_returnable"  # out of the window, returned already
    BAD_REFUND = "bad_refund"  # a tender the sale was not paid by, beyond it
    NOT_VOIDABLE = "not_voidable"  # another day, voided already
    # The till's day
    DAY_CLOSED = "day_closed"
    DAY_OPEN = "day_open"  # a day is open at the branch already


class SalesError(DomainError):
    """A sales operation was refused; nothing was written.

    `field` names the input the refusal is about ("email", "phone"...), so a form
    can show the message next to it; None when it is about no one field."""

    def __init__(self, message: str, code: StrEnum | str, field: str | None = None):
        super().__init__(message, code)
        self.field = field
