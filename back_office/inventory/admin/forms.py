"""Forms of the inventory screens."""

from django import forms

from back_office.inventory.importing import COLUMNS
from back_office.tenancy.admin.forms import TenantAdminForm
from back_office.tenants.models import Branch


class PieceForm(TenantAdminForm):
    """A piece's details. Where it is and its status change only through stock
    operations (transfer, sale, memo...), which write the ledger."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "branch" in self.fields:
            self.fields["branch"].disabled = True
            self.fields["branch"].help_text = "Move a piece with a transfer."


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


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text=(
            "A .csv or .xlsx file with a header row: "
            + ", ".join(COLUMNS)
            + ". Nothing is imported unless every row is right."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
