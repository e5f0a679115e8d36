"""Stock operations. Each one is a transaction that locks what it changes and writes
the new state together with its ledger entries (StockMovement), so on-hand
quantities always equal the ledger's sum.

A piece moves through its lifecycle by `move_piece`, which follows the table
models.PIECE_TRANSITIONS; receiving and transferring are the two moves with more to
them. Errors are StockError, with a message a shop assistant understands.
"""

import uuid
from contextlib import nullcontext
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.signal_handlers import (
    disable_reference_index_auto_update,
    reference_index_auto_update_disabled,
)

from back_office.inventory.errors import StockError, StockErrorCode
from back_office.inventory.models import (
    MAX_QUANTITY,
    ON_HAND,
    PIECE_TRANSITIONS,
    Category,
    Piece,
    StockCount,
    StockItem,
    StockLevel,
    StockMovement,
    StockUnit,
)
from back_office.inventory.purity import Metal, purity_label
from back_office.inventory.queries import count_stock
from back_office.inventory.signals import pieces_changed
from back_office.tenancy.context import require_tenant
from back_office.tenants.models import Branch

Kind = StockMovement.Kind
Status = Piece.Status
Code = StockErrorCode

#: How a refusal names each move: "R00001 is sold, so it cannot be sold."
DOING = {
    Kind.TRANSFERRED: "moved to another branch",
    Kind.RESERVED: "reserved",
    Kind.RELEASED: "released",
    Kind.SOLD: "sold",
    Kind.RETURNED: "returned",
    Kind.MEMO_OUT: "sent out on memo",
    Kind.MEMO_IN: "taken back from memo",
    Kind.REPAIR_OUT: "sent for repair",
    Kind.REPAIR_IN: "taken back from repair",
    Kind.VENDOR_OUT: "returned to its vendor",
    Kind.VENDOR_IN: "taken back from its vendor",
    Kind.WRITTEN_OFF: "written off",
}
#: Moves that take a piece out of saleable stock need a reason on the ledger.
NEEDS_REASON = {Kind.REPAIR_OUT, Kind.VENDOR_OUT, Kind.WRITTEN_OFF}


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


def _references_left_alone():
    """Wagtail's switch that leaves its reference index alone; it cannot be
    nested (its exit would turn off an outer one's), so it is only entered when
    off (the demo's seeding turns it on around everything)."""
    if getattr(reference_index_auto_update_disabled, "value", False):
        return nullcontext()
    return disable_reference_index_auto_update()


def _locked_piece(piece: Piece, kind: str) -> Piece:
    """The piece, locked, once the move is known to be allowed from its status."""
    locked = (
        Piece.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=piece.pk)
    )
    if (locked.status, kind) not in PIECE_TRANSITIONS:
        raise StockError(
            f"{locked.sku} is {locked.get_status_display().lower()}, "
            f"so it cannot be {DOING[kind]}.",
            Code.NOT_ALLOWED_NOW,
        )
    return locked


# Pieces


@transaction.atomic
def receive_piece(piece: Piece, user=None, reference: str = "") -> Piece:
    """Take a new piece into stock at its branch. A piece someone (`user`) enters is
    also written to the audit log, as Wagtail logs what its screens create."""
    piece.full_clean()
    piece.status = Status.IN_STOCK
    piece.save()
    if user is not None:
        log(instance=piece, action="wagtail.create", user=user)
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
def move_piece(
    piece: Piece,
    kind: str,
    *,
    branch: Branch | None = None,
    user=None,
    reason: str = "",
    reference: str = "",
) -> Piece:
    """Move a piece along its lifecycle (reserve, sell, send on memo, for repair...)
    and write the ledger entry: -1 when it leaves the shop, +1 when it comes back
    (to `branch`, by default the one it left), 0 when it stays.

    `piece` gets its new status and branch.
    """
    if kind not in DOING or kind == Kind.TRANSFERRED:
        raise ValueError(f"{kind!r} is not a move of a piece along its lifecycle.")
    if kind in NEEDS_REASON and not reason.strip():
        raise StockError(f"Say why {piece.sku} is {DOING[kind]}.", Code.REASON_REQUIRED)
    locked = _locked_piece(piece, kind)
    new_status = PIECE_TRANSITIONS[(locked.status, kind)]
    delta = (new_status in ON_HAND) - (locked.status in ON_HAND)
    moved = delta > 0 and branch is not None and branch.pk != locked.branch_id
    if moved:
        locked.branch = branch
    locked.status = new_status
    # A status names nothing: Wagtail's "used by" index is rewritten only when the
    # piece comes back to another branch.
    with nullcontext() if moved else _references_left_alone():
        locked.save(update_fields=["status", "branch", "updated_at"])
    _record(
        kind,
        piece=locked,
        branch=locked.branch,
        delta=delta,
        user=user,
        reason=reason,
        reference=reference,
    )
    piece.status, piece.branch = locked.status, locked.branch
    piece.updated_at = locked.updated_at
    return locked


@transaction.atomic
def move_pieces(pieces, kind: str, *, user=None, reason: str = "", reference=""):
    """Move several pieces along their lifecycle at once (a sale's): locked in id
    order, each move checked as `move_piece` checks it, then one update per new
    status and one insert of their ledger entries; all of them or none. The
    pieces stay at their branches. Each of `pieces` gets its new status."""
    if kind not in DOING or kind == Kind.TRANSFERRED:
        raise ValueError(f"{kind!r} is not a move of a piece along its lifecycle.")
    if kind in NEEDS_REASON and not reason.strip():
        raise StockError(f"Say why the pieces are {DOING[kind]}.", Code.REASON_REQUIRED)
    locked = list(
        Piece.objects.select_for_update()
        .filter(pk__in=[piece.pk for piece in pieces])
        .order_by("pk")
    )
    for piece in locked:
        if (piece.status, kind) not in PIECE_TRANSITIONS:
            raise StockError(
                f"{piece.sku} is {piece.get_status_display().lower()}, "
                f"so it cannot be {DOING[kind]}.",
                Code.NOT_ALLOWED_NOW,
            )
    now, tenant = timezone.now(), require_tenant()
    moved = {piece.pk: PIECE_TRANSITIONS[(piece.status, kind)] for piece in locked}
    for status in set(moved.values()):
        Piece.objects.filter(
            pk__in=[pk for pk, new in moved.items() if new == status]
        ).update(status=status, updated_at=now)
    StockMovement.objects.bulk_create(
        StockMovement(
            tenant=tenant,
            kind=kind,
            piece=piece,
            branch_id=piece.branch_id,
            quantity_delta=Decimal(
                (moved[piece.pk] in ON_HAND) - (piece.status in ON_HAND)
            ),
            user=user,
            reason=reason,
            reference=reference,
        )
        for piece in locked
    )
    # A bulk update sends no model signal: the storefront hears of it here.
    pieces_changed.send(sender=Piece, tenant=tenant)
    for piece in pieces:
        piece.status, piece.updated_at = moved[piece.pk], now


@transaction.atomic
def transfer_piece(piece: Piece, to_branch: Branch, user=None, reason="") -> Piece:
    """Move a piece in stock to another branch: one entry out, one in."""
    locked = _locked_piece(piece, Kind.TRANSFERRED)
    if locked.branch_id == to_branch.pk:
        raise StockError(f"{locked.sku} is already at {to_branch}.", Code.SAME_BRANCH)
    reference = _new_reference()
    for branch, delta in [(locked.branch, -1), (to_branch, 1)]:
        _record(
            Kind.TRANSFERRED,
            piece=locked,
            branch=branch,
            delta=delta,
            user=user,
            reason=reason,
            reference=reference,
        )
    locked.branch = to_branch
    locked.save(update_fields=["branch", "updated_at"])
    piece.refresh_from_db()
    return locked


@transaction.atomic
def transfer_pieces(pieces, to_branch: Branch, user=None, reason="") -> int:
    """Move several pieces to `to_branch`, all of them or none; pieces already there
    stay as they are. Returns how many moved."""
    moving = sorted(
        (piece for piece in pieces if piece.branch_id != to_branch.pk),
        key=lambda piece: piece.pk,  # one locking order: no deadlock between two
    )
    for piece in moving:
        transfer_piece(piece, to_branch, user=user, reason=reason)
    return len(moving)


@transaction.atomic
def record_count(branch: Branch, scanned_skus: list[str], user=None) -> StockCount:
    """Keep a count of the pieces at `branch`: what was scanned and what it found."""
    result = count_stock(branch, scanned_skus)
    return StockCount.objects.create(
        branch=branch,
        counted_by=user,
        scanned=[sku.strip().upper() for sku in scanned_skus if sku.strip()],
        found=result.as_record(),
    )


# Quantity stock


def _locked_level(item: StockItem, branch: Branch) -> StockLevel:
    """The item's level at the branch, locked (made, at zero, the first time)."""
    levels = StockLevel.objects.select_for_update().filter(item=item, branch=branch)
    level = levels.first()
    if level is None:
        StockLevel.objects.get_or_create(item=item, branch=branch)
        level = levels.get()
    return level


def _quantity(value) -> Decimal:
    quantity = Decimal(value)
    if quantity <= 0:
        raise StockError(
            "The quantity must be more than zero.", Code.QUANTITY_NOT_POSITIVE
        )
    return quantity


def _change_level(item, branch, delta: Decimal, kind, **record) -> StockLevel:
    if item.unit == StockUnit.PIECE and delta != delta.to_integral_value():
        raise StockError(
            f"{item.sku} is counted in pieces: use a whole number.",
            Code.WHOLE_PIECES,
        )
    level = _locked_level(item, branch)
    if level.quantity + delta > MAX_QUANTITY:
        raise StockError(
            f"{item.sku} at {branch} cannot hold more than "
            f"{MAX_QUANTITY.normalize():,f} {item.get_unit_display().lower()}.",
            Code.TOO_MUCH,
        )
    if level.quantity + delta < 0:
        raise StockError(
            f"Only {level.quantity.normalize():f} {item.get_unit_display().lower()} "
            f"of {item.sku} at {branch}; cannot take {(-delta).normalize():f}.",
            Code.NOT_ENOUGH_STOCK,
        )
    level.quantity += delta
    level.save(update_fields=["quantity"])
    _record(kind, item=item, branch=branch, delta=delta, **record)
    return level


@transaction.atomic
def receive_stock(
    item, branch, quantity, user=None, reference="", note=""
) -> StockLevel:
    """Take delivery of `quantity` at `branch`; the note (supplier, delivery note)
    stays on the ledger."""
    return _change_level(
        item,
        branch,
        _quantity(quantity),
        Kind.RECEIVED,
        user=user,
        reference=reference,
        reason=note,
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
        raise StockError("An adjustment must change the quantity.", Code.NO_CHANGE)
    if not reason.strip():
        raise StockError("Say why the quantity is adjusted.", Code.REASON_REQUIRED)
    return _change_level(item, branch, delta, Kind.ADJUSTED, user=user, reason=reason)


@transaction.atomic
def transfer_stock(
    item, from_branch, to_branch, quantity, user=None, reason=""
) -> tuple[StockLevel, StockLevel]:
    """Move `quantity` between branches: the two levels after the move."""
    if from_branch.pk == to_branch.pk:
        raise StockError("Choose two different branches.", Code.SAME_BRANCH)
    quantity = _quantity(quantity)
    reference = _new_reference()
    # Lock both levels in a fixed order so two opposite transfers cannot deadlock.
    for branch in sorted([from_branch, to_branch], key=lambda b: b.pk):
        _locked_level(item, branch)
    left = _change_level(
        item,
        from_branch,
        -quantity,
        Kind.TRANSFERRED,
        user=user,
        reason=reason,
        reference=reference,
    )
    arrived = _change_level(
        item,
        to_branch,
        quantity,
        Kind.TRANSFERRED,
        user=user,
        reason=reason,
        reference=reference,
    )
    return left, arrived


# Old metal bought in


def old_metal_lot(metal: str, fineness: int) -> StockItem:
    """The shop's lot of old metal of this purity (made the first time): an item
    counted in grams, under the category "Old metal", never sold at the counter."""
    category, _ = Category.objects.get_or_create(
        slug="old-metal", defaults={"name": "Old metal"}
    )
    lot, _ = StockItem.objects.get_or_create(
        sku=f"OLD-{Metal(metal).name}-{fineness}",
        defaults={
            "title": f"Old {purity_label(metal, fineness)}",
            "category": category,
            "unit": StockUnit.GRAM,
            "metal": metal,
            "fineness": fineness,
            "unit_price": Decimal(0),
            "kind": StockItem.Kind.OLD_METAL,
        },
    )
    return lot


@transaction.atomic
def receive_old_metal(
    metal: str, fineness: int, weight_g, branch, user=None, reference="", note=""
) -> StockItem:
    """Take old metal bought from a customer into its lot at `branch`, through the
    ledger; returns the lot."""
    lot = old_metal_lot(metal, fineness)
    receive_stock(lot, branch, weight_g, user=user, reference=reference, note=note)
    return lot
