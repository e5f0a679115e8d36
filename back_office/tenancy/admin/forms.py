from wagtail.admin.forms import WagtailAdminModelForm

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
