"""Money as the admin writes it: `{{ amount|money:currency }}` gives "USD 25,000.00",
`{{ rate|rate_per_gram:currency }}` gives "USD 86.40/g"."""

from django import template

from back_office.inventory.pricing import format_money, format_rate

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    return "" if amount is None else format_money(amount, currency)


@register.filter
def rate_per_gram(rate, currency: str) -> str:
    return "" if rate is None else format_rate(rate, currency)
