"""A customer's sheet: purchases, returns, reservations, trade-ins and store
credit. Customers are added and changed through the services."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from wagtail.admin.views.generic import CreateView, EditView, InspectView

from back_office.sales import queries, services
from back_office.sales.models import (
    Reservation,
    Sale,
    SaleReturn,
    StoreCreditEntry,
    TradeIn,
)
from back_office.tenancy.admin.views import DomainErrorMixin

FIELDS = ("name", "phone", "email", "notes")


class CustomerCreateView(DomainErrorMixin, CreateView):
    def save_instance(self):
        data = {field: self.form.cleaned_data[field] for field in FIELDS}
        return services.add_customer(user=self.request.user, **data)


class CustomerEditView(DomainErrorMixin, EditView):
    def save_instance(self):
        data = {field: self.form.cleaned_data[field] for field in FIELDS}
        return services.change_customer(self.object, user=self.request.user, **data)


class CustomerInspectView(InspectView):
    template_name = "sales/customer_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(self.model, pk=self.pk)

    def get_context_data(self, **kwargs):
        customer = self.object
        contact = Q(pk__in=[])
        if customer.email:
            contact |= Q(email__iexact=customer.email)
        if customer.phone:
            contact |= Q(phone=customer.phone)
        return super().get_context_data(
            customer=customer,
            currency=self.request.tenant.currency,
            sales=Sale.objects.filter(
                customer=customer,
                status__in=[Sale.Status.COMPLETED, Sale.Status.VOIDED],
            )
            .select_related("branch")
            .prefetch_related("lines"),
            returns=SaleReturn.objects.filter(sale__customer=customer).select_related(
                "sale"
            ),
            reservations=Reservation.objects.filter(contact).select_related("piece"),
            trade_ins=TradeIn.objects.filter(
                sale__customer=customer, sale__status=Sale.Status.COMPLETED
            ).select_related("sale"),
            credit_entries=StoreCreditEntry.objects.filter(customer=customer),
            credit=queries.store_credit(customer),
            **kwargs,
        )
