"""Forms of the sales screens; the services check every value again."""

from django import forms

from back_office.inventory.purity import Metal
from back_office.sales.models import (
    MAX_HOLD_HOURS,
    Customer,
    DiscountKind,
    SaleLine,
    SalesPolicy,
    Tender,
    TenderKind,
    TradeIn,
)
from back_office.tenants.models import Branch


class ExtendReservationForm(forms.Form):
    hours = forms.IntegerField(
        label="Hold it longer by (hours)",
        min_value=1,
        max_value=MAX_HOLD_HOURS,
        initial=24,
        help_text="At the same price. A reservation is held for 30 days at most.",
    )


class CancelReservationForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=200,
        help_text="Kept with the reservation and on the stock ledger; the customer "
        "is not shown it.",
    )


class SalesPolicyForm(forms.ModelForm):
    """The shop's sales policy (services.update_sales_policy checks it again)."""

    class Meta:
        model = SalesPolicy
        fields = [
            "reservation_hold_hours",
            "discount_basis",
            "discount_cap_percent",
            "trade_in_margin_percent",
            "trade_in_leeway_percent",
            "cash_payout_cap",
            "return_window_days",
        ]
        help_texts = {
            "reservation_hold_hours": "How long a piece reserved on the storefront "
            "is kept for the customer at the price quoted: from 1 hour to 720 (30 "
            "days). Reservations made already keep their hold.",
        }


# The counter. Each form is one action on the sale in progress; the services check
# every value again (a form only turns a post into values).

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2}


class StartSaleForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=Branch.objects.all(), label="At")


class ScanForm(forms.Form):
    code = forms.CharField(
        label="Scan or type a code",
        max_length=60,
        help_text="A piece's SKU, a quantity item's, or a reservation's reference. "
        "Anything else is searched for.",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    quantity = forms.DecimalField(
        max_digits=10, decimal_places=3, min_value=0, required=False, initial=1
    )


class LineForm(forms.Form):
    """An action on one line of the sale (its queryset: the sale's own lines)."""

    line = forms.ModelChoiceField(
        queryset=SaleLine.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, sale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = (
            sale.lines.all() if sale is not None else SaleLine.objects.none()
        )


class LineQuantityForm(LineForm):
    quantity = forms.DecimalField(max_digits=10, decimal_places=3, min_value=0)


class ApprovalFields(forms.Form):
    """A manager's credentials, typed by the manager, for a discount beyond the
    cap (services.approving_manager checks them)."""

    manager_email = forms.CharField(label="Manager's email", required=False)
    manager_password = forms.CharField(
        label="Manager's password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    manager_code = forms.CharField(
        label="Manager's code",
        required=False,
        help_text="From their authenticator app, if they use one.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def has_approval(self) -> bool:
        return bool(self.cleaned_data.get("manager_email"))


class SaleDiscountForm(ApprovalFields):
    kind = forms.ChoiceField(
        choices=[("", "No discount"), *DiscountKind.choices], required=False
    )
    value = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False
    )


class LineDiscountForm(LineForm, SaleDiscountForm):
    pass


class PriceForm(LineForm):
    price = forms.DecimalField(
        required=False,
        min_value=0,
        help_text="Tax as the shop's tags show it; empty: the piece's own price.",
        **MONEY_FIELD,
    )


class CustomerChoiceForm(forms.Form):
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.all(), required=False, widget=forms.HiddenInput
    )


class CustomerForm(forms.Form):
    name = forms.CharField(max_length=120)
    phone = forms.CharField(max_length=32, required=False)
    email = forms.CharField(max_length=254, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TenderForm(forms.Form):
    kind = forms.ChoiceField(
        label="Paid by",
        choices=[
            (kind, label)
            for kind, label in TenderKind.choices
            if kind != TenderKind.TRADE_IN
        ],
    )
    amount = forms.DecimalField(min_value=0, **MONEY_FIELD)
    reference = forms.CharField(
        max_length=60,
        required=False,
        help_text="A card's slip or approval code, a transfer's reference.",
    )


class TenderChoiceForm(forms.Form):
    tender = forms.ModelChoiceField(
        queryset=Tender.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, sale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tender"].queryset = (
            sale.tenders.all() if sale is not None else Tender.objects.none()
        )


class TradeInForm(forms.Form):
    description = forms.CharField(
        max_length=200, required=False, help_text="What it is: an old chain…"
    )
    metal = forms.ChoiceField(choices=Metal.choices, initial=Metal.GOLD)
    purity = forms.CharField(
        max_length=12, help_text="As tested: 916, 22K, 750…", initial="22K"
    )
    tested_by = forms.ChoiceField(label="Tested by", choices=TradeIn.Test.choices)
    gross_weight_g = forms.DecimalField(
        label="Gross weight (g)", max_digits=10, decimal_places=3, min_value=0
    )
    deduction_g = forms.DecimalField(
        label="Stones and dirt (g)",
        max_digits=10,
        decimal_places=3,
        min_value=0,
        required=False,
        initial=0,
    )
    melting_loss_percent = forms.DecimalField(
        label="Melting loss (%)",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        required=False,
        initial=0,
    )
    buy_rate = forms.DecimalField(
        label="Buy rate (pure, per g)",
        max_digits=14,
        decimal_places=4,
        min_value=0,
        required=False,
        help_text="Empty: the shop's rate, today's less its margin.",
    )


class CompleteForm(forms.Form):
    expected_total = forms.DecimalField(widget=forms.HiddenInput, **MONEY_FIELD)
    excess_to = forms.ChoiceField(
        label="Old metal worth more than the sale",
        choices=[
            ("", "—"),
            ("store_credit", "Store credit"),
            ("cash", "Cash paid out"),
        ],
        required=False,
    )


class BranchForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=Branch.objects.all())


# After the sale


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="Why is it voided?",
        max_length=200,
        help_text="Kept with the sale, on the stock ledger and in the shop's history.",
    )


class ReturnForm(forms.Form):
    """One quantity field per returnable line of the sale, and the refund."""

    refund_kind = forms.ChoiceField(label="Refund by")
    refund_reference = forms.CharField(
        label="Refund reference",
        max_length=60,
        required=False,
        help_text="The card refund's slip.",
    )
    reason = forms.CharField(label="Why does it come back?", max_length=200)

    def __init__(self, *args, sale, **kwargs):
        super().__init__(*args, **kwargs)
        self.sale = sale
        sold = sale.pk is not None
        paid = {t.kind for t in sale.tenders.all() if t.amount > 0} if sold else set()
        self.fields["refund_kind"].choices = [
            (kind, label)
            for kind, label in TenderKind.choices
            if kind == TenderKind.STORE_CREDIT
            or (kind in paid and kind != TenderKind.TRADE_IN)
        ]
        for line in sale.lines.all() if sold else []:
            if line.returnable_quantity > 0:
                self.fields[f"line_{line.pk}"] = forms.DecimalField(
                    label=f"{line.sku} {line.description}",
                    max_digits=10,
                    decimal_places=3,
                    min_value=0,
                    max_value=line.returnable_quantity,
                    required=False,
                    initial=0,
                )

    def quantities(self) -> dict[int, object]:
        return {
            int(name.removeprefix("line_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("line_") and value
        }


# The till


class OpenDayForm(forms.Form):
    opening_float = forms.DecimalField(
        label="Cash in the till (float)", min_value=0, initial=0, **MONEY_FIELD
    )


class CloseDayForm(forms.Form):
    """The cash counted, by note and coin, or as one total."""

    counted_total = forms.DecimalField(
        label="Or the total counted",
        min_value=0,
        required=False,
        **MONEY_FIELD,
    )

    def __init__(self, *args, denominations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.denominations = denominations
        for value in denominations:
            self.fields[f"count_{value}"] = forms.IntegerField(
                label=value, min_value=0, required=False
            )

    def counted(self) -> dict[str, int]:
        return {
            value: self.cleaned_data.get(f"count_{value}") or 0
            for value in self.denominations
            if self.cleaned_data.get(f"count_{value}")
        }

    def clean(self):
        data = super().clean()
        if not self.counted() and data.get("counted_total") is None:
            raise forms.ValidationError("Count the cash in the till.")
        return data


class ExportForm(forms.Form):
    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The start is after the end.")
        if (
            data.get("start")
            and data.get("end")
            and (data["end"] - data["start"]).days > 366
        ):
            raise forms.ValidationError("Export a year at most at a time.")
        return data
