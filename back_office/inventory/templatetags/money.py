"""Money and quantities as the admin writes them: `{{ amount|money:currency }}` gives
"USD 25,000.00", `{{ rate|rate_per_gram:currency }}` "USD 86.40/g"."""

from django import template

from back_office.inventory.pricing import format_money, format_rate

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    return "" if amount is None else format_money(amount, currency)


@register.filter
def rate_per_gram(rate, currency: str) -> str:
    return "" if rate is None else format_rate(rate, currency)


@register.filter
def quantity_of(quantity, item) -> str:
    """`{{ level.quantity|quantity_of:item }}`: "12", "4.5 g", "0.75 ct"."""
    return "" if quantity is None else item.quantity_text(quantity)
