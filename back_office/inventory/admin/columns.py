"""Listing columns of the inventory: a piece's first photo, a SKU that opens the
piece's or item's sheet (Wagtail's title column opens the edit form), and a rate's
correction."""

from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin.ui.tables import Column, TitleColumn

from back_office.inventory.pricing import format_rate
from back_office.tenancy.context import require_tenant

THUMBNAIL = "fill-96x96"


class ThumbnailColumn(Column):
    """The piece's first photo; the listing prefetches it with this rendition."""

    cell_template_name = "inventory/tables/thumbnail_cell.html"

    def __init__(self):
        super().__init__("photo", label="Photo")

    def get_value(self, piece):
        photos = list(piece.photos.all())
        return photos[0].image.get_rendition(THUMBNAIL) if photos else None


class SheetTitleColumn(TitleColumn):
    """The SKU of a listing, linked to the row's sheet (its inspect view)."""

    def get_link_url(self, instance, parent_context):
        return reverse(self.url_name, args=[instance.pk])


class CorrectionColumn(Column):
    """Whether a rate was corrected, what a correction replaced, or, for those who
    may enter rates, the link to correct it."""

    def __init__(self):
        super().__init__("correction", label="Correction")

    def get_cell_context_data(self, rate, parent_context):
        context = super().get_cell_context_data(rate, parent_context)
        currency = require_tenant().currency
        if rate.is_corrected:
            value = (
                f"Corrected to {format_rate(rate.correction.rate_per_gram, currency)}"
            )
        elif rate.corrects_id:
            value = (
                f"Replaces {format_rate(rate.corrects.rate_per_gram, currency)}: "
                f"{rate.reason}"
            )
        elif parent_context["request"].user.has_perm("inventory.add_metalrate"):
            value = format_html(
                '<a href="{}">Correct</a>',
                reverse("metal_rates:correct", args=[rate.pk]),
            )
        else:
            value = ""
        context["value"] = value
        return context
