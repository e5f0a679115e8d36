from wagtail import hooks

from back_office.tenants.admin.viewsets import ShopViewSetGroup, TenantViewSet


@hooks.register("register_log_actions")
def register_tenant_log_actions(actions):
    actions.register_action("tenants.suspended", "Suspend", "Shop suspended")
    actions.register_action("tenants.active", "Reactivate", "Shop reactivated")
    actions.register_action("tenants.invitation.sent", "Invite", "Invitation sent")
    actions.register_action(
        "tenants.invitation.accepted", "Accept invitation", "Invitation accepted"
    )
    actions.register_action(
        "tenants.invitation.revoked", "Withdraw invitation", "Invitation withdrawn"
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [TenantViewSet("shops"), ShopViewSetGroup()]
