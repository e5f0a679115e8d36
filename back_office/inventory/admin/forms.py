"""Forms of the inventory screens."""

from django import forms
from django.core.exceptions import ValidationError

from back_office.inventory import queries
from back_office.inventory.importing import COLUMNS
from back_office.inventory.models import StockUnit
from back_office.inventory.purity import (
    STANDARD_FINENESS,
    Metal,
    is_standard,
    parse_purity,
    purity_label,
)
from back_office.tenancy.admin.forms import TenantAdminForm
from back_office.tenancy.admin.localization import shop_time
from back_office.tenants.models import Branch

OTHER_PURITY = "other"


def purity_choices():
    """The standard hallmarks, grouped by metal ("gold:750" is 18K gold), and Other."""
    return [
        ("", "Choose the hallmark"),
        *(
            (
                Metal(metal).label,
                [(f"{metal}:{f}", purity_label(metal, f)) for f in finenesses],
            )
            for metal, finenesses in STANDARD_FINENESS.items()
        ),
        ("Other", [(OTHER_PURITY, "Other ‰ (type it below)")]),
    ]


class PieceForm(TenantAdminForm):
    """A piece's details. Where it is and its status change only through stock
    operations (transfer, sale, memo...), which write the ledger.

    Purity is chosen among the standard hallmarks of the piece's metal; any other
    fineness is typed (as in the import: "958" or "22K") and must be confirmed, so a
    slip such as "18" for 18K cannot price a ring at a fortieth of its value."""

    purity = forms.ChoiceField(
        choices=purity_choices,
        help_text="The hallmark stamped on the piece.",
    )
    other_fineness = forms.CharField(
        required=False,
        max_length=12,
        label="Other purity",
        help_text='Only with "Other": parts per thousand (958) or a gold karat (22K).',
    )
    confirm_purity = forms.BooleanField(
        required=False,
        label="This unusual purity is right",
        help_text="Asked when the purity is not a standard hallmark of the metal.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "branch" in self.fields:
            self.fields["branch"].disabled = True
            self.fields["branch"].help_text = "Move a piece with a transfer."
        metal, fineness = self.instance.metal, self.instance.fineness
        if fineness and is_standard(metal, fineness):
            self.initial.setdefault("purity", f"{metal}:{fineness}")
        elif fineness:
            self.initial.setdefault("purity", OTHER_PURITY)
            self.initial.setdefault("other_fineness", str(fineness))
            self.initial.setdefault("confirm_purity", True)

    def clean(self):
        data = super().clean()
        metal, choice = data.get("metal"), data.get("purity")
        if not metal or not choice:
            return data
        if choice != OTHER_PURITY:
            of, fineness = choice.split(":")
            if of != metal:
                self.add_error(
                    "purity",
                    f"{purity_label(of, int(fineness))} is not a purity of "
                    f"{Metal(metal).label.lower()}: choose the metal's hallmark.",
                )
                return data
            self.instance.fineness = int(fineness)
            return data
        text = data.get("other_fineness", "").strip()
        if not text:
            self.add_error("other_fineness", "Type the purity, e.g. 958 or 22K.")
            return data
        try:
            fineness = parse_purity(text, metal)
        except ValidationError as error:
            self.add_error("other_fineness", error)
            return data
        if not is_standard(metal, fineness) and not data.get("confirm_purity"):
            self.add_error(
                "confirm_purity",
                f"{fineness} is not a standard hallmark of "
                f"{Metal(metal).label.lower()}: check the stamp, then tick to confirm.",
            )
            return data
        self.instance.fineness = fineness
        return data


class MetalRateForm(TenantAdminForm):
    """A rate entered by hand, shown beside the rates in force (times on the admin's
    clock, the shop's by default); a large change takes a tick."""

    confirm_change = forms.BooleanField(
        required=False,
        label="This large change is right",
        help_text="Asked when the rate moves more than the feed's plausible change.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rates = queries.latest_rates()
        in_force = [
            f"{rate.get_metal_display()} {rate.rate_per_gram}/g since "
            f"{shop_time(rate.effective_at)}"
            for rate in (rates[metal] for metal in Metal.values if metal in rates)
        ]
        if "rate_per_gram" in self.fields:
            self.fields["rate_per_gram"].help_text = (
                "Per gram of the pure metal. In force: " + "; ".join(in_force)
                if in_force
                else "Per gram of the pure metal. No rate is in force yet."
            )


class CorrectRateForm(forms.Form):
    rate_per_gram = forms.DecimalField(
        label="Right rate per gram (pure)", max_digits=14, decimal_places=4
    )
    reason = forms.CharField(
        max_length=200, help_text="What was wrong: a typo, the wrong metal…"
    )


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


class QuantityForm(forms.Form):
    """A change of a quantity item's stock at a branch; the quantity takes the
    item's unit (whole pieces, grams or carats to the milligram)."""

    branch = forms.ModelChoiceField(queryset=Branch.objects.all())
    quantity = forms.DecimalField(max_digits=10, decimal_places=3)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        field = self.fields["quantity"]
        field.label = f"{field.label} ({item.get_unit_display().lower()})"
        if item.unit == StockUnit.PIECE:
            field.widget.attrs["step"] = "1"


class ReceiveStockForm(QuantityForm):
    note = forms.CharField(
        required=False,
        max_length=200,
        help_text="Kept on the ledger: supplier, delivery note, invoice number…",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].label = "Into branch"


class TransferStockForm(QuantityForm):
    to_branch = forms.ModelChoiceField(queryset=Branch.objects.all(), label="To branch")
    reason = forms.CharField(required=False, max_length=200)
    field_order = ["branch", "to_branch", "quantity", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].label = "From branch"


class AdjustStockForm(QuantityForm):
    reason = forms.CharField(
        max_length=200, help_text="Breakage, miscount, found in the safe…"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "quantity"
        ].label = f"Change ({self.item.get_unit_display().lower()})"
        self.fields[
            "quantity"
        ].help_text = "What to add, or take away with a minus: -2 for two broken."


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
