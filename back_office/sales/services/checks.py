"""What the sales services check in what staff and customers type: amounts,
quantities, names and contacts, reasons. Each refusal is a SalesError naming the
field, so a form shows it beside that field; nothing is written."""

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from back_office.inventory.models import MAX_QUANTITY
from back_office.inventory.pricing import minor_unit
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.tenancy.context import require_tenant

Code = SalesErrorCode

NAME_LENGTH = 120
MESSAGE_LENGTH = 1000
REASON_LENGTH = 200
REFERENCE_LENGTH = 60
PHONE_LENGTH = 32
EMAIL_LENGTH = 254
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().\-/]+$")
PHONE_DIGITS = (7, 15)  # a local number at the shortest, E.164 at the longest
#: The largest amount a sale takes (MONEY's 14 digits, 2 decimals).
MAX_AMOUNT = Decimal("999999999999.99")


def has_control_characters(text: str, allowed: str = "") -> bool:
    return any(
        unicodedata.category(character) == "Cc" and character not in allowed
        for character in text
    )


# `whose` words a refusal for who reads it: "The name…" for staff, "Your name…" for
# a storefront customer.


def one_line(value: str, field: str, label: str, whose: str = "The") -> str:
    """A name or a number on one line, spaces collapsed; refused with control
    characters (a NUL cannot even be stored)."""
    if has_control_characters(value or "", allowed="\t\n\r"):
        raise SalesError(
            f"{whose} {label} contains characters that cannot be kept: please type "
            "it again.",
            Code.INVALID,
            field,
        )
    return " ".join((value or "").split())


def name(value: str, field: str, whose: str = "The") -> str:
    text = one_line(value, field, "name", whose)
    if not text:
        raise SalesError(
            "Please tell us your name." if whose == "Your" else "Please give a name.",
            Code.NAME_REQUIRED,
            field,
        )
    if len(text) > NAME_LENGTH:
        raise SalesError(
            f"{whose} name is too long: {NAME_LENGTH} characters at most.",
            Code.TOO_LONG,
            field,
        )
    return text


def phone(value: str, whose: str = "The") -> str:
    text = one_line(value, "phone", "phone number", whose)
    if not text:
        return ""
    digits = sum(character.isdigit() for character in text)
    if (
        len(text) > PHONE_LENGTH
        or not PHONE_CHARACTERS.match(text)
        or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]
    ):
        raise SalesError(
            "Please check the phone number: digits, spaces and + - ( ) only, "
            f"{PHONE_DIGITS[0]} to {PHONE_DIGITS[1]} digits.",
            Code.INVALID_PHONE,
            "phone",
        )
    return text


def email(value: str, whose: str = "The") -> str:
    text = one_line(value, "email", "email address", whose)
    if not text:
        return ""
    try:
        if len(text) > EMAIL_LENGTH:
            raise ValidationError("too long")
        validate_email(text)
    except ValidationError:
        raise SalesError(
            "Please check the email address: it should look like name@example.com.",
            Code.INVALID_EMAIL,
            "email",
        ) from None
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def text(
    value: str, field: str, label: str, whose: str = "The", length=MESSAGE_LENGTH
) -> str:
    """Free text on several lines (a message, notes)."""
    if has_control_characters(value or "", allowed="\t\n\r"):
        raise SalesError(
            f"{whose} {label} contains characters that cannot be kept: please type "
            "it again.",
            Code.INVALID,
            field,
        )
    cleaned = (value or "").strip()
    if len(cleaned) > length:
        raise SalesError(
            f"{whose} {label} is too long: {length:,} characters at most.",
            Code.TOO_LONG,
            field,
        )
    return cleaned


def reason(value: str, field: str = "reason", *, what: str) -> str:
    """Why something is done, required, on one line: "Say why {what}."."""
    if has_control_characters(value or "", allowed="\t\n\r"):
        raise SalesError(
            "The reason contains characters that cannot be kept: type it again.",
            Code.INVALID,
            field,
        )
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise SalesError(f"Say why {what}.", Code.REASON_REQUIRED, field)
    if len(cleaned) > REASON_LENGTH:
        raise SalesError(
            f"Keep the reason to {REASON_LENGTH} characters.", Code.TOO_LONG, field
        )
    return cleaned


def reference(value: str, field: str = "reference", *, required_for: str = "") -> str:
    """A card slip's or a transfer's reference."""
    cleaned = one_line(value, field, "reference")
    if required_for and not cleaned:
        raise SalesError(
            f"Enter the {required_for}'s reference.", Code.REASON_REQUIRED, field
        )
    if len(cleaned) > REFERENCE_LENGTH:
        raise SalesError(
            f"Keep the reference to {REFERENCE_LENGTH} characters.",
            Code.TOO_LONG,
            field,
        )
    return cleaned


NUMBER = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,6})?")


def decimal(value, field: str, label: str) -> Decimal:
    """A number as people write one, from a form's Decimal or typed text
    ("1,250.50"); no exponent, infinity or NaN."""
    if isinstance(value, Decimal) and value.is_finite():
        value = f"{value:f}"
    typed = str(value).strip().replace(",", "")
    if not NUMBER.fullmatch(typed):
        raise SalesError(
            f"The {label} must be a number, like 1250.50.", Code.BAD_AMOUNT, field
        )
    return Decimal(typed)


def amount(
    value, field: str = "amount", label: str = "amount", *, positive=True
) -> Decimal:
    """Money in the shop's currency: not negative (above zero if `positive`), in
    whole minor units (cents), within what a sale can hold."""
    number = decimal(value, field, label)
    currency = require_tenant().currency
    if number < 0 or (positive and number == 0):
        raise SalesError(
            f"The {label} must be more than zero."
            if positive
            else f"The {label} cannot be negative.",
            Code.BAD_AMOUNT,
            field,
        )
    if number > MAX_AMOUNT:
        raise SalesError(f"The {label} is too large.", Code.BAD_AMOUNT, field)
    if number != number.quantize(minor_unit(currency)):
        raise SalesError(
            f"The {label} has more decimals than {currency} has.",
            Code.BAD_AMOUNT,
            field,
        )
    return number


def percent(
    value, field: str, label: str, *, below: int = 101, code=Code.BAD_AMOUNT
) -> Decimal:
    """A percentage from 0 (to 100, or under `below`), to two decimals."""
    number = decimal(value, field, label)
    if not 0 <= number < below or number != number.quantize(Decimal("0.01")):
        top = "100" if below == 101 else f"less than {below}"
        raise SalesError(
            f"The {label} must be from 0 to {top} %, to two decimals.", code, field
        )
    return number


def weight(value, field: str, label: str, *, positive=True) -> Decimal:
    """Grams to the milligram, as a jeweller's scale reads them."""
    number = decimal(value, field, label)
    if number < 0 or (positive and number == 0) or number > MAX_QUANTITY:
        raise SalesError(
            f"The {label} must be more than 0 g."
            if positive
            else f"The {label} cannot be negative.",
            Code.BAD_TRADE_IN,
            field,
        )
    if number != number.quantize(Decimal("0.001")):
        raise SalesError(
            f"Weigh the {label} to the milligram (three decimals).",
            Code.BAD_TRADE_IN,
            field,
        )
    return number


def quantity(value, whole: bool) -> Decimal:
    number = decimal(value, "quantity", "quantity")
    if (
        number <= 0
        or number > MAX_QUANTITY
        or number != number.quantize(Decimal("0.001"))
    ):
        raise SalesError(
            "The quantity must be more than zero, to three decimals at most.",
            Code.BAD_QUANTITY,
            "quantity",
        )
    if whole and number != number.to_integral_value():
        raise SalesError(
            "This item is counted in pieces: use a whole number.",
            Code.BAD_QUANTITY,
            "quantity",
        )
    return number
