"""Bulk actions on the piece listing: select pieces, then act on all of them."""

from django.shortcuts import redirect
from django.utils.functional import classproperty
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from back_office.inventory import services
from back_office.inventory.admin.forms import BulkMoveForm
from back_office.inventory.admin.views import labels_url
from back_office.inventory.models import Piece
from back_office.tenancy.admin.views import DomainErrorMixin


class PieceBulkAction(SnippetBulkAction):
    """An action on the selected pieces; offered only to users who hold
    `permission_required` (tenancy's listing footer), and refused to others."""

    template_name = "inventory/bulk_actions/confirm.html"
    permission_required = "inventory.change_piece"

    @classproperty
    def models(cls):
        return [Piece]

    def check_perm(self, piece):
        return self.request.user.has_perm(self.permission_required)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": self}


class MoveToBranchBulkAction(DomainErrorMixin, PieceBulkAction):
    display_name = "Move to branch"
    action_type = "move_to_branch"
    aria_label = "Move the selected pieces to another branch"
    form_class = BulkMoveForm
    action_priority = 10

    def get_execution_context(self):
        return {
            "to_branch": self.cleaned_form.cleaned_data["to_branch"],
            "user": self.request.user,
        }

    @classmethod
    def execute_action(cls, pieces, to_branch, user):
        moved = services.transfer_pieces(pieces, to_branch, user, reason="Bulk move")
        return moved, 0

    def refusal_message(self, error):
        return f"{error.message} Nothing was moved."

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} piece(s) moved."


class PrintTagsBulkAction(PieceBulkAction):
    """Straight to the print page of the selected pieces' price tags."""

    display_name = "Print tags"
    action_type = "print_tags"
    aria_label = "Print price tags for the selected pieces"
    action_priority = 20
    permission_required = "inventory.view_piece"

    def get(self, request, *args, **kwargs):
        pieces, _ = self.get_actionable_objects()
        return redirect(labels_url([piece.pk for piece in pieces]))


class _StorefrontVisibility(PieceBulkAction):
    shown: bool

    @classmethod
    def execute_action(cls, pieces, **kwargs):
        return services.set_shown_on_storefront(pieces, cls.shown), 0


class ShowOnStorefrontBulkAction(_StorefrontVisibility):
    display_name = "Show on storefront"
    action_type = "show_on_storefront"
    aria_label = "Show the selected pieces on the storefront"
    shown = True

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} piece(s) shown on the storefront."


class HideFromStorefrontBulkAction(_StorefrontVisibility):
    display_name = "Hide from storefront"
    action_type = "hide_from_storefront"
    aria_label = "Hide the selected pieces from the storefront"
    shown = False

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} piece(s) hidden from the storefront."
