"""Signals the inventory sends for changes that no model signal reports (bulk
updates): the storefront listens to them to show the change at once. And the
pieces' search entries, kept by the inventory itself (Piece.search_auto_update is
off): a move along the ledger (sold, reserved, transferred) changes no word a
customer searches for, and rewriting the entry cost a sale at the counter 30 ms
a piece."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from wagtail.search import index

#: Sent with `tenant` after pieces change in bulk (`QuerySet.update`).
pieces_changed = Signal()

#: A piece's fields that no search reads (the storefront filters by the first
#: three in SQL).
NOT_SEARCHED = frozenset({"status", "branch", "shown_on_storefront", "updated_at"})


def _piece_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= NOT_SEARCHED):
        return
    index.insert_or_update_object(instance)


def _piece_deleted(sender, instance, **kwargs):
    index.remove_object(instance)


def connect() -> None:
    from back_office.inventory.models import Piece

    post_save.connect(_piece_saved, sender=Piece, dispatch_uid="inventory-search")
    post_delete.connect(
        _piece_deleted, sender=Piece, dispatch_uid="inventory-search-delete"
    )
