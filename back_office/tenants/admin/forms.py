"""Forms of the shop screens: the platform's (superusers only) and staff."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.images import get_image_model
from wagtail.images.widgets import AdminImageChooser
from wagtail.models import Site

from back_office.tenancy.admin.forms import TenantAdminForm
from back_office.tenancy.queries import in_shop_collection
from back_office.tenants.models import Invitation, Tenant


def parse_hostnames(text: str) -> list[tuple[str, int]]:
    """One `hostname` or `hostname:port` per line."""
    pairs = []
    for line in text.split():
        hostname, _, port = line.partition(":")
        try:
            pairs.append((hostname, int(port) if port else 80))
        except ValueError as error:
            raise forms.ValidationError(
                f"“{line}” has a port that is not a number."
            ) from error
    if not pairs:
        raise forms.ValidationError("A shop needs at least one hostname.")
    return pairs


class TenantCreateForm(WagtailAdminModelForm):
    hostnames = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One hostname per line, optionally with :port, e.g. shop.example.com",
    )
    owner_email = forms.EmailField(help_text="The owner gets a link to set a password.")

    class Meta:
        model = Tenant
        fields = [
            "name",
            "slug",
            "currency",
            "tax_rate",
            "prices_include_tax",
            "timezone",
        ]

    def clean_hostnames(self):
        return parse_hostnames(self.cleaned_data["hostnames"])


class TenantEditForm(WagtailAdminModelForm):
    hostnames = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One hostname per line, optionally with :port.",
    )

    class Meta:
        model = Tenant
        fields = [
            "name",
            "status",
            "currency",
            "tax_rate",
            "prices_include_tax",
            "timezone",
            "tax_number",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sites = Site.objects.filter(root_page_id=self.instance.home_page_id)
        self.initial["hostnames"] = "\n".join(
            s.hostname if s.port == 80 else f"{s.hostname}:{s.port}"
            for s in sites.order_by("hostname")
        )

    def clean_hostnames(self):
        return parse_hostnames(self.cleaned_data["hostnames"])


class ShopLogoForm(forms.Form):
    logo = forms.ModelChoiceField(
        queryset=get_image_model().objects.none(),
        required=False,
        widget=AdminImageChooser,
        help_text="One of the shop's images, shown at the top of the back office; "
        "none shows Karat's.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].queryset = get_image_model().objects.filter(
            in_shop_collection()
        )


class InviteForm(TenantAdminForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]
        help_texts = {"email": "They get a link by email, and join once they accept."}
