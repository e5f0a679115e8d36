"""The counter: a sale built at the till, keyboard first.

One screen per sale in progress. The scan field keeps the focus (a barcode
scanner types the SKU and Enter); each action is a POST to the sale's action URL,
which calls one service and comes back to the screen (or shows the refusal on
it, nothing written). A GET never writes: starting a sale is a POST too.

Every object a post names (a line, a tender, a customer, a branch) is looked up
among the current shop's rows, and a line or tender among the sale's own.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from back_office.inventory.models import ON_HAND, Piece, StockItem
from back_office.sales import queries, services
from back_office.sales.admin import forms
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.sales.models import Customer, Sale, TenderKind
from back_office.tenancy.admin.views import RequirePermissionMixin
from back_office.tenancy.errors import DomainError
from back_office.tenants.models import Branch

SELL = "sales.add_sale"
FOUND = 8  # search results shown


def counter_url(sale: Sale) -> str:
    return reverse("counter:sale", args=[sale.pk])


def _default_branch(user) -> Branch | None:
    """Where the user sells: the branch of their latest sale, or the first."""
    last = (
        Sale.objects.filter(started_by=user)
        .order_by("-started_at")
        .values_list("branch_id", flat=True)
        .first()
    )
    branches = Branch.objects.order_by("name")
    return branches.filter(pk=last).first() or branches.first()


class CounterHomeView(RequirePermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """The counter before a sale: start one at a branch, or resume a parked one
    (any counter of the branch), or go back to the user's own in progress."""

    permission_required = SELL
    template_name = "sales/counter_home.html"
    page_title = "Counter"
    header_icon = "form"

    def get_context_data(self, **kwargs):
        user = self.request.user
        branch = _default_branch(user)
        return super().get_context_data(
            start_form=forms.StartSaleForm(initial={"branch": branch}),
            in_progress=Sale.objects.filter(status=Sale.Status.OPEN, served_by=user)
            .select_related("branch")
            .order_by("-started_at"),
            parked=Sale.objects.filter(status=Sale.Status.PARKED)
            .select_related("branch", "customer", "started_by")
            .order_by("-started_at"),
            reservations=queries.open_reservations().select_related("piece", "branch"),
            **kwargs,
        )

    def post(self, request):
        form = forms.StartSaleForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose the branch to sell at.")
            return redirect("counter:home")
        sale = services.start_sale(
            branch=form.cleaned_data["branch"], user=request.user
        )
        return redirect(counter_url(sale))


@dataclass(frozen=True)
class Action:
    form: type
    run: object  # (view, form) -> the message to show, or None
    with_sale: bool = False  # the form's choices are the sale's own rows


def _scan(view, form):
    data = form.cleaned_data
    line = services.add_code(
        view.sale, data["code"], user=view.request.user, quantity=data["quantity"] or 1
    )
    return f"{line.sku} added."


def _approver(view, form):
    if not form.has_approval():
        return None
    data = form.cleaned_data
    return services.approving_manager(
        view.request,
        email=data["manager_email"],
        password=data["manager_password"],
        code=data["manager_code"],
    )


def _sale_discount(view, form):
    data = form.cleaned_data
    services.set_sale_discount(
        view.sale,
        data["kind"],
        data["value"],
        user=view.request.user,
        approver=_approver(view, form),
    )


def _line_discount(view, form):
    data = form.cleaned_data
    services.set_line_discount(
        data["line"],
        data["kind"],
        data["value"],
        user=view.request.user,
        approver=_approver(view, form),
    )


def _quantity(view, form):
    services.set_quantity(
        form.cleaned_data["line"], form.cleaned_data["quantity"], user=view.request.user
    )


def _remove_line(view, form):
    services.remove_line(form.cleaned_data["line"], user=view.request.user)


def _price(view, form):
    services.override_price(
        form.cleaned_data["line"], form.cleaned_data["price"], user=view.request.user
    )


def _customer(view, form):
    services.set_customer(
        view.sale, form.cleaned_data["customer"], user=view.request.user
    )


def _new_customer(view, form):
    customer = services.add_customer(user=view.request.user, **form.cleaned_data)
    services.set_customer(view.sale, customer, user=view.request.user)
    return f"{customer} is a customer now."


def _tender(view, form):
    data = form.cleaned_data
    services.add_tender(
        view.sale,
        data["kind"],
        data["amount"],
        reference=data["reference"],
        user=view.request.user,
    )


def _remove_tender(view, form):
    services.remove_tender(form.cleaned_data["tender"], user=view.request.user)


def _trade_in(view, form):
    trade_in = services.add_trade_in(
        view.sale, user=view.request.user, **form.cleaned_data
    )
    return f"Old metal taken at {trade_in.value:,} {view.sale.currency}."


def _branch(view, form):
    services.move_to_branch(
        view.sale, form.cleaned_data["branch"], user=view.request.user
    )


ACTIONS = {
    "scan": Action(forms.ScanForm, _scan),
    "discount": Action(forms.SaleDiscountForm, _sale_discount),
    "line-discount": Action(forms.LineDiscountForm, _line_discount, with_sale=True),
    "quantity": Action(forms.LineQuantityForm, _quantity, with_sale=True),
    "remove-line": Action(forms.LineForm, _remove_line, with_sale=True),
    "price": Action(forms.PriceForm, _price, with_sale=True),
    "customer": Action(forms.CustomerChoiceForm, _customer),
    "new-customer": Action(forms.CustomerForm, _new_customer),
    "tender": Action(forms.TenderForm, _tender),
    "remove-tender": Action(forms.TenderChoiceForm, _remove_tender, with_sale=True),
    "trade-in": Action(forms.TradeInForm, _trade_in),
    "branch": Action(forms.BranchForm, _branch),
}


class CounterView(RequirePermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """A sale in progress at the counter (see the module's docstring)."""

    permission_required = SELL
    template_name = "sales/counter.html"
    header_icon = "form"

    @cached_property
    def sale(self) -> Sale:
        return get_object_or_404(
            Sale.objects.select_related("branch", "customer"), pk=self.kwargs["pk"]
        )

    def get_page_title(self):
        return f"Sale at {self.sale.branch}"

    def get(self, request, *args, **kwargs):
        if not self.sale.is_building:
            return redirect("sales:inspect", self.sale.pk)
        if self.sale.status == Sale.Status.PARKED:
            messages.info(request, "This sale is parked: resume it to go on.")
            return redirect("counter:home")
        return super().get(request, *args, **kwargs)

    def post(self, request, pk, action):
        if action in ("park", "discard", "resume", "complete"):
            return getattr(self, action.replace("-", "_"))()
        chosen = ACTIONS.get(action)
        if chosen is None:
            raise Http404
        options = {"sale": self.sale} if chosen.with_sale else {}
        form = chosen.form(request.POST, **options)
        if not form.is_valid():
            return self.refused(action, form, _form_errors(form))
        try:
            message = chosen.run(self, form)
        except DomainError as error:
            if action == "scan" and error.code == SalesErrorCode.NOT_FOUND:
                # Words, not a code: the pieces and items they describe.
                messages.warning(request, error.message)
                find = urlencode({"find": form.cleaned_data["code"]})
                return redirect(f"{counter_url(self.sale)}?{find}")
            return self.refused(action, form, error.message)
        if message:
            messages.success(request, message)
        return redirect(counter_url(self.sale))

    def refused(self, action: str, form, message: str):
        """The screen again with the refusal beside the form that asked, and that
        form as it was filled in (a password never comes back)."""
        context = self.get_context_data(refusal=message, refused_action=action)
        if form is not None:
            context["forms"][action.replace("-", "_")] = form
        return self.render_to_response(context)

    def park(self):
        try:
            services.park_sale(self.sale, user=self.request.user)
        except SalesError as error:
            return self.refused("park", None, error.message)
        messages.success(
            self.request, "The sale is parked: resume it from any counter here."
        )
        return redirect("counter:home")

    def resume(self):
        try:
            services.resume_sale(self.sale, user=self.request.user)
        except SalesError as error:
            messages.error(self.request, error.message)
            return redirect("counter:home")
        return redirect(counter_url(self.sale))

    def discard(self):
        try:
            services.discard_sale(self.sale, user=self.request.user)
        except SalesError as error:
            return self.refused("discard", None, error.message)
        messages.success(self.request, "The sale is cleared.")
        return redirect("counter:home")

    def complete(self):
        form = forms.CompleteForm(self.request.POST)
        if not form.is_valid():
            return self.refused("complete", form, _form_errors(form))
        try:
            sale = services.complete_sale(
                self.sale,
                user=self.request.user,
                expected_total=form.cleaned_data["expected_total"],
                excess_to=form.cleaned_data["excess_to"],
            )
        except DomainError as error:  # the ledger's own refusals too
            return self.refused("complete", form, error.message)
        messages.success(self.request, f"Sale {sale.number} is complete.")
        return redirect("sales:inspect", sale.pk)

    def get_context_data(self, **kwargs):
        sale = self.sale
        request = self.request
        figures, problem = None, ""
        try:
            figures = services.counter.figures(sale)
        except SalesError as error:
            problem = error.message
        total = figures.total if figures else None
        settlement = queries.settlement(sale, total) if figures else None
        found = request.GET.get("find", "").strip()
        who = request.GET.get("customer", "").strip()
        return super().get_context_data(
            sale=sale,
            figures=figures,
            pricing_problem=problem,
            settlement=settlement,
            tenders=sale.tenders.select_related("trade_in"),
            credit=queries.store_credit(sale.customer) if sale.customer else None,
            pieces_found=_pieces_like(found, sale.branch) if found else None,
            items_found=_items_like(found) if found else None,
            found=found,
            customers_found=_customers_like(who) if who else None,
            customer_query=who,
            # Those to be collected here (a piece elsewhere is transferred first).
            reservations=queries.open_reservations()
            .filter(branch=sale.branch)
            .select_related("piece"),
            forms={
                "scan": forms.ScanForm(initial={"code": found} if found else None),
                "discount": forms.SaleDiscountForm(
                    initial={"kind": sale.discount_kind, "value": sale.discount_value}
                ),
                "tender": forms.TenderForm(
                    initial={
                        "kind": TenderKind.CASH,
                        "amount": settlement.remaining if settlement else None,
                    }
                ),
                "trade_in": forms.TradeInForm(),
                "new_customer": forms.CustomerForm(),
                "complete": forms.CompleteForm(initial={"expected_total": total}),
                "branch": forms.BranchForm(initial={"branch": sale.branch}),
            },
            policy=queries.sales_policy(),
            can_override=request.user.has_perm("sales.override_price"),
            can_approve=request.user.has_perm("sales.approve_discount"),
            branches=Branch.objects.order_by("name"),
            **kwargs,
        )


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label or name.replace('_', ' ').capitalize()}: "
        f"{' '.join(errors)}"
        if name != "__all__" and name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


def _pieces_like(text: str, branch) -> list[Piece]:
    """Pieces on hand at `branch` whose SKU, title, hallmark or category has
    `text`, for the assistant who typed words, not a code."""
    words = Q()
    for field in ("sku", "title", "hallmark", "category__name"):
        words |= Q(**{f"{field}__icontains": text})
    return list(
        Piece.objects.filter(words, status__in=ON_HAND, branch=branch)
        .select_related("category")
        .order_by("sku")[:FOUND]
    )


def _customers_like(text: str) -> list[Customer]:
    return list(
        Customer.objects.filter(
            Q(name__icontains=text)
            | Q(phone__icontains=text)
            | Q(email__icontains=text)
        ).order_by("name")[:FOUND]
    )


def _items_like(text: str) -> list[StockItem]:
    return list(
        StockItem.objects.filter(
            Q(sku__icontains=text) | Q(title__icontains=text),
            kind=StockItem.Kind.GOODS,
        ).order_by("sku")[:FOUND]
    )
