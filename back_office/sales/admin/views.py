"""The sales screens: a reservation's sheet, extending and cancelling it at the
counter, and the shop's sales policy.

All run as the signed-in shop: another shop's reservation is not found (the scoped
manager, and RLS behind it). Every change goes through a service; a refused one
comes back on the form (DomainErrorMixin).
"""

from datetime import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.widgets import HeaderButton

from back_office.inventory.admin.ledger import ledger_lines
from back_office.sales import queries, services
from back_office.sales.admin.forms import (
    CancelReservationForm,
    ExtendReservationForm,
    SalesPolicyForm,
)
from back_office.sales.models import Reservation
from back_office.tenancy.admin.localization import shop_time
from back_office.tenancy.admin.views import ServiceFormView

CHANGE = "sales.change_reservation"


def _reservations():
    return Reservation.objects.select_related("piece", "branch", "closed_by")


class ReservationIndexView(IndexView):
    """The listing: each row names its piece and pickup branch, read in one query."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("piece", "branch")


class ReservationInspectView(InspectView):
    """A reservation's sheet: who reserved what, where it is collected, the price
    held and until when, how it ended, and its piece's moves; with Extend and
    Cancel while it is open."""

    template_name = "sales/reservation_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(_reservations(), pk=self.pk)

    def get_page_title(self):
        return f"Reservation {self.object.reference}"

    def get_page_subtitle(self):
        return str(self.object.piece)

    def get_context_data(self, **kwargs):
        reservation = self.object
        movements = reservation.piece.movements.filter(
            reference=reservation.reference
        ).select_related("branch", "user")
        return super().get_context_data(
            reservation=reservation,
            piece_url=reverse(
                "wagtailsnippets_inventory_piece:inspect", args=[reservation.piece_id]
            ),
            quote=reservation.held_breakdown,
            currency=reservation.currency,
            hold=queries.describe_hold(reservation),
            rates=[
                {
                    "metal": metal,
                    "rate_per_gram": used["rate_per_gram"],
                    "effective_at": shop_time(
                        datetime.fromisoformat(used["effective_at"])
                    ),
                }
                for metal, used in reservation.rates.items()
            ],
            ledger=ledger_lines(movements),
            **kwargs,
        )

    @cached_property
    def header_buttons(self):
        if not (self.object.is_open and self.request.user.has_perm(CHANGE)):
            return []
        return [
            HeaderButton(
                "Extend",
                url=reverse("reservations:extend", args=[self.object.pk]),
                icon_name="time",
                priority=10,
            ),
            HeaderButton(
                "Cancel",
                url=reverse("reservations:cancel", args=[self.object.pk]),
                icon_name="cross",
                priority=20,
            ),
        ]

    @cached_property
    def header_more_buttons(self):
        return []  # reservations are never edited or deleted


class ReservationHistoryView(HistoryView):
    """A reservation's history; its header leads back to the sheet (Wagtail's
    would offer an Edit that reservations do not have)."""

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                "Reservation",
                url=reverse("reservations:inspect", args=[self.object.pk]),
                icon_name="calendar-check",
            )
        ]


class ReservationActionView(ServiceFormView):
    """A change of one open reservation (the URL's), back to its sheet."""

    permission_required = CHANGE

    @cached_property
    def reservation(self) -> Reservation:
        return get_object_or_404(_reservations(), pk=self.kwargs["pk"])

    def back_to_sheet(self, message: str):
        messages.success(self.request, message)
        return redirect("reservations:inspect", self.reservation.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reservation=self.reservation,
            held_until=shop_time(self.reservation.held_until),
            **kwargs,
        )


class ExtendReservationView(ReservationActionView):
    form_class = ExtendReservationForm
    template_name = "sales/extend_reservation.html"

    def perform(self, form):
        reservation = services.extend_reservation(
            self.reservation, hours=form.cleaned_data["hours"], user=self.request.user
        )
        return self.back_to_sheet(
            f"{reservation.reference} is now held until "
            f"{shop_time(reservation.held_until)}."
        )


class CancelReservationView(ReservationActionView):
    form_class = CancelReservationForm
    template_name = "sales/cancel_reservation.html"

    def perform(self, form):
        reservation = services.cancel_reservation(
            self.reservation, user=self.request.user, reason=form.cleaned_data["reason"]
        )
        return self.back_to_sheet(
            f"{reservation.reference} is cancelled: {reservation.piece.sku} is back "
            "on sale."
        )


class SalesPolicyView(ServiceFormView):
    """How the shop sells: reservation holds, discounts, trade-ins, payouts and
    returns (owners and managers)."""

    permission_required = "sales.change_salespolicy"
    form_class = SalesPolicyForm
    template_name = "sales/sales_policy.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": queries.sales_policy()}

    def perform(self, form):
        services.update_sales_policy(user=self.request.user, **form.cleaned_data)
        messages.success(self.request, "The sales policy is saved.")
        return redirect("sales_policy:edit")
