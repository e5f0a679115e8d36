"""Changes to pieces that are not stock movements."""

from django.db import transaction
from django.utils import timezone

from back_office.inventory.models import Piece
from back_office.inventory.signals import pieces_changed
from back_office.tenancy.context import require_tenant


@transaction.atomic
def set_shown_on_storefront(pieces, shown: bool) -> int:
    """Show `pieces` on the storefront, or hide them; returns how many there were."""
    changed = Piece.objects.filter(pk__in=[piece.pk for piece in pieces]).update(
        shown_on_storefront=shown, updated_at=timezone.now()
    )
    pieces_changed.send(sender=Piece, tenant=require_tenant())
    return changed
