"""Stock operations. Each one is a transaction that locks what it changes and writes
the new state together with its ledger entries (StockMovement), so on-hand
quantities always equal the ledger's sum.

Errors are StockError, with a message a shop assistant understands.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from back_office.inventory.models import (
    ON_HAND,
    Piece,
    StockItem,
    StockLevel,
    StockMovement,
)
from back_office.tenants.models import Branch

Kind = StockMovement.Kind
Status = Piece.Status


class StockError(Exception):
    """A stock operation was refused; the message says why."""


def _new_reference() -> str:
    return uuid.uuid4().hex[:12].upper()


def _record(kind, *, branch, delta, piece=None, item=None, user=None, **extra):
    return StockMovement.objects.create(
        kind=kind,
        piece=piece,
        item=item,
        branch=branch,
        quantity_delta=Decimal(delta),
        user=user,
        **extra,
    )


def _locked_piece(piece: Piece) -> Piece:
    return Piece.objects.select_for_update().get(pk=piece.pk)


def _move_piece(piece, allowed, action, new_status, kind, delta, **record):
    """Change a piece's status (and branch, when it comes back in) with its entry."""
    locked = _locked_piece(piece)
    if locked.status not in allowed:
        raise StockError(
            f"{locked.sku} is {locked.get_status_display().lower()}, "
            f"so it cannot be {action}."
        )
    locked.status = new_status
    if "branch" in record and delta > 0:
        locked.branch = record["branch"]
    locked.save(update_fields=["status", "branch", "updated_at"])
    record.setdefault("branch", locked.branch)
    _record(kind, piece=locked, delta=delta, **record)
    piece.refresh_from_db()
    return locked


# Pieces


@transaction.atomic
def receive_piece(piece: Piece, user=None, reference: str = "") -> Piece:
    """Take a new piece into stock at its branch."""
    piece.full_clean()
    piece.status = Status.IN_STOCK
    piece.save()
    _record(
        Kind.RECEIVED,
        piece=piece,
        branch=piece.branch,
        delta=1,
        user=user,
        reference=reference,
    )
    return piece


@transaction.atomic
def transfer_piece(piece: Piece, to_branch: Branch, user=None, reason="") -> Piece:
    locked = _locked_piece(piece)
    if locked.status != Status.IN_STOCK:
        raise StockError(
            f"{locked.sku} is {locked.get_status_display().lower()}; only pieces in "
            "stock can move between branches."
        )
    if locked.branch_id == to_branch.pk:
        raise StockError(f"{locked.sku} is already at {to_branch}.")
    reference = _new_reference()
    _record(
        Kind.TRANSFERRED,
        piece=locked,
        branch=locked.branch,
        delta=-1,
        user=user,
        reason=reason,
        reference=reference,
    )
    _record(
        Kind.TRANSFERRED,
        piece=locked,
        branch=to_branch,
        delta=1,
        user=user,
        reason=reason,
        reference=reference,
    )
    locked.branch = to_branch
    locked.save(update_fields=["branch", "updated_at"])
    piece.refresh_from_db()
    return locked


@transaction.atomic
def reserve_piece(piece: Piece, user=None, reference: str = "") -> Piece:
    return _move_piece(
        piece,
        [Status.IN_STOCK],
        "reserved",
        Status.RESERVED,
        Kind.RESERVED,
        0,
        user=user,
        reference=reference,
    )


@transaction.atomic
def release_piece(piece: Piece, user=None, reference: str = "") -> Piece:
    return _move_piece(
        piece,
        [Status.RESERVED],
        "released",
        Status.IN_STOCK,
        Kind.RELEASED,
        0,
        user=user,
        reference=reference,
    )


@transaction.atomic
def sell_piece(piece: Piece, user=None, reference: str = "") -> Piece:
    """Mark a piece sold. Two counters selling it at once: the second is refused."""
    return _move_piece(
        piece,
        [Status.IN_STOCK, Status.RESERVED],
        "sold",
        Status.SOLD,
        Kind.SOLD,
        -1,
        user=user,
        reference=reference,
    )


@transaction.atomic
def return_piece(piece: Piece, branch: Branch, user=None, reference="") -> Piece:
    """A customer brings a sold piece back, to `branch`."""
    return _move_piece(
        piece,
        [Status.SOLD],
        "returned",
        Status.IN_STOCK,
        Kind.RETURNED,
        1,
        branch=branch,
        user=user,
        reference=reference,
    )


@transaction.atomic
def memo_out(piece: Piece, user=None, reason: str = "", reference="") -> Piece:
    """Lend a piece on approval (to a customer or another dealer)."""
    return _move_piece(
        piece,
        [Status.IN_STOCK],
        "sent out on memo",
        Status.ON_MEMO,
        Kind.MEMO_OUT,
        -1,
        user=user,
        reason=reason,
        reference=reference,
    )


@transaction.atomic
def memo_in(piece: Piece, branch: Branch, user=None, reference="") -> Piece:
    return _move_piece(
        piece,
        [Status.ON_MEMO],
        "taken back from memo",
        Status.IN_STOCK,
        Kind.MEMO_IN,
        1,
        branch=branch,
        user=user,
        reference=reference,
    )


@transaction.atomic
def set_aside(piece: Piece, status: str, reason: str, user=None) -> Piece:
    """Take a piece out of saleable stock: into repair, or back to its vendor."""
    if status not in (Status.IN_REPAIR, Status.RETURNED_TO_VENDOR):
        raise StockError("A piece can only be set aside for repair or to its vendor.")
    if not reason.strip():
        raise StockError("Say why the piece is set aside.")
    return _move_piece(
        piece,
        [Status.IN_STOCK],
        "set aside",
        status,
        Kind.ADJUSTED,
        -1,
        user=user,
        reason=reason,
    )


@transaction.atomic
def back_in_stock(piece: Piece, branch: Branch, reason: str, user=None) -> Piece:
    """A piece set aside (repair, vendor) comes back into stock at `branch`."""
    return _move_piece(
        piece,
        [Status.IN_REPAIR, Status.RETURNED_TO_VENDOR],
        "taken back into stock",
        Status.IN_STOCK,
        Kind.ADJUSTED,
        1,
        branch=branch,
        user=user,
        reason=reason,
    )


# Quantity stock


def _locked_level(item: StockItem, branch: Branch) -> StockLevel:
    level, _ = StockLevel.objects.get_or_create(item=item, branch=branch)
    return StockLevel.objects.select_for_update().get(pk=level.pk)


def _quantity(value) -> Decimal:
    quantity = Decimal(value)
    if quantity <= 0:
        raise StockError("The quantity must be more than zero.")
    return quantity


def _change_level(item, branch, delta: Decimal, kind, **record) -> StockLevel:
    level = _locked_level(item, branch)
    if level.quantity + delta < 0:
        raise StockError(
            f"Only {level.quantity.normalize():f} {item.get_unit_display().lower()} "
            f"of {item.sku} at {branch}; cannot take {(-delta).normalize():f}."
        )
    level.quantity += delta
    level.save(update_fields=["quantity"])
    _record(kind, item=item, branch=branch, delta=delta, **record)
    return level


@transaction.atomic
def receive_stock(item, branch, quantity, user=None, reference="") -> StockLevel:
    return _change_level(
        item, branch, _quantity(quantity), Kind.RECEIVED, user=user, reference=reference
    )


@transaction.atomic
def sell_stock(item, branch, quantity, user=None, reference="") -> StockLevel:
    return _change_level(
        item, branch, -_quantity(quantity), Kind.SOLD, user=user, reference=reference
    )


@transaction.atomic
def return_stock(item, branch, quantity, user=None, reference="") -> StockLevel:
    return _change_level(
        item, branch, _quantity(quantity), Kind.RETURNED, user=user, reference=reference
    )


@transaction.atomic
def adjust_stock(item, branch, delta, reason: str, user=None) -> StockLevel:
    """Correct a count (breakage, miscount): `delta` may be negative; say why."""
    delta = Decimal(delta)
    if delta == 0:
        raise StockError("An adjustment must change the quantity.")
    if not reason.strip():
        raise StockError("Say why the quantity is adjusted.")
    return _change_level(item, branch, delta, Kind.ADJUSTED, user=user, reason=reason)


@transaction.atomic
def transfer_stock(item, from_branch, to_branch, quantity, user=None, reason=""):
    if from_branch.pk == to_branch.pk:
        raise StockError("Choose two different branches.")
    quantity = _quantity(quantity)
    reference = _new_reference()
    # Lock both levels in a fixed order so two opposite transfers cannot deadlock.
    for branch in sorted([from_branch, to_branch], key=lambda b: b.pk):
        _locked_level(item, branch)
    _change_level(
        item,
        from_branch,
        -quantity,
        Kind.TRANSFERRED,
        user=user,
        reason=reason,
        reference=reference,
    )
    _change_level(
        item,
        to_branch,
        quantity,
        Kind.TRANSFERRED,
        user=user,
        reason=reason,
        reference=reference,
    )


# Stock count


@dataclass
class StockCount:
    """The result of scanning a branch's pieces."""

    branch: Branch
    counted: list[Piece] = field(default_factory=list)
    missing: list[Piece] = field(default_factory=list)  # should be here, not scanned
    misplaced: list[Piece] = field(default_factory=list)  # scanned, belongs elsewhere
    unexpected: list[str] = field(default_factory=list)  # scanned, not in stock at all

    @property
    def is_clean(self) -> bool:
        return not (self.missing or self.misplaced or self.unexpected)


def count_stock(branch: Branch, scanned_skus: list[str]) -> StockCount:
    """Compare the SKUs scanned at a branch with what the ledger says is there."""
    scanned = {sku.strip().upper() for sku in scanned_skus if sku.strip()}
    result = StockCount(branch=branch)
    expected = Piece.objects.filter(branch=branch, status__in=ON_HAND)
    for piece in expected.order_by("sku"):
        (result.counted if piece.sku in scanned else result.missing).append(piece)
    known = {
        p.sku: p
        for p in Piece.objects.select_related("branch").filter(
            sku__in=scanned, status__in=ON_HAND
        )
    }
    for sku in sorted(scanned):
        piece = known.get(sku)
        if piece is None:
            result.unexpected.append(sku)
        elif piece.branch_id != branch.pk:
            result.misplaced.append(piece)
    return result
