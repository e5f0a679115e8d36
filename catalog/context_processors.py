"""What every storefront template may use: the shop, its branding, its menu and
its catalogue's address (catalog/shop_data.py: one cache read for them all).

Lazy: a page that uses none of them reads nothing. Empty outside a shop's site
(the admin, the platform's own page).
"""

from django.utils.functional import SimpleLazyObject

from catalog.shop_data import shop_data


def storefront(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or request.path_info.startswith("/admin/"):
        return {}
    if getattr(request, "_wagtail_site", None) is None:
        return {}
    data = SimpleLazyObject(lambda: shop_data(request))
    return {
        "shop": tenant,
        "shop_data": data,
        "branding": SimpleLazyObject(lambda: data.branding),
        "menu_pages": SimpleLazyObject(lambda: data.menu),
        "catalog_url": SimpleLazyObject(lambda: data.catalog_url),
    }
