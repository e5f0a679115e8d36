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


class QuantityOperationForm(forms.Form):
    """Receive, transfer or adjust a quantity item at a branch."""

    OPERATIONS = [
        ("receive", "Receive"),
        ("transfer", "Transfer to another branch"),
        ("adjust", "Adjust the count"),
    ]

    operation = forms.ChoiceField(choices=OPERATIONS)
    branch = forms.ModelChoiceField(queryset=Branch.objects.all())
    to_branch = forms.ModelChoiceField(
        queryset=Branch.objects.all(), required=False, help_text="For a transfer."
    )
    quantity = forms.DecimalField(
        max_digits=10,
        decimal_places=3,
        help_text="For an adjustment, negative to take away (e.g. -2).",
    )
    reason = forms.CharField(required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("operation") == "transfer" and not data.get("to_branch"):
            self.add_error("to_branch", "Choose the branch to move the stock to.")
        return data
