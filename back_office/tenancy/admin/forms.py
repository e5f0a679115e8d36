from django.core.exceptions import ValidationError
from django.forms.formsets import ORDERING_FIELD_NAME
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel

from back_office.tenancy.context import require_tenant


class TenantAdminForm(WagtailAdminModelForm):
    """Admin form for tenant-owned models: the shop is the signed-in one, never a field.

    The instance gets its tenant before validation, so "unique per shop" constraints
    (which all start with `tenant`) are checked as form errors, not database errors.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.tenant_id is None:
            self.instance.tenant = require_tenant()

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.discard("tenant")
        return exclude


class PostedRowsFormSet(BaseChildFormSet):
    """Inline rows (a piece's stones, its photos) that must all be in the POST.

    The admin's page posts every row it counts, each with its place in the order. A
    row without one (a crafted or cut-off form counting rows it does not send) has
    nothing cleaned, and Wagtail's re-rendering of the form then fails with a server
    error: it is refused instead.
    """

    def clean(self):
        super().clean()
        if self.can_order and any(
            ORDERING_FIELD_NAME not in form.cleaned_data for form in self.forms
        ):
            raise ValidationError(
                "Some rows of this form did not arrive: reload the page and enter "
                "them again."
            )


class RowsPanel(InlinePanel):
    """Wagtail's InlinePanel, with rows checked by PostedRowsFormSet."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = PostedRowsFormSet
        return options
