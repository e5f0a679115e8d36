"""The shop's sitemap: its public pages and every piece on show, each with when it
last changed (the route table of catalog.shop_data, and one query for pieces)."""

from django.contrib.sitemaps import Sitemap

from catalog import queries
from catalog.shop_data import shop_data


class ShopSitemap(Sitemap):
    def __init__(self, request):
        self.request = request

    def items(self):
        data = shop_data(self.request)
        pages = [
            (route.url, route.lastmod)
            for route in data.routes.values()
            if not route.restricted
        ]
        pieces = [
            (f"{data.catalog_url}{sku}/", updated_at)
            for sku, updated_at in queries.sitemap_pieces()
        ]
        catalog = next(
            (r for r in data.routes.values() if r.url == data.catalog_url), None
        )
        if catalog is None or catalog.restricted:  # a private catalogue: no pieces
            return pages
        return pages + pieces

    def location(self, item):
        return item[0]

    def lastmod(self, item):
        return item[1]
