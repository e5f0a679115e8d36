"""The admin's search box finds pieces: by SKU (a scanned barcode too), title,
hallmark or stone certificate number. Wagtail's sidebar searches the first search
area a user is shown; the pieces come before the pages, which stay one click away
under "Other searches"."""

from django.urls import reverse
from wagtail.admin.search import SearchArea

from back_office.inventory.models import Piece


class PieceSearchArea(SearchArea):
    def __init__(self):
        super().__init__(
            "Pieces",
            reverse(Piece.snippet_viewset.get_url_name("list")),
            name="pieces",
            icon_name="tag",
            order=50,  # before Wagtail's pages (100)
        )

    def is_shown(self, request):
        return request.user.has_perm("inventory.view_piece")
