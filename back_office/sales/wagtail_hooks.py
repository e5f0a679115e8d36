from wagtail import hooks

from back_office.sales.admin.viewsets import SalesViewSetGroup
from back_office.tenancy.admin.history import register_events


@hooks.register("register_admin_viewset")
def register_sales_viewsets():
    return SalesViewSetGroup()


@hooks.register("register_log_actions")
def register_sales_log_actions(actions):
    register_events(
        actions,
        {
            "sales.reservation_made": ("Reserve", "Reserved on the storefront"),
            "sales.reservation_extended": (
                "Extend reservation",
                "Reservation held longer",
            ),
            "sales.reservation_cancelled": (
                "Cancel reservation",
                "Reservation cancelled",
            ),
            "sales.reservation_expired": ("Expire reservation", "Reservation expired"),
            "sales.policy_changed": ("Change sales policy", "Sales policy changed"),
        },
    )
