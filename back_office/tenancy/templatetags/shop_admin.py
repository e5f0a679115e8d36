"""Template tags of the shop's admin screens."""

from django import template
from django.urls import reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.widgets import Button, ButtonWithDropdown
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

register = template.Library()

#: Wagtail's listing footer shows four actions, then "More".
SHOWN_BULK_ACTIONS = 4


def required_permission(action, app_label: str, model_name: str) -> str | None:
    """What a bulk action asks of the user: its `permission_required`, or for
    Wagtail's snippet delete the model's delete permission. Page and media actions
    check each object (its page tree, its collection) and are always offered."""
    if issubclass(action, DeleteBulkAction):
        return f"{app_label}.delete_{model_name}"
    return getattr(action, "permission_required", None)


@register.inclusion_tag("wagtailadmin/shared/buttons.html", takes_context=True)
def offered_bulk_action_choices(context, app_label, model_name):
    """Wagtail's bulk action buttons without those the user may not take: a button
    that can only end in a refusal is not offered."""
    user = context["request"].user
    actions = sorted(
        (
            action
            for action in bulk_action_registry.get_bulk_actions_for_model(
                app_label, model_name
            )
            if (permission := required_permission(action, app_label, model_name))
            is None
            or user.has_perm(permission)
        ),
        key=lambda action: action.action_priority,
    )

    def button(action, button_class):
        return button_class(
            action.display_name,
            reverse(
                "wagtail_bulk_action", args=[app_label, model_name, action.action_type]
            ),
            attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
            priority=action.action_priority,
            classname=" ".join(action.classes | {"bulk-action-btn"}),
        )

    buttons = [button(action, ListingButton) for action in actions[:SHOWN_BULK_ACTIONS]]
    if more := actions[SHOWN_BULK_ACTIONS:]:
        buttons.append(
            ButtonWithDropdown(
                label="More",
                attrs={"title": "More bulk actions"},
                classname="button button-secondary button-small",
                buttons=[button(action, Button) for action in more],
            )
        )
    return {"buttons": buttons}
