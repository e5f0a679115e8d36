"""The piece ViewSet's own views: listing search, creation through the ledger, and
the inspect page with today's price and the stock history."""

from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import CreateView, IndexView, InspectView

from back_office.inventory import queries, services
from back_office.inventory.models import Piece
from back_office.inventory.pricing import PricingError


class PieceIndexView(IndexView):
    def search_queryset(self, queryset):
        if self.is_searching:
            scanned = queryset.filter(sku=self.search_query.strip().upper())
            if scanned.exists():  # a barcode scan: that piece and no other
                return scanned
        # Searching stones' certificate numbers joins; list each piece once.
        return super().search_queryset(queryset).distinct()


class PieceCreateView(CreateView):
    """A new piece enters stock through receive_piece, which writes the ledger."""

    def save_instance(self):
        piece = self.form.save(commit=False)
        services.receive_piece(piece, user=self.request.user)
        log(instance=piece, action="wagtail.create", user=self.request.user)
        self.new_revision = None
        return piece


class PieceInspectView(InspectView):
    """A piece with today's price breakdown and its ledger history."""

    template_name = "inventory/piece_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        piece = self.object
        try:
            context["breakdown"] = queries.price_of(piece)
        except PricingError as error:
            context["price_error"] = str(error)
        context["movements"] = piece.movements.select_related("branch", "user")[:50]
        context["stones"] = piece.stones.all()
        context["photos"] = piece.photos.select_related("image")
        return context

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.status == Piece.Status.IN_STOCK:
            buttons.append(
                HeaderButton(
                    "Transfer",
                    url=reverse("inventory_transfer_piece", args=[self.object.pk]),
                    icon_name="arrow-right",
                    priority=30,
                )
            )
        return buttons
