"""Shop and staff screens whose saving goes through the shop services."""

from wagtail.admin.views.generic import CreateView, DeleteView, EditView

from back_office.tenancy.admin.views import DomainErrorMixin
from back_office.tenancy.context import require_tenant
from back_office.tenants import services


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
            base_url=self.request.build_absolute_uri("/"),
        )
        self.password_link = onboarding.password_link
        return onboarding.tenant

    def get_success_message(self, instance):
        return (
            f"{instance.name} is ready. Send the owner this link to set a password: "
            f"{self.password_link}"
        )


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


class StaffAddView(DomainErrorMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        membership, created = services.add_member(
            require_tenant(), data["email"], data["role"]
        )
        if created:
            self.password_link = services.password_setting_link(
                membership.user, self.request.build_absolute_uri("/")
            )
        return membership

    def get_success_message(self, instance):
        link = getattr(self, "password_link", None)
        if link:
            return f"{instance.user.email} added. Send them this link: {link}"
        return f"{instance.user.email} added as {instance.get_role_display()}."


class StaffEditView(DomainErrorMixin, EditView):
    def save_instance(self):
        return services.change_role(self.object, self.form.cleaned_data["role"])


class StaffDeleteView(DomainErrorMixin, DeleteView):
    def delete_action(self):
        services.remove_member(self.object)
