"""Admin views whose saving goes through the shop services."""

from django.contrib import messages
from wagtail.admin.views.generic import CreateView, DeleteView, EditView

from back_office.tenants import services
from back_office.tenants.context import require_tenant
from back_office.tenants.models import Tenant


class ServiceFormMixin:
    """Show a refused operation (TenantError) as a form error, changing nothing."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.TenantError as error:
            form.add_error(None, str(error))
            messages.error(self.request, str(error))
            return self.form_invalid(form)


class TenantCreateView(ServiceFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        (hostname, port), *more_hostnames = data["hostnames"]
        onboarding = services.create_tenant(
            name=data["name"],
            slug=data["slug"],
            hostname=hostname,
            port=port,
            owner_email=data["owner_email"],
            currency=data["currency"],
            tax_rate=data["tax_rate"],
            prices_include_tax=data["prices_include_tax"],
            timezone=data["timezone"],
            base_url=self.request.build_absolute_uri("/"),
        )
        for hostname, port in more_hostnames:
            services.add_site(onboarding.tenant, hostname, port)
        self.password_link = onboarding.password_link
        return onboarding.tenant

    def get_success_message(self, instance):
        return (
            f"{instance.name} is ready. Send the owner this link to set a password: "
            f"{self.password_link}"
        )


class TenantEditView(ServiceFormMixin, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        tenant = self.form.save(commit=False)
        new_status = tenant.status
        # The status changes through set_status, which logs who did it.
        tenant.status = Tenant.objects.get(pk=tenant.pk).status
        tenant.save()
        services.set_hostnames(tenant, data["hostnames"])
        if new_status != tenant.status:
            services.set_status(tenant, new_status, by=self.request.user)
        return tenant


class StaffAddView(ServiceFormMixin, CreateView):
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


class StaffEditView(ServiceFormMixin, EditView):
    def save_instance(self):
        return services.change_role(self.object, self.form.cleaned_data["role"])


class StaffDeleteView(DeleteView):
    def delete_action(self):
        services.remove_member(self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.TenantError as error:
            messages.error(self.request, str(error))
            return self.get(self.request)
