from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from back_office.tenancy import views as tenancy_views
from back_office.tenancy.admin import views as tenancy_admin_views
from back_office.tenants import views as tenant_views
from catalog import views as catalog_views
from config import health

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("", include("django_prometheus.urls")),
    path("", include("back_office.tenants.urls")),
    # Wagtail's tag autocomplete and document download, kept inside one shop.
    path("admin/tag-autocomplete/", tenancy_admin_views.tag_autocomplete),
    path("admin/", include(wagtailadmin_urls)),
    path(
        "documents/<int:document_id>/<str:document_filename>",
        tenancy_views.serve_document,
        name="wagtaildocs_serve",
    ),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every other path is a storefront page of the host's shop (or the platform's page).
urlpatterns += [
    path("robots.txt", catalog_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", catalog_views.sitemap, name="sitemap"),
    path("brand.css", catalog_views.brand_stylesheet, name="brand_stylesheet"),
    path("receipt/<str:token>/", catalog_views.receipt_check, name="receipt_check"),
    # Not Wagtail's own /_util/ views (a private page's password form); dots for
    # SKUs such as "RG.22".
    re_path(
        r"^(?!_util/)((?:[\w\-.]+/)*)$", tenant_views.front_door, name="front_door"
    ),
    path("", include(wagtail_urls)),
]
