"""The inventory's admin views: the piece ViewSet's own views, the metal rate
screens, the quantity stock screens, and the stock tools beside the ViewSets
(transfer a piece, count stock, print price tags, import a spreadsheet, receive,
transfer or adjust a quantity).

All run as the signed-in shop: pieces, branches and categories of other shops are
out of reach through the scoped managers (and RLS behind them). Every change goes
through a service; a refused one comes back on the form (DomainErrorMixin).
"""

import csv
import io
import zoneinfo
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.images import get_image_model
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import InspectView as SnippetInspectView

from back_office.inventory import importing, labels, queries, services
from back_office.inventory.admin.charts import rate_chart
from back_office.inventory.admin.columns import THUMBNAIL, SheetTitleColumn
from back_office.inventory.admin.forms import (
    AdjustStockForm,
    CorrectRateForm,
    ImportForm,
    PricePreviewForm,
    ReceiveStockForm,
    StockCountForm,
    TransferForm,
    TransferStockForm,
    WriteOffForm,
)
from back_office.inventory.admin.ledger import ledger_lines
from back_office.inventory.errors import PricingError
from back_office.inventory.models import (
    MetalRate,
    Piece,
    PiecePhoto,
    PricingMode,
    RateFeed,
    StockCount,
    StockItem,
    StockMovement,
)
from back_office.inventory.pricing import (
    describe_making_charge,
    format_money,
    format_rate,
    format_weight,
)
from back_office.inventory.purity import Metal, is_standard
from back_office.tenancy.admin.localization import shop_time
from back_office.tenancy.admin.views import (
    DomainErrorMixin,
    RequirePermissionMixin,
    ServiceFormView,
)
from back_office.tenancy.context import require_tenant
from back_office.tenancy.errors import DomainError
from back_office.tenancy.services import record_changes

HISTORY_DAYS = 30


# Pieces


class PieceIndexView(SnippetIndexView):
    """The listing: photo, SKU (it opens the sheet), purity, net weight and today's
    price per piece (cards on a phone: admin.css). A user who may not see costs
    exports none either."""

    table_classname = "listing piece-listing"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not request.user.has_perm("inventory.view_cost"):
            self.list_export = [field for field in self.list_export if field != "cost"]

    def _get_title_column(self, field_name, column_class=SheetTitleColumn, **kwargs):
        return super()._get_title_column(
            field_name, column_class, url_name=self.inspect_url_name, **kwargs
        )

    def get_base_queryset(self):
        thumbnails = get_image_model().objects.prefetch_renditions(THUMBNAIL)
        photos = PiecePhoto.objects.order_by("sort_order").prefetch_related(
            Prefetch("image", queryset=thumbnails)
        )
        return queries.with_price_today(
            super().get_base_queryset().prefetch_related(Prefetch("photos", photos))
        )

    def search_queryset(self, queryset):
        if self.is_searching:
            scanned = queryset.filter(sku=self.search_query.strip().upper())
            if scanned.exists():  # a barcode scan: that piece and no other
                return scanned
        # Searching stones' certificate numbers joins; list each piece once.
        return super().search_queryset(queryset).distinct()


class PieceCreateView(DomainErrorMixin, SnippetCreateView):
    """A new piece enters stock through receive_piece, which writes the ledger."""

    def save_instance(self):
        piece = self.form.save(commit=False)
        services.receive_piece(piece, user=self.request.user)
        self.new_revision = None
        return piece


class PieceEditView(SnippetEditView):
    """Saving a piece; a change to what its price is made of also goes into the
    shop's history, old and new terms side by side."""

    def save_instance(self):
        before = queries.price_terms(Piece.objects.get(pk=self.object.pk))
        piece = super().save_instance()
        after = queries.price_terms(Piece.objects.get(pk=piece.pk))
        record_changes(
            piece, "inventory.price_changed", before, after, self.request.user
        )
        return piece


class PieceInspectView(SnippetInspectView):
    """The piece's sheet: specifications, today's price breakdown, stones, photos
    and its ledger history, with the actions this user may take."""

    template_name = "inventory/piece_inspect.html"

    def get_page_title(self):
        return str(self.object)

    def get_page_subtitle(self):
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        piece = self.object
        currency = require_tenant().currency
        context["currency"] = currency
        context["piece"] = piece
        context["making_charge"] = describe_making_charge(
            piece.making_charge_type, piece.making_charge, currency
        )
        try:
            context["breakdown"] = queries.price_of(piece)
        except PricingError as error:
            context["price_error"] = error.message
        context["specifications"] = piece_specifications(
            piece, currency, show_cost=self.request.user.has_perm("inventory.view_cost")
        )
        context["ledger"] = ledger_lines(
            piece.movements.select_related("branch", "user")[:50]
        )
        context["stones"] = piece.stones.all()
        context["photos"] = piece.photos.select_related("image")
        return context

    @cached_property
    def header_buttons(self):
        user, piece = self.request.user, self.object
        buttons = []
        if edit_url := self.get_edit_url():
            buttons.append(
                HeaderButton("Edit", url=edit_url, icon_name="edit", priority=10)
            )
        if piece.status == Piece.Status.IN_STOCK and user.has_perm(
            "inventory.change_piece"
        ):
            buttons.append(
                HeaderButton(
                    "Transfer",
                    url=reverse("inventory_transfer_piece", args=[piece.pk]),
                    icon_name="arrow-right",
                    priority=20,
                )
            )
        buttons.append(
            HeaderButton(
                "Print tag",
                url=labels_url([piece.pk]),
                icon_name="doc-full",
                priority=30,
            )
        )
        if piece.status == Piece.Status.IN_STOCK and user.has_perm(
            "inventory.write_off_piece"
        ):
            buttons.append(
                HeaderButton(
                    "Write off",
                    url=reverse("inventory_write_off_piece", args=[piece.pk]),
                    icon_name="bin",
                    priority=40,
                )
            )
        return buttons

    @cached_property
    def header_more_buttons(self):
        return []  # Edit is a button of its own; a piece is never deleted


class PricePreviewView(RequirePermissionMixin, View):
    """Today's price of what the piece form holds, before it is saved: the form's
    script posts it on every change (admin/panels.py), so a slip in the purity, a
    weight or a charge shows as a price before it is saved. Nothing is written."""

    permission_required = "inventory.change_piece"
    http_method_names = ["post"]

    def post(self, request):
        form = PricePreviewForm(request.POST)
        context = {"currency": require_tenant().currency}
        if not form.is_valid():
            missing = context["missing"] = []
            for name, errors in form.errors.items():
                missing += [form.fields[name].label] if name in form.fields else errors
            return TemplateResponse(
                request, "inventory/includes/price_preview.html", context
            )
        data = form.cleaned_data
        piece = Piece(
            metal=data["metal"],
            fineness=data["fineness"],
            net_weight_g=data["net_weight_g"],
            pricing_mode=data["pricing_mode"],
            tag_price=data["tag_price"],
            making_charge_type=data["making_charge_type"],
            making_charge=data["making_charge"] or Decimal(0),
        )
        piece.stones = form.stones()
        context.update(
            piece=piece,
            unusual_purity=not is_standard(piece.metal, piece.fineness),
            making_charge=describe_making_charge(
                piece.making_charge_type, piece.making_charge, context["currency"]
            ),
        )
        try:
            context["breakdown"] = queries.price_of(piece)
        except PricingError as error:
            context["price_error"] = error.message
        return TemplateResponse(
            request, "inventory/includes/price_preview.html", context
        )


def piece_specifications(piece: Piece, currency: str, *, show_cost: bool):
    """A piece's details as (label, text) in a jeweller's words, empty ones left
    out; the cost only for those who may see it."""
    if piece.pricing_mode == PricingMode.FIXED:
        pricing = f"Fixed tag price, {format_money(piece.tag_price, currency)}"
    else:
        pricing = "From today's metal rate"
    rows = [
        ("SKU", piece.sku),
        ("Metal", piece.get_metal_display()),
        ("Purity", piece.purity),
        ("Colour", piece.get_colour_display()),
        ("Gross weight", format_weight(piece.gross_weight_g)),
        ("Net metal weight", format_weight(piece.net_weight_g)),
        ("Hallmark / HUID", piece.hallmark),
        ("Size", piece.size),
        ("Pricing", pricing),
        (
            "Making charge",
            describe_making_charge(
                piece.making_charge_type, piece.making_charge, currency
            ),
        ),
    ]
    if show_cost:
        rows.append(("Cost", format_money(piece.cost, currency)))
    return [(label, value) for label, value in rows if value]


# Metal rates


class CurrentRatesView(RequirePermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Today's rate per metal, each with its last 30 days."""

    permission_required = "inventory.view_metalrate"
    template_name = "inventory/current_rates.html"
    page_title = "Today's metal rates"
    header_icon = "pick"
    _show_breadcrumbs = True
    add_url_name = None
    index_url_name = None
    feed_url_name = None

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": "Metal rates"}]

    @cached_property
    def header_buttons(self):
        user = self.request.user
        buttons = [
            HeaderButton("All rates", reverse(self.index_url_name), icon_name="list-ul")
        ]
        if user.has_perm("inventory.add_metalrate"):
            buttons.insert(
                0,
                HeaderButton(
                    "Enter a rate", reverse(self.add_url_name), icon_name="plus"
                ),
            )
        if user.has_perm("inventory.change_ratefeed"):
            buttons.append(
                HeaderButton("Rate feed", reverse(self.feed_url_name), icon_name="cogs")
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        start = now - timedelta(days=HISTORY_DAYS)
        today = queries.latest_rates(at=now)
        history: dict[str, list[MetalRate]] = {metal: [] for metal in Metal.values}
        window = queries.standing_rates().filter(
            effective_at__gt=start, effective_at__lte=now
        )
        for rate in window.order_by("effective_at", "id"):
            history[rate.metal].append(rate)
        context["currency"] = require_tenant().currency
        context["metals"] = [
            {
                "metal": metal,
                "label": label,
                "current": today.get(metal),
                "chart": rate_chart(history[metal], start, now),
            }
            for metal, label in Metal.choices
        ]
        context["feed"] = RateFeed.objects.first()
        context["history_days"] = HISTORY_DAYS
        return context


class MetalRateCreateView(DomainErrorMixin, CreateView):
    """A rate entered by hand goes through enter_rate: a large change is confirmed."""

    def get_initial(self):
        return {**super().get_initial(), "effective_at": timezone.now()}

    def save_instance(self):
        entered = self.form.instance
        return services.enter_rate(
            entered.metal,
            entered.rate_per_gram,
            entered.effective_at,
            user=self.request.user,
            confirmed=self.form.cleaned_data.get("confirm_change", False),
        )

    def get_success_message(self, instance):
        return f"{instance} is in force from {instance.effective_at:%Y-%m-%d %H:%M}."

    def get_success_url(self):
        return reverse("metal_rates:current")

    def get_success_buttons(self):
        return []


class CorrectRateView(ServiceFormView):
    """Replace a wrong rate by a correction entry (services.correct_rate)."""

    permission_required = "inventory.add_metalrate"
    form_class = CorrectRateForm
    template_name = "inventory/correct_rate.html"

    @cached_property
    def wrong(self) -> MetalRate:
        return get_object_or_404(
            MetalRate.objects.select_related("corrects"), pk=self.kwargs["pk"]
        )

    def perform(self, form):
        correction = services.correct_rate(
            self.wrong,
            form.cleaned_data["rate_per_gram"],
            reason=form.cleaned_data["reason"],
            user=self.request.user,
        )
        currency = require_tenant().currency
        messages.success(
            self.request,
            f"{self.wrong.get_metal_display()} of {shop_time(self.wrong.effective_at)}"
            f" corrected: {format_rate(self.wrong.rate_per_gram, currency)} is now "
            f"{format_rate(correction.rate_per_gram, currency)}.",
        )
        return redirect("metal_rates:index")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            wrong=self.wrong, currency=require_tenant().currency, **kwargs
        )


class RateFeedIndexView(IndexView):
    """A shop has one feed: its settings, or the screen that sets it up."""

    def get(self, request, *args, **kwargs):
        feed = RateFeed.objects.first()
        if feed is None:
            return redirect(self.add_url_name)
        return redirect(self.edit_url_name, feed.pk)


class RateFeedCreateView(CreateView):
    """Sets up the shop's feed; once there is one, this is its settings screen."""

    def save_instance(self):
        feed = super().save_instance()
        record_changes(
            feed,
            "inventory.feed_changed",
            {},
            queries.feed_terms(feed),
            self.request.user,
        )
        return feed

    def dispatch(self, request, *args, **kwargs):
        feed = RateFeed.objects.first()
        if feed is not None:
            return redirect(self.edit_url_name, feed.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("metal_rates:current")

    def get_success_message(self, instance):
        return "Rate feed settings saved."

    def get_success_buttons(self):
        return []


class RateFeedEditView(EditView):
    """The feed's settings; a change of where rates come from goes into the shop's
    history (a feed decides every rate-priced piece's price)."""

    def save_instance(self):
        before = queries.feed_terms(RateFeed.objects.get(pk=self.object.pk))
        feed = super().save_instance()
        after = queries.feed_terms(RateFeed.objects.get(pk=feed.pk))
        record_changes(feed, "inventory.feed_changed", before, after, self.request.user)
        return feed

    def get_success_url(self):
        return reverse("metal_rates:current")

    def get_success_message(self):
        return "Rate feed settings saved."

    def get_success_buttons(self):
        return []


# Stock tools


def _requested_ids(request) -> list[int]:
    ids = []
    for value in request.GET.getlist("id"):
        try:
            ids.append(int(value))
        except ValueError:
            continue  # a mangled id finds nothing, like another shop's
    return ids


def labels_url(piece_ids, size: str = "") -> str:
    """The print page of these pieces' tags (for a bulk action or a button)."""
    query = [("id", int(pk)) for pk in piece_ids]
    if size:
        query.append(("size", size))
    return f"{reverse('inventory_labels')}?{urlencode(query)}"


class PrintLabelsView(RequirePermissionMixin, View):
    """A print-ready page of tags, one per page, for `?id=1&id=2…` (this shop's
    pieces only: other ids are ignored; none found is a 404)."""

    permission_required = "inventory.view_piece"
    http_method_names = ["get"]

    def get(self, request):
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
        zone = zoneinfo.ZoneInfo(tenant.timezone)
        priced_at = timezone.localtime(now, timezone=zone)
        # Where each piece's page is on the shop's storefront, for the QR code.
        pages = import_string(settings.INVENTORY_PIECE_PAGES)(tenant)
        tags = []
        for piece in pieces:
            try:
                breakdown = queries.price_of(piece, rates)
            except PricingError:
                breakdown = None
            tag = labels.tag_for(
                piece,
                currency=tenant.currency,
                price=breakdown,
                priced_at=priced_at,
                stones=piece.stones.all(),
                url=f"{pages}{piece.sku}/" if pages else "",
            )
            tags.append(labels.tag_html(tag, size))
        sizes = [
            {"key": choice.key, "name": choice.name, "url": labels_url(ids, choice.key)}
            for choice in labels.LABEL_SIZES.values()
        ]
        return TemplateResponse(
            request,
            "inventory/labels/page.html",
            {
                "tags": tags,
                "size": size,
                "sizes": sizes,
                "page_css": mark_safe(labels.page_css(size)),  # noqa: S308 - numbers
            },
        )


class ImportPiecesView(ServiceFormView):
    """Upload a spreadsheet of pieces: all imported, or each bad line listed."""

    permission_required = "inventory.add_piece"
    form_class = ImportForm
    template_name = "inventory/import_pieces.html"

    def perform(self, form):
        upload = form.cleaned_data["file"]
        result = services.import_pieces(upload, self.request.user, filename=upload.name)
        messages.success(
            self.request, f"Imported {result.count} pieces from {upload.name}."
        )
        return redirect(Piece.snippet_viewset.get_url_name("list"))

    def refused(self, form, error):
        errors = getattr(error, "errors", [error.message])  # ImportRefused: by line
        return self.render_to_response(self.get_context_data(form=form, errors=errors))

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=importing.COLUMN_HELP, **kwargs)


class ImportTemplateView(RequirePermissionMixin, View):
    """The import's spreadsheet to fill in: its header and one example row."""

    permission_required = "inventory.add_piece"
    http_method_names = ["get"]
    FORMATS = {
        "csv": ("text/csv; charset=utf-8", importing.template_csv),
        "xlsx": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            importing.template_xlsx,
        ),
    }

    def get(self, request, file_format):
        if file_format not in self.FORMATS:
            raise Http404("No such template.")
        content_type, make = self.FORMATS[file_format]
        response = HttpResponse(make(), content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="karat-pieces-template.{file_format}"'
        )
        return response


class PieceMoveView(ServiceFormView):
    """A stock move of one piece (the URL's), back to its sheet with a message."""

    @cached_property
    def piece(self) -> Piece:
        return get_object_or_404(Piece, pk=self.kwargs["pk"])

    def back_to_sheet(self, message: str):
        messages.success(self.request, message)
        return redirect(Piece.snippet_viewset.get_url_name("inspect"), self.piece.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(piece=self.piece, **kwargs)


class TransferPieceView(PieceMoveView):
    permission_required = "inventory.change_piece"
    form_class = TransferForm
    template_name = "inventory/transfer_piece.html"

    def perform(self, form):
        services.transfer_piece(
            self.piece,
            form.cleaned_data["to_branch"],
            user=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        return self.back_to_sheet(f"{self.piece.sku} moved to {self.piece.branch}.")


class WriteOffPieceView(PieceMoveView):
    """Take a piece entered by mistake out of stock for good, through the ledger."""

    permission_required = "inventory.write_off_piece"
    form_class = WriteOffForm
    template_name = "inventory/write_off_piece.html"

    def perform(self, form):
        services.move_piece(
            self.piece,
            StockMovement.Kind.WRITTEN_OFF,
            user=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        return self.back_to_sheet(
            f"{self.piece.sku} is written off: it has left the stock, and its sheet "
            "and history stay."
        )


class StockCountView(ServiceFormView):
    """Scan the pieces at a branch, with a running tally; the count is kept and
    its sheet says what is missing, misplaced, unexpected or scanned twice."""

    permission_required = "inventory.view_piece"
    form_class = StockCountForm
    template_name = "inventory/stock_count.html"

    def perform(self, form):
        count = services.record_count(
            form.cleaned_data["branch"],
            form.cleaned_data["scanned"],
            user=self.request.user,
        )
        return redirect("inventory_count_sheet", count.pk)

    def get_context_data(self, **kwargs):
        counts = StockCount.objects.select_related("branch", "counted_by")[:20]
        return super().get_context_data(counts=counts, **kwargs)


class StockCountSheetView(RequirePermissionMixin, TemplateView):
    """A count as it was taken; `?print=1` is its printable page. A misplaced piece
    still recorded at another branch is moved here in one click, by those who may
    move stock."""

    permission_required = "inventory.view_piece"
    template_name = "inventory/stock_count_sheet.html"

    @cached_property
    def count(self) -> StockCount:
        return get_object_or_404(
            StockCount.objects.select_related("branch", "counted_by"),
            pk=self.kwargs["pk"],
        )

    def get_template_names(self):
        if self.request.GET.get("print"):
            return ["inventory/stock_count_print.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        found = self.count.found
        movable = set()
        if self.request.user.has_perm("inventory.change_piece"):
            movable = set(
                Piece.objects.filter(
                    sku__in=[piece["sku"] for piece in found["misplaced"]],
                    status=Piece.Status.IN_STOCK,
                )
                .exclude(branch=self.count.branch)
                .values_list("sku", flat=True)
            )
        return super().get_context_data(
            count=self.count, found=found, movable=movable, **kwargs
        )


class StockCountExportView(RequirePermissionMixin, View):
    """A count as a CSV: one line per SKU with what the count found of it."""

    permission_required = "inventory.view_piece"
    http_method_names = ["get"]

    def get(self, request, pk):
        count = get_object_or_404(StockCount, pk=pk)
        found, scans = count.found, Counter(count.scanned)
        lines = io.StringIO()
        writer = SpreadsheetSafeWriter(csv.writer(lines))
        writer.writerow(["sku", "title", "found", "recorded at", "times scanned"])
        for name in ("counted", "missing", "misplaced"):
            for piece in found[name]:
                recorded_at = piece.get("recorded_at", str(count.branch))
                writer.writerow(
                    [
                        piece["sku"],
                        piece["title"],
                        name,
                        recorded_at,
                        scans[piece["sku"]],
                    ]
                )
        for sku in found["unexpected"]:
            writer.writerow([sku, "", "unexpected", "", scans[sku]])
        response = HttpResponse(lines.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = (
            f'attachment; filename="stock-count-{count.branch.code}-'
            f'{timezone.localtime(count.counted_at):%Y%m%d-%H%M}.csv"'
        )
        return response


class SpreadsheetSafeWriter:
    """A CSV writer whose text cells cannot run as formulas in a spreadsheet: a
    scanned "SKU" or a title starting with = + - @ is written after a quote."""

    FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, cells):
        self.writer.writerow(
            [
                f"'{cell}"
                if isinstance(cell, str) and cell.startswith(self.FORMULA_START)
                else cell
                for cell in cells
            ]
        )


class MoveCountedPieceView(RequirePermissionMixin, View):
    """Move a piece the count found at its branch to that branch (a transfer)."""

    permission_required = "inventory.change_piece"
    http_method_names = ["post"]

    def post(self, request, pk, sku):
        count = get_object_or_404(StockCount.objects.select_related("branch"), pk=pk)
        if sku not in {piece["sku"] for piece in count.found["misplaced"]}:
            raise Http404("The count found no such piece out of place.")
        piece = get_object_or_404(Piece, sku=sku)
        try:
            services.transfer_piece(
                piece,
                count.branch,
                user=request.user,
                reason=f"Found in the stock count of {shop_time(count.counted_at)}",
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{piece.sku} moved to {count.branch}.")
        return redirect("inventory_count_sheet", count.pk)


# Quantity stock


class StockItemIndexView(IndexView):
    def _get_title_column(self, field_name, column_class=SheetTitleColumn, **kwargs):
        return super()._get_title_column(
            field_name, column_class, url_name=self.inspect_url_name, **kwargs
        )


class StockItemInspectView(InspectView):
    """A quantity item's stock: on hand per branch and its ledger, with the receive,
    transfer and adjust screens for those who may change it."""

    template_name = "inventory/stock_item_inspect.html"

    def get_page_title(self):
        return str(self.object)

    def get_page_subtitle(self):
        return ""

    def get_context_data(self, **kwargs):
        item = self.object
        return super().get_context_data(
            **_stock_of(item),
            currency=require_tenant().currency,
            ledger=ledger_lines(item.movements.select_related("branch", "user")[:50]),
            quantities=True,
            **kwargs,
        )

    @cached_property
    def header_buttons(self):
        buttons = []
        if self.request.user.has_perm("inventory.change_stockitem"):
            for label, url_name, icon in STOCK_OPERATIONS:
                buttons.append(
                    HeaderButton(
                        label, reverse(url_name, args=[self.object.pk]), icon_name=icon
                    )
                )
        if edit_url := self.get_edit_url():
            buttons.append(HeaderButton("Edit", url=edit_url, icon_name="edit"))
        return buttons

    @cached_property
    def header_more_buttons(self):
        return []


def _stock_of(item: StockItem) -> dict:
    """What includes/on_hand.html shows of an item."""
    levels = list(item.levels.select_related("branch").order_by("branch__name"))
    on_hand = sum((level.quantity for level in levels), Decimal(0))
    return {"item": item, "levels": levels, "on_hand": on_hand}


#: The stock screen's actions: (label, URL name, icon).
STOCK_OPERATIONS = [
    ("Receive", "inventory_receive_stock", "download"),
    ("Transfer", "inventory_transfer_stock", "arrow-right"),
    ("Adjust", "inventory_adjust_stock", "edit"),
]


class StockOperationView(ServiceFormView):
    """One change of a quantity item's stock, through its stock service; the
    message says what changed, and the item's stock screen follows."""

    permission_required = "inventory.change_stockitem"
    template_name = "inventory/stock_operation.html"
    title: str

    @cached_property
    def item(self) -> StockItem:
        return get_object_or_404(StockItem, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "item": self.item}

    def answer(self, message: str):
        messages.success(self.request, message)
        return redirect("stockitem:inspect", self.item.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **_stock_of(self.item), title=self.title, **kwargs
        )


class ReceiveStockView(StockOperationView):
    form_class = ReceiveStockForm
    title = "Receive"

    def perform(self, form):
        data, item = form.cleaned_data, self.item
        level = services.receive_stock(
            item, data["branch"], data["quantity"], self.request.user, note=data["note"]
        )
        return self.answer(
            f"Received {item.quantity_text(data['quantity'])} {item.sku} at "
            f"{level.branch}: {item.quantity_text(level.quantity)} on hand."
        )


class TransferStockView(StockOperationView):
    form_class = TransferStockForm
    title = "Transfer"

    def perform(self, form):
        data, item = form.cleaned_data, self.item
        left, arrived = services.transfer_stock(
            item,
            data["branch"],
            data["to_branch"],
            data["quantity"],
            user=self.request.user,
            reason=data["reason"],
        )
        return self.answer(
            f"Moved {item.quantity_text(data['quantity'])} {item.sku} from "
            f"{left.branch} to {arrived.branch}: {item.quantity_text(left.quantity)} "
            f"left at {left.branch}, {item.quantity_text(arrived.quantity)} at "
            f"{arrived.branch}."
        )


class AdjustStockView(StockOperationView):
    form_class = AdjustStockForm
    title = "Adjust"

    def perform(self, form):
        data, item = form.cleaned_data, self.item
        level = services.adjust_stock(
            item,
            data["branch"],
            data["quantity"],
            reason=data["reason"],
            user=self.request.user,
        )
        change = data["quantity"]
        sign = "+" if change > 0 else "−"
        return self.answer(
            f"Adjusted {item.sku} at {level.branch} by "
            f"{sign}{item.quantity_text(change.copy_abs())} ({data['reason']}): "
            f"{item.quantity_text(level.quantity)} on hand."
        )
