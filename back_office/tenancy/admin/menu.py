"""Admin menu entries that depend on who is signed in, and as which shop."""

from wagtail.admin.menu import MenuItem

from back_office.tenancy.context import current_tenant


class PermissionMenuItem(MenuItem):
    """A menu entry shown only to people holding one permission."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class SwitchShopMenuItem(MenuItem):
    """Names the shop being worked in; shown to people who may work in several."""

    def is_shown(self, request):
        return (
            request.user.is_superuser
            or len(getattr(request, "tenant_memberships", [])) > 1
        )

    def render_component(self, request):
        component = super().render_component(request)
        tenant = current_tenant()
        component.label = f"Shop: {tenant}" if tenant else "Choose a shop"
        return component
