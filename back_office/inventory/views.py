"""Admin tools beside the ViewSets: transfer a piece, count stock, print price tags,
import a spreadsheet.

Their URLs are registered by wagtail_hooks.py (`urls()`), under /admin/inventory/.
All run as the signed-in shop: pieces, branches and categories of other shops are
out of reach through the scoped managers (and RLS behind them).
"""

import zoneinfo
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import permission_required

from back_office.inventory import labels, queries, services
from back_office.inventory.admin_forms import (
    QuantityOperationForm,
    StockCountForm,
    TransferForm,
)
from back_office.inventory.importing import COLUMNS, ImportRefused, import_pieces
from back_office.inventory.models import Piece, StockItem
from back_office.inventory.pricing import PricingError
from back_office.tenants.context import require_tenant


def labels_url(piece_ids, size: str = "") -> str:
    """The print page of these pieces' tags (for a bulk action or a button)."""
    query = [("id", int(pk)) for pk in piece_ids]
    if size:
        query.append(("size", size))
    return f"{reverse('inventory_labels')}?{urlencode(query)}"


def _requested_ids(request) -> list[int]:
    ids = []
    for value in request.GET.getlist("id"):
        try:
            ids.append(int(value))
        except ValueError:
            continue  # a mangled id finds nothing, like another shop's
    return ids


@require_http_methods(["GET"])
@permission_required("inventory.view_piece")
def print_labels(request):
    """A print-ready page of tags, one per page, for `?id=1&id=2…` (this shop's
    pieces only: other ids are ignored; none found is a 404)."""
    ids = _requested_ids(request)
    size = labels.LABEL_SIZES.get(request.GET.get("size", labels.DEFAULT_SIZE))
    if size is None:
        raise Http404("Unknown tag size.")
    found = Piece.objects.filter(pk__in=ids).prefetch_related("stones")
    pieces = sorted(found, key=lambda piece: ids.index(piece.pk))
    if not pieces:
        raise Http404("No pieces of this shop to print.")
    tenant = require_tenant()
    now = timezone.now()
    rates = queries.latest_rates(now)
    priced_at = timezone.localtime(now, timezone=zoneinfo.ZoneInfo(tenant.timezone))
    tags = []
    for piece in pieces:
        try:
            breakdown = queries.price_of(piece, rates)
        except PricingError:
            breakdown = None
        tag = labels.tag_for(
            piece, currency=tenant.currency, price=breakdown, priced_at=priced_at
        )
        tags.append(labels.tag_html(tag, size))
    sizes = [
        {"key": choice.key, "name": choice.name, "query": _size_query(ids, choice)}
        for choice in labels.LABEL_SIZES.values()
    ]
    return TemplateResponse(
        request,
        "inventory/labels/page.html",
        {
            "tags": tags,
            "size": size,
            "sizes": sizes,
            "page_css": mark_safe(labels.page_css(size)),  # noqa: S308 - numbers only
        },
    )


def _size_query(ids, size) -> str:
    return urlencode([*(("id", pk) for pk in ids), ("size", size.key)])


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text=(
            "A .csv or .xlsx file with a header row: "
            + ", ".join(COLUMNS)
            + ". Nothing is imported unless every row is right."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


@require_http_methods(["GET", "POST"])
@permission_required("inventory.add_piece")
def import_pieces_view(request):
    """Upload a spreadsheet of pieces: all imported, or each bad line listed."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_pieces(upload, request.user, filename=upload.name)
        except ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(
                request, f"Imported {result.count} pieces from {upload.name}."
            )
            return redirect(Piece.snippet_viewset.get_url_name("list"))
    return TemplateResponse(
        request,
        "inventory/import_pieces.html",
        {"form": form, "errors": errors, "columns": COLUMNS},
    )


@require_http_methods(["GET", "POST"])
@permission_required("inventory.change_piece")
def transfer_piece(request, pk):
    piece = get_object_or_404(Piece, pk=pk)
    form = TransferForm(request.POST or None)
    if form.is_valid():
        try:
            services.transfer_piece(
                piece,
                form.cleaned_data["to_branch"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.StockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{piece.sku} moved to {piece.branch}.")
            return redirect(Piece.snippet_viewset.get_url_name("inspect"), pk)
    return TemplateResponse(
        request, "inventory/transfer_piece.html", {"piece": piece, "form": form}
    )


@require_http_methods(["GET", "POST"])
@permission_required("inventory.view_piece")
def stock_count(request):
    """Scan the pieces at a branch; see what is missing, misplaced or unexpected."""
    form = StockCountForm(request.POST or None)
    result = None
    if form.is_valid():
        result = services.count_stock(
            form.cleaned_data["branch"], form.cleaned_data["scanned"]
        )
    return TemplateResponse(
        request, "inventory/stock_count.html", {"form": form, "result": result}
    )


@require_http_methods(["GET", "POST"])
@permission_required("inventory.change_stockitem")
def change_quantity(request, pk):
    """Receive, transfer or adjust a quantity item; the ledger records each change."""
    item = get_object_or_404(StockItem, pk=pk)
    form = QuantityOperationForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["operation"] == "receive":
                services.receive_stock(
                    item, data["branch"], data["quantity"], user=request.user
                )
            elif data["operation"] == "transfer":
                services.transfer_stock(
                    item,
                    data["branch"],
                    data["to_branch"],
                    data["quantity"],
                    user=request.user,
                    reason=data["reason"],
                )
            else:
                services.adjust_stock(
                    item,
                    data["branch"],
                    data["quantity"],
                    reason=data["reason"],
                    user=request.user,
                )
        except services.StockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Stock of {item.sku} updated.")
            return redirect("inventory_change_quantity", pk)
    levels = item.levels.select_related("branch").order_by("branch__name")
    movements = item.movements.select_related("branch", "user")[:30]
    return TemplateResponse(
        request,
        "inventory/change_quantity.html",
        {"item": item, "form": form, "levels": levels, "movements": movements},
    )


def urls():
    return [
        path("inventory/labels/", print_labels, name="inventory_labels"),
        path("inventory/import/", import_pieces_view, name="inventory_import_pieces"),
        path(
            "inventory/pieces/<int:pk>/transfer/",
            transfer_piece,
            name="inventory_transfer_piece",
        ),
        path("inventory/stock-count/", stock_count, name="inventory_count"),
        path(
            "inventory/items/<int:pk>/stock/",
            change_quantity,
            name="inventory_change_quantity",
        ),
    ]
