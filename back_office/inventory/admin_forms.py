"""Forms of the stock operations screens."""

from django import forms

from back_office.tenants.models import Branch


class TransferForm(forms.Form):
    to_branch = forms.ModelChoiceField(
        queryset=Branch.objects.all(), label="Move to branch"
    )
    reason = forms.CharField(required=False, max_length=200)


class StockCountForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=Branch.objects.all())
    scanned = forms.CharField(
        label="Scanned SKUs",
        widget=forms.Textarea(attrs={"rows": 12, "autofocus": True}),
        help_text="Scan every piece at the branch: one SKU per line.",
    )

    def clean_scanned(self):
        return [line for line in self.cleaned_data["scanned"].split() if line]


class BulkMoveForm(forms.Form):
    to_branch = forms.ModelChoiceField(queryset=Branch.objects.all())
