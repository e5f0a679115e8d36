"""Signals the inventory sends for changes that no model signal reports (bulk
updates): the storefront listens to them to show the change at once."""

from django.dispatch import Signal

#: Sent with `tenant` after pieces change in bulk (`QuerySet.update`).
pieces_changed = Signal()
