"""The stock ledger as a person reads it, on a piece's sheet and an item's stock
screen: a transfer's two entries (out of one branch, into the other) are one line,
"Main Street → Riverside Mall", and the transfer's internal reference is not shown."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from wagtail.admin.utils import get_user_display_name

from back_office.inventory.models import StockMovement

Kind = StockMovement.Kind


@dataclass(frozen=True)
class LedgerLine:
    when: datetime
    what: str
    where: str
    quantity: str  # "+10", "−2"; a transfer, which changes no total: "10"
    by: str
    note: str


def ledger_lines(movements) -> list[LedgerLine]:
    """`movements` (newest first, with branch and user) as lines to read."""
    movements = list(movements)
    transfers: dict[str, list[StockMovement]] = {}
    for movement in movements:
        if movement.kind == Kind.TRANSFERRED:
            transfers.setdefault(movement.reference, []).append(movement)
    lines = []
    for movement in movements:
        note = movement.reason
        if movement.kind == Kind.TRANSFERRED:
            legs = transfers.pop(movement.reference, None)
            if legs is None:
                continue  # the transfer's other leg, already shown
            out = next((leg for leg in legs if leg.quantity_delta < 0), None)
            into = next((leg for leg in legs if leg.quantity_delta > 0), None)
            where = " → ".join(str(leg.branch) for leg in (out, into) if leg)
            what = "Moved"
            quantity = f"{(into or out).quantity_delta.copy_abs().normalize():f}"
        else:
            where, what = str(movement.branch), movement.get_kind_display()
            quantity = _signed(movement.quantity_delta)
            if movement.reference:
                note = " · ".join(part for part in (note, movement.reference) if part)
        lines.append(
            LedgerLine(
                when=movement.created_at,
                what=what,
                where=where,
                quantity=quantity,
                by=get_user_display_name(movement.user) if movement.user else "–",
                note=note,
            )
        )
    return lines


def _signed(delta: Decimal) -> str:
    text = f"{delta.copy_abs().normalize():f}"
    return f"+{text}" if delta > 0 else f"−{text}" if delta < 0 else text
