"""The till: each branch's day (its float, the X report while it is open, the
Z report that closes it with the cash counted) and the days before, with their
variances for owners and managers."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets import HeaderButton

from back_office.sales import queries, services
from back_office.sales.admin.forms import CloseDayForm, OpenDayForm
from back_office.sales.models import TillDay
from back_office.sales.services.days import DENOMINATIONS
from back_office.tenancy.admin.views import ServiceFormView
from back_office.tenants.models import Branch


class TillDayIndexView(IndexView):
    """Each branch's day now, then every day, newest first; what was expected,
    counted and the variance for owners and managers."""

    template_name = "sales/till_index.html"
    CASH_COLUMNS = {"expected_cash", "counted_cash", "variance"}

    @cached_property
    def columns(self):
        columns = super().columns
        if self.request.user.has_perm("sales.view_day"):
            return columns
        return [c for c in columns if c.name not in self.CASH_COLUMNS]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("branch", "closed_by")

    def get_context_data(self, **kwargs):
        open_days = {
            day.branch_id: day
            for day in TillDay.objects.filter(status=TillDay.Status.OPEN)
        }
        return super().get_context_data(
            branches=[
                (branch, open_days.get(branch.pk))
                for branch in Branch.objects.order_by("name")
            ],
            **kwargs,
        )


class TillDayInspectView(InspectView):
    """A day's report: the X report (figures now) while it is open, the frozen Z
    report once closed. `?print=1` is the printable page."""

    template_name = "sales/till_day.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            TillDay.objects.select_related("branch", "opened_by", "closed_by"),
            pk=self.pk,
        )

    def get_template_names(self):
        if self.request.GET.get("print"):
            return ["sales/till_day_print.html"]
        return super().get_template_names()

    def get_page_title(self):
        return "X report" if self.object.is_open else "Z report"

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            day=self.object,
            report=queries.report_of(self.object),
            currency=self.request.tenant.currency,
            show_variance=self.request.user.has_perm("sales.view_day"),
            **kwargs,
        )

    @cached_property
    def header_buttons(self):
        day, user = self.object, self.request.user
        buttons = [
            HeaderButton(
                "Print",
                url=reverse("till:inspect", args=[day.pk]) + "?print=1",
                icon_name="doc-full",
                priority=10,
            )
        ]
        if day.is_open and user.has_perm("sales.close_day"):
            buttons.append(
                HeaderButton(
                    "Close the day (Z report)",
                    url=reverse("till:close", args=[day.pk]),
                    icon_name="lock",
                    priority=20,
                )
            )
        return buttons

    @cached_property
    def header_more_buttons(self):
        return []


class OpenDayView(ServiceFormView):
    """Open a branch's day with the float in the till."""

    permission_required = "sales.add_sale"
    form_class = OpenDayForm
    template_name = "sales/till_form.html"

    @cached_property
    def branch(self) -> Branch:
        return get_object_or_404(Branch, pk=self.kwargs["branch"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Open the day at {self.branch}",
            submit="Open the day",
            **kwargs,
        )

    def perform(self, form):
        day = services.open_day(
            self.branch,
            user=self.request.user,
            opening_float=form.cleaned_data["opening_float"],
        )
        messages.success(self.request, f"The day at {self.branch} is open.")
        return redirect("till:inspect", day.pk)


class DayActionView(ServiceFormView):
    @cached_property
    def day(self) -> TillDay:
        return get_object_or_404(
            TillDay.objects.select_related("branch"), pk=self.kwargs["pk"]
        )


class SetFloatView(DayActionView):
    """Correct the float of a day opened by its first sale (owners and managers:
    it moves the cash expected)."""

    permission_required = "sales.view_day"
    form_class = OpenDayForm
    template_name = "sales/till_form.html"

    def get_initial(self):
        return {"opening_float": self.day.opening_float}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"The float at {self.day.branch}", submit="Save", **kwargs
        )

    def perform(self, form):
        services.set_opening_float(
            self.day, form.cleaned_data["opening_float"], user=self.request.user
        )
        messages.success(self.request, "The float is saved.")
        return redirect("till:inspect", self.day.pk)


class CloseDayView(DayActionView):
    """The Z report: the cash counted by note and coin (or as a total)."""

    permission_required = "sales.close_day"
    form_class = CloseDayForm
    template_name = "sales/till_close.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "denominations": DENOMINATIONS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            day=self.day,
            report=queries.day_report(self.day),
            currency=self.request.tenant.currency,
            show_variance=self.request.user.has_perm("sales.view_day"),
            **kwargs,
        )

    def perform(self, form):
        day = services.close_day(
            self.day,
            user=self.request.user,
            counted_total=form.cleaned_data["counted_total"],
            denominations=form.counted(),
        )
        messages.success(self.request, f"The day at {day.branch} is closed.")
        return redirect("till:inspect", day.pk)
