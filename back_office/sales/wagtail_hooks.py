from wagtail import hooks

from back_office.sales.admin.panels import SalesSummaryPanel
from back_office.sales.admin.viewsets import SalesViewSetGroup
from back_office.tenancy.admin.history import register_events
from back_office.tenancy.context import current_tenant


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
            "sales.reservation_collected": (
                "Collect reservation",
                "Reservation collected: sold",
            ),
            "sales.policy_changed": ("Change sales policy", "Sales policy changed"),
            "sales.sale_completed": ("Complete sale", "Sale completed"),
            "sales.discount_approved": ("Approve discount", "Discount approved"),
            "sales.price_overridden": ("Set price", "Price set at the counter"),
            "sales.returned": ("Take return", "Return taken"),
            "sales.voided": ("Void sale", "Sale voided"),
            "sales.day_opened": ("Open day", "Day opened"),
            "sales.float_changed": ("Change float", "Opening float changed"),
            "sales.day_closed": ("Close day", "Day closed (Z report)"),
        },
    )


@hooks.register("construct_homepage_panels")
def add_sales_summary_panel(request, panels):
    if current_tenant() is not None and request.user.has_perm("sales.view_sale"):
        panels.append(SalesSummaryPanel())
