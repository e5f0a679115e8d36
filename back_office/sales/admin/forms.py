"""Forms of the sales screens; the services check every value again."""

from django import forms

from back_office.sales.models import DEFAULT_HOLD_HOURS, MAX_HOLD_HOURS


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


class SalesPolicyForm(forms.Form):
    reservation_hold_hours = forms.IntegerField(
        label="Hold reservations for (hours)",
        min_value=1,
        max_value=MAX_HOLD_HOURS,
        initial=DEFAULT_HOLD_HOURS,
        help_text="How long a piece reserved on the storefront is kept for the "
        "customer at the price quoted: from 1 hour to 720 (30 days). Reservations "
        "made already keep their hold.",
    )
