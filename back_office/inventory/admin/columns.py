"""Listing columns of the stock: a piece's first photo, and a SKU that opens the
piece's or item's sheet (Wagtail's title column opens the edit form)."""

from django.urls import reverse
from wagtail.admin.ui.tables import Column, TitleColumn

THUMBNAIL = "fill-96x96"


class ThumbnailColumn(Column):
    """The piece's first photo; the listing prefetches it with this rendition."""

    cell_template_name = "inventory/tables/thumbnail_cell.html"

    def __init__(self):
        super().__init__("photo", label="Photo", width="4.5rem")

    def get_value(self, piece):
        photos = list(piece.photos.all())
        return photos[0].image.get_rendition(THUMBNAIL) if photos else None


class SheetTitleColumn(TitleColumn):
    """The SKU of a listing, linked to the row's sheet (its inspect view)."""

    def get_link_url(self, instance, parent_context):
        return reverse(self.url_name, args=[instance.pk])
