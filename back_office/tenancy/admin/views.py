"""Admin views of the framework: showing a refused operation, switching shop, tags."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import FormView
from django.views.generic.edit import BaseDeleteView
from taggit.models import Tag, TaggedItem
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from back_office.tenancy.errors import DomainError
from back_office.tenancy.middleware import SESSION_KEY
from back_office.tenancy.models import get_tenant_model
from back_office.tenancy.queries import in_shop_collection, memberships_of
from back_office.tenancy.services import switch_to


class RequirePermissionMixin:
    """A view for people holding `permission_required` ("app_label.codename");
    anyone else gets Wagtail's "permission denied" (a message and the dashboard)."""

    permission_required: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class DomainErrorMixin:
    """For form views whose valid form calls services (Wagtail's create, edit and
    delete views, bulk actions, a FormView): a refused operation (DomainError) comes
    back as the form with the refusal's message, status 200, and nothing of the
    attempt is kept (the whole of `perform` is one transaction).

    `perform(form)` is what a valid form does: by default the view's own
    `form_valid` (Wagtail's saving, which calls the service in `save_instance`); a
    FormView overrides it. On Wagtail's create and edit screens the message is listed
    under their usual "could not be saved" banner; a delete confirmation has no form
    to show it on, so there it is the banner.
    """

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return self.perform(form)
        except DomainError as error:
            return self.refused(form, error)

    def perform(self, form):
        return super().form_valid(form)

    def refusal_message(self, error: DomainError) -> str:
        return error.message

    def refused(self, form, error: DomainError):
        message = self.refusal_message(error)
        form.add_error(None, message)
        if hasattr(self, "get_error_message"):  # Wagtail's generic create and edit
            self.produced_error_code = error.code
            self.produced_error_message = self.get_error_message()
        elif isinstance(self, BaseDeleteView):
            messages.error(self.request, message)
        return self.form_invalid(form)


class ServiceFormView(RequirePermissionMixin, DomainErrorMixin, FormView):
    """A form screen of the back office: people holding `permission_required` fill
    in `form_class` and `perform(form)` calls the services and answers; a refusal
    comes back on the form."""

    http_method_names = ["get", "post"]


@require_http_methods(["GET", "POST"])
def switch_shop(request):
    """Choose the shop the admin works in (several memberships, or an operator)."""
    user = request.user
    if request.method == "POST":
        chosen = request.POST.get("tenant", "")
        tenant = (
            get_tenant_model()
            .objects.filter(pk=int(chosen) if chosen.isdecimal() else None)
            .first()
        )
        if tenant is None:
            raise Http404("No such shop.")
        try:
            switch_to(user, tenant)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("tenancy_switch")
        request.session[SESSION_KEY] = tenant.pk
        messages.success(request, f"You are now working in {tenant}.")
        return redirect("wagtailadmin_home")
    if user.is_superuser:
        choices = list(get_tenant_model().objects.all())
    else:
        choices = [membership.tenant for membership in memberships_of(user)]
    return TemplateResponse(
        request,
        "tenancy/switch_shop.html",
        {"choices": choices, "active": request.tenant},
    )


TAGS_OFFERED = 10


@require_GET
@require_admin_access
def tag_autocomplete(request):
    """Wagtail's tag autocomplete, offering only the tags the shop's own images and
    documents carry (tag names are one table across the platform)."""
    term = request.GET.get("term", "")
    if not term:
        return JsonResponse([], safe=False)
    tagged = TaggedItem.objects.none()
    for model in (get_image_model(), get_document_model()):
        tagged |= TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.filter(in_shop_collection()).values("pk"),
        )
    names = (
        Tag.objects.filter(taggit_taggeditem_items__in=tagged, name__istartswith=term)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)[:TAGS_OFFERED]
    )
    return JsonResponse(list(names), safe=False)
