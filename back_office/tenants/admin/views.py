"""Shop and staff screens whose saving goes through the shop services."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.views.generic import CreateView, DeleteView, EditView

from back_office.tenancy.admin.views import DomainErrorMixin, ServiceFormView
from back_office.tenancy.context import require_tenant
from back_office.tenants import services
from back_office.tenants.admin.forms import ShopLogoForm


class ShopLogoView(ServiceFormView):
    """The owner chooses the shop's logo among its images."""

    permission_required = "tenants.change_logo"
    form_class = ShopLogoForm
    template_name = "tenants/shop_logo.html"

    def get_initial(self):
        return {"logo": require_tenant().logo}

    def perform(self, form):
        services.set_logo(
            require_tenant(), form.cleaned_data["logo"], by=self.request.user
        )
        messages.success(self.request, "The shop's logo is saved.")
        return redirect("tenants_shop_logo")


class TenantCreateView(DomainErrorMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        (hostname, port), *more_hostnames = data["hostnames"]
        onboarding = services.create_tenant(
            name=data["name"],
            slug=data["slug"],
            hostname=hostname,
            port=port,
            more_hostnames=more_hostnames,
            owner_email=data["owner_email"],
            currency=data["currency"],
            tax_rate=data["tax_rate"],
            prices_include_tax=data["prices_include_tax"],
            timezone=data["timezone"],
            by=self.request.user,
        )
        return onboarding.tenant

    def get_success_message(self, instance):
        owner = self.form.cleaned_data["owner_email"]
        return f"{instance.name} is ready. Its owner, {owner}, was invited by email."


class TenantEditView(DomainErrorMixin, EditView):
    def save_instance(self):
        data = dict(self.form.cleaned_data)
        return services.update_tenant(
            self.object,
            hostnames=data.pop("hostnames"),
            status=data.pop("status"),
            by=self.request.user,
            **data,
        )


class BranchCreateView(DomainErrorMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.add_branch(
            require_tenant(),
            data["name"],
            data["code"],
            data["address"],
            user=self.request.user,
        )


class StaffEditView(DomainErrorMixin, EditView):
    def save_instance(self):
        return services.change_role(
            self.object, self.form.cleaned_data["role"], by=self.request.user
        )


class StaffDeleteView(DomainErrorMixin, DeleteView):
    def delete_action(self):
        services.remove_member(self.object)


class InviteView(DomainErrorMixin, CreateView):
    """The shop asks someone to join; the answer never says whether the address has
    an account, and the shop never sees the link."""

    page_title = "Invite someone"

    def save_instance(self):
        data = self.form.cleaned_data
        return services.invite(
            require_tenant(), data["email"], data["role"], by=self.request.user
        )

    def get_success_message(self, instance):
        return (
            f"Invitation sent to {instance.email}. They join as "
            f"{instance.get_role_display().lower()} once they accept."
        )

    def get_success_url(self):
        return reverse(self.index_url_name)

    def get_success_buttons(self):
        return []  # an invitation has no edit screen


class WithdrawInvitationView(DomainErrorMixin, DeleteView):
    page_title = "Withdraw invitation"
    template_name = "tenants/withdraw_invitation.html"

    @property
    def confirmation_message(self):
        return (
            f"Withdraw the invitation to {self.object.email}? Its link stops working."
        )

    def delete_action(self):
        services.revoke_invitation(self.object, by=self.request.user)

    def get_success_message(self):
        return f"The invitation to {self.object.email} is withdrawn."
