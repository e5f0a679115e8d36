"""A completed sale: its sheet, its receipt (80 mm) and invoice (A4), a return, a
void. All read the sale's frozen figures only: a receipt printed after the rates
changed shows exactly what was sold, at what."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets import HeaderButton

from back_office.sales import queries, services
from back_office.sales.admin.forms import ReturnForm, VoidForm
from back_office.sales.models import Sale
from back_office.tenancy.admin.views import RequirePermissionMixin, ServiceFormView
from back_office.tenancy.context import require_tenant


def _sale(pk) -> Sale:
    return get_object_or_404(
        Sale.objects.filter(status__in=[Sale.Status.COMPLETED, Sale.Status.VOIDED])
        .select_related("branch", "customer", "served_by", "voided_by", "day")
        .prefetch_related("lines", "tenders", "trade_ins", "returns__lines"),
        pk=pk,
    )


@dataclass(frozen=True)
class ReceiptLine:
    line: object
    breakdown: object
    specs: dict


def receipt_context(sale: Sale) -> dict:
    """What the sheet, the receipt and the invoice print: frozen figures only."""
    tenant = require_tenant()
    return {
        "sale": sale,
        "shop": tenant,
        "currency": sale.currency,
        "lines": [
            ReceiptLine(line, line.frozen_breakdown, line.specs)
            for line in sale.lines.all()
        ],
        "tenders": [t for t in sale.tenders.all() if t.kind != "trade_in"],
        "trade_ins": list(sale.trade_ins.all()),
        "returns": list(sale.returns.all()),
        "check_url": queries.receipt_check_url(sale),
        "check_qr": queries.receipt_check_qr(sale),
    }


class SaleIndexView(IndexView):
    """Completed and voided sales, newest first; sales being built are at the
    counter, not here."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(status__in=[Sale.Status.COMPLETED, Sale.Status.VOIDED])
            .select_related("branch", "customer", "served_by")
        )


class SaleInspectView(InspectView):
    template_name = "sales/sale_inspect.html"

    def get_object(self, queryset=None):
        return _sale(self.pk)

    def get_page_title(self):
        return f"Sale {self.object.number}"

    def get_page_subtitle(self):
        return self.object.get_status_display()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**receipt_context(self.object), **kwargs)

    @cached_property
    def header_buttons(self):
        sale, user = self.object, self.request.user
        buttons = [
            HeaderButton(
                "Receipt",
                url=reverse("sales:receipt", args=[sale.pk]),
                icon_name="doc-full",
                priority=10,
            ),
            HeaderButton(
                "Invoice (A4)",
                url=reverse("sales:invoice", args=[sale.pk]),
                icon_name="doc-full-inverse",
                priority=20,
            ),
        ]
        if sale.status == Sale.Status.COMPLETED:
            if user.has_perm("sales.refund_sale"):
                buttons.append(
                    HeaderButton(
                        "Return",
                        url=reverse("sales:return", args=[sale.pk]),
                        icon_name="undo",
                        priority=30,
                    )
                )
            if user.has_perm("sales.void_sale"):
                buttons.append(
                    HeaderButton(
                        "Void",
                        url=reverse("sales:void", args=[sale.pk]),
                        icon_name="cross",
                        priority=40,
                    )
                )
        return buttons

    @cached_property
    def header_more_buttons(self):
        return []  # a sale is never edited or deleted


class ReceiptView(RequirePermissionMixin, TemplateView):
    """The receipt on 80 mm thermal paper (`?print=1` opens the print dialog)."""

    permission_required = "sales.view_sale"
    template_name = "sales/receipt.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **receipt_context(_sale(self.kwargs["pk"])), **kwargs
        )


class InvoiceView(ReceiptView):
    """The same sale as an A4 invoice."""

    template_name = "sales/invoice.html"


class SaleActionView(ServiceFormView):
    """A change to one completed sale (the URL's), back to its sheet."""

    @cached_property
    def sale(self) -> Sale:
        return _sale(self.kwargs["pk"])

    def back_to_sheet(self, message: str):
        messages.success(self.request, message)
        return redirect("sales:inspect", self.sale.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sale=self.sale, currency=self.sale.currency, **kwargs
        )


class VoidSaleView(SaleActionView):
    permission_required = "sales.void_sale"
    form_class = VoidForm
    template_name = "sales/void_sale.html"

    def perform(self, form):
        sale = services.void_sale(
            self.sale, user=self.request.user, reason=form.cleaned_data["reason"]
        )
        return self.back_to_sheet(
            f"Sale {sale.number} is void: its pieces are back in stock."
        )


class ReturnSaleView(SaleActionView):
    permission_required = "sales.refund_sale"
    form_class = ReturnForm
    template_name = "sales/return_sale.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sale": self.sale}

    def perform(self, form):
        data = form.cleaned_data
        sale_return = services.return_lines(
            self.sale,
            form.quantities(),
            user=self.request.user,
            refund_kind=data["refund_kind"],
            refund_reference=data["refund_reference"],
            reason=data["reason"],
        )
        return self.back_to_sheet(
            f"Return {sale_return.reference} is recorded: refund "
            f"{sale_return.refund_total:,} {self.sale.currency} by "
            f"{sale_return.get_refund_kind_display().lower()}."
        )
