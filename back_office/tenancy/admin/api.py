"""Wagtail's admin API (/admin/api/main/), inside the current shop: its pages and its
media only. Wagtail's own image and document endpoints list every collection to any
signed-in user."""

from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from back_office.tenancy.admin.scoping import shop_pages
from back_office.tenancy.queries import in_shop_collection


class ShopPagesAPIViewSet(PagesAdminAPIViewSet):
    def get_base_queryset(self):
        return shop_pages(super().get_base_queryset(), self.request.user)


class ShopImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(in_shop_collection())


class ShopDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(in_shop_collection())


ENDPOINTS = {
    "pages": ShopPagesAPIViewSet,
    "images": ShopImagesAPIViewSet,
    "documents": ShopDocumentsAPIViewSet,
}
