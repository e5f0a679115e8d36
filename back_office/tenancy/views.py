"""Public views of the framework."""

from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve

from back_office.tenancy.context import tenant_context
from back_office.tenancy.middleware import admin_tenant, is_platform_host
from back_office.tenancy.queries import in_shop_collection


def serve_document(request, document_id, document_filename):
    """Wagtail's document download, only on the document's own shop's hostname (the
    middleware has closed it if the shop is suspended), or on the platform's hostname
    to that shop's staff signed in to the admin."""
    tenant = request.tenant
    if tenant is None and is_platform_host(request):
        tenant = admin_tenant(request)
    if tenant is None:
        raise Http404("No such document.")
    with tenant_context(tenant):
        documents = get_document_model().objects.filter(in_shop_collection())
        if not documents.filter(pk=document_id).exists():
            raise Http404("No such document.")
        return serve(request, document_id, document_filename)
