"""Forms of the inventory screens."""

from django import forms
from django.core.exceptions import ValidationError

from back_office.inventory import queries
from back_office.inventory.models import (
    MakingChargeType,
    PricingMode,
    StockUnit,
    Stone,
)
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
        try:
            self.instance.fineness = chosen_fineness(
                metal,
                choice,
                data.get("other_fineness", ""),
                confirmed=data.get("confirm_purity", False),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data


def chosen_fineness(metal: str, choice: str, other: str, *, confirmed: bool) -> int:
    """The fineness a purity choice means for `metal`: a standard hallmark
    ("gold:750"), or OTHER_PURITY with `other` typed as the import takes it ("958",
    "22K"), which must be `confirmed` when it is no standard hallmark. A refusal is
    a ValidationError naming the field to fix."""
    if choice != OTHER_PURITY:
        of, _, fineness = choice.partition(":")
        # Only a hallmark offered (the form's choices; the preview's free text).
        if not (fineness.isdecimal() and len(fineness) == 3) or not is_standard(
            of, int(fineness)
        ):
            raise ValidationError({"purity": "Choose the hallmark."})
        if of != metal:
            label = purity_label(of, int(fineness))
            metal_name = Metal(metal).label.lower()
            raise ValidationError(
                {
                    "purity": f"{label} is not a purity of {metal_name}: "
                    "choose the metal's hallmark."
                }
            )
        return int(fineness)
    text = other.strip()
    if not text:
        raise ValidationError({"other_fineness": "Type the purity, e.g. 958 or 22K."})
    try:
        fineness = parse_purity(text, metal)
    except ValidationError as error:
        raise ValidationError({"other_fineness": error.messages}) from None
    if not is_standard(metal, fineness) and not confirmed:
        raise ValidationError(
            {
                "confirm_purity": f"{fineness} is not a standard hallmark of "
                f"{Metal(metal).label.lower()}: check the stamp, then tick to confirm."
            }
        )
    return fineness


class PricePreviewForm(forms.Form):
    """What a piece's price is made of, read from the piece form as it is being
    filled in (the same field names), for the price preview; nothing is saved."""

    metal = forms.ChoiceField(label="metal", choices=Metal.choices)
    purity = forms.CharField(label="purity")
    other_fineness = forms.CharField(label="other purity", required=False)
    net_weight_g = forms.DecimalField(
        label="net metal weight", max_digits=10, decimal_places=3, min_value=0
    )
    pricing_mode = forms.ChoiceField(label="pricing", choices=PricingMode.choices)
    tag_price = forms.DecimalField(
        label="tag price", max_digits=14, decimal_places=2, min_value=0, required=False
    )
    making_charge_type = forms.ChoiceField(
        label="making charge type", choices=MakingChargeType.choices
    )
    making_charge = forms.DecimalField(
        label="making charge",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("metal") and data.get("purity"):
            try:
                data["fineness"] = chosen_fineness(
                    data["metal"],
                    data["purity"],
                    data.get("other_fineness", ""),
                    confirmed=True,  # the preview shows what an unusual one gives
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        if (
            data.get("pricing_mode") == PricingMode.FIXED
            and data.get("tag_price") is None
        ):
            self.add_error("tag_price", "A fixed-price piece needs a tag price.")
        return data

    def stones(self) -> list[Stone]:
        """The stone rows posted with the form (pricing reads carats and value),
        those marked for deletion or unreadable left out."""
        rows = []
        total = self.data.get("stones-TOTAL_FORMS", "0")
        for n in range(min(int(total) if total.isdecimal() else 0, MAX_STONE_ROWS)):
            row = StoneValueForm(self.data, prefix=f"stones-{n}")
            if row.is_valid() and not self.data.get(f"stones-{n}-DELETE"):
                rows.append(Stone(**row.cleaned_data))
        return rows


#: More stone rows than any piece has; the preview reads no further.
MAX_STONE_ROWS = 100


class StoneValueForm(forms.Form):
    carats = forms.DecimalField(max_digits=10, decimal_places=3, min_value=0)
    value = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    value_mode = forms.ChoiceField(choices=Stone.ValueMode.choices)


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


class WriteOffForm(forms.Form):
    reason = forms.CharField(
        max_length=200, help_text="Why: entered twice, a test entry, lost…"
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
        help_text="A .csv or .xlsx file with the columns below in its first row. "
        "Nothing is imported unless every row is right.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
