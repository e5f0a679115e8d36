"""Metals and their purity, in the jeweller's terms.

Purity is stored as fineness in parts per thousand (916 = 91.6 % pure). Gold is also
named by karat: 22K is stamped 916, 18K 750, 14K 585.
"""

from decimal import Decimal

from django.db import models


class Metal(models.TextChoices):
    GOLD = "gold", "Gold"
    SILVER = "silver", "Silver"
    PLATINUM = "platinum", "Platinum"
    PALLADIUM = "palladium", "Palladium"


#: The usual hallmark finenesses per metal, most common first.
STANDARD_FINENESS: dict[str, tuple[int, ...]] = {
    Metal.GOLD: (916, 750, 585, 999, 417, 375),
    Metal.SILVER: (925, 999, 958, 800),
    Metal.PLATINUM: (950, 900, 999),
    Metal.PALLADIUM: (950, 500),
}

#: Gold fineness stamps and the karat they mean.
GOLD_KARAT: dict[int, int] = {999: 24, 916: 22, 750: 18, 585: 14, 417: 10, 375: 9}


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


def fineness_ratio(fineness: int) -> Decimal:
    return Decimal(fineness) / Decimal(1000)


PURITY_CHOICES = [
    (f"{metal}:{fineness}", purity_label(metal, fineness))
    for metal, finenesses in STANDARD_FINENESS.items()
    for fineness in finenesses
]
