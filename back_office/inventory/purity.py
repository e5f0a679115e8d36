"""Metals and their purity, in the jeweller's terms.

Purity is stored as fineness in parts per thousand (916 = 91.6 % pure). Gold is also
named by karat: 22K is stamped 916, 18K 750, 14K 585.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models


class Metal(models.TextChoices):
    GOLD = "gold", "Gold"
    SILVER = "silver", "Silver"
    PLATINUM = "platinum", "Platinum"
    PALLADIUM = "palladium", "Palladium"


#: The standard hallmark finenesses per metal, purest first.
STANDARD_FINENESS: dict[str, tuple[int, ...]] = {
    Metal.GOLD: (999, 916, 875, 750, 585, 417, 375),
    Metal.SILVER: (999, 958, 925, 900, 800),
    Metal.PLATINUM: (999, 950, 900, 850),
    Metal.PALLADIUM: (999, 950, 500),
}

#: Gold fineness stamps and the karat they mean.
GOLD_KARAT: dict[int, int] = {
    999: 24,
    916: 22,
    875: 21,
    750: 18,
    585: 14,
    417: 10,
    375: 9,
}
KARAT_FINENESS: dict[int, int] = {k: fineness for fineness, k in GOLD_KARAT.items()}
KARAT_MARKS = ("kt", "ct", "k")


def karat(fineness: int) -> int | None:
    """The karat of a gold fineness stamp (916 -> 22), or None if not a standard one."""
    return GOLD_KARAT.get(fineness)


def purity_label(metal: str, fineness: int) -> str:
    """How a jeweller says it: "22K gold (916)", "Sterling silver (925)"."""
    if metal == Metal.GOLD and karat(fineness):
        return f"{karat(fineness)}K gold ({fineness})"
    if metal == Metal.SILVER and fineness == 925:
        return "Sterling silver (925)"
    return f"{Metal(metal).label} {fineness}"


def is_standard(metal: str, fineness: int) -> bool:
    return fineness in STANDARD_FINENESS.get(metal, ())


def parse_purity(text: str, metal: str | None = None) -> int:
    """The fineness a jeweller's spelling of purity means: "916", "916‰", or a gold
    karat ("22K", "22 kt", "22ct"). One parser for the piece form and the import.

    Raises ValidationError with a message for the shop: a karat on another metal
    than gold, a karat no hallmark uses, or anything else that is not 1 to 999."""
    spelled = str(text).strip().lower().replace(" ", "").removesuffix("‰")
    for mark in KARAT_MARKS:
        number = spelled.removesuffix(mark)
        if number != spelled and number.isascii() and number.isdecimal():
            if metal and metal != Metal.GOLD:
                raise ValidationError(f'"{text}" is a karat: gold only')
            if int(number) not in KARAT_FINENESS:
                known = ", ".join(f"{k}K" for k in sorted(KARAT_FINENESS))
                raise ValidationError(f'"{text}" is not a standard karat ({known})')
            return KARAT_FINENESS[int(number)]
    if not (spelled.isascii() and spelled.isdecimal()) or not 1 <= int(spelled) <= 999:
        raise ValidationError(
            f'"{text}" is not a fineness (1 to 999, e.g. 916) or a karat (22K)'
        )
    return int(spelled)


def fineness_ratio(fineness: int) -> Decimal:
    return Decimal(fineness) / Decimal(1000)


PURITY_CHOICES = [
    (f"{metal}:{fineness}", purity_label(metal, fineness))
    for metal, finenesses in STANDARD_FINENESS.items()
    for fineness in finenesses
]
