"""Template filters for the form's display conventions (see programs/formatting.py)."""

from django import template

from programs import formatting

register = template.Library()

register.filter("amount", formatting.amount)
register.filter("era_fy", formatting.era_fiscal_year)
register.filter("short_fy", formatting.short_fiscal_year)


@register.filter
def printed(value, decimals=0):
    """{{ v.value|printed:v.decimals }}"""
    return formatting.printed_number(value, decimals)


@register.filter
def percent(value, decimals=1):
    return formatting.percent(value, decimals)
