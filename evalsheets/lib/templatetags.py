"""Template filters for the form's display conventions (see evalsheets/lib/formatting.py).

Registered as a builtin in settings.TEMPLATES, so templates need no {% load %}."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from evalsheets.lib import formatting
from evalsheets.lib.rates import RATE_LEVELS, rate_level

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


@register.filter
def choice_marks(obj, field_name: str):
    """All options of a choice field as on the form: ◉ for the selected one, ○ for the others."""
    field = obj._meta.get_field(field_name)
    selected = getattr(obj, field_name)
    return format_html_join(
        "",
        '<span class="choice{}"><span class="mark" aria-hidden="true">{}</span>{}{}</span>',
        (
            (
                " selected" if value == selected else "",
                "◉" if value == selected else "○",
                label,
                mark_safe('<span class="visually-hidden">（選択）</span>') if value == selected else "",
            )
            for value, label in field.choices
        ),
    )


@register.filter
def text_blocks(text: str) -> list[dict]:
    """Split a text kept one item per line into blocks: list items (・ or ○ bullets) and paragraphs."""
    blocks: list[dict] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line[0] in "・○●◆■◎":
            if not blocks or blocks[-1]["kind"] != "list":
                blocks.append({"kind": "list", "items": []})
            blocks[-1]["items"].append(line)
        else:
            blocks.append({"kind": "paragraph", "text": line})
    return blocks


@register.filter
def signed_class(value) -> str:
    """CSS class for a figure: negative amounts are shown ▲ in red."""
    try:
        return "negative" if value is not None and float(value) < 0 else ""
    except (TypeError, ValueError):
        return ""


register.filter("circled", formatting.circled)
register.filter("missing", formatting.is_missing)
register.filter("signed_percent", formatting.signed_percent)


@register.simple_tag
def rate_levels_note() -> str:
    """The legend of the 執行率 marks, from the thresholds in evalsheets.lib.rates."""
    return "、".join(f"{mark} は執行率{note}" for mark, note in RATE_LEVELS.values())


@register.filter
def rate(value):
    """執行率 with its level (evalsheets.lib.rates): ◆ below 80%, ◇ below 90%, with the reason as text."""
    text = formatting.percent(value)
    level = rate_level(value)
    if not level:
        return text
    mark, note = RATE_LEVELS[level]
    return format_html(
        '<span class="rate-{}" title="執行率{}">{} {}<span class="visually-hidden">（執行率{}）</span></span>',
        level,
        note,
        mark,
        text,
        note,
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key, []) if hasattr(mapping, "get") else []


@register.filter
def cell(value, key=""):
    """A value of an analytics table: era years, 千円/円 amounts with ▲, rates with one decimal, flags."""
    if formatting.is_missing(value):
        return formatting.EMPTY
    if key in ("fiscal_year", "reported_in", "target_fiscal_year"):
        return formatting.era_fiscal_year(value)
    if key.endswith("_yen"):  # 円 per person or per unit, to 0.1 円
        return formatting.yen(value)
    if isinstance(value, bool):
        return "見込み" if value else ""
    if isinstance(value, float) and ("rate" in key or key in ("share", "achievement")):
        return formatting.printed_number(value, 1)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return formatting.amount(value) if float(value).is_integer() else formatting.printed_number(value, 1)
    return value


@register.filter
def index(sequence, position):
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return ""


@register.simple_tag
def scoped_url(name, scope, *args):
    """{% scoped_url 'programs:sheet_detail' sheet.program.municipality year code %}: the URL of `name` with `args`,
    under /m/<団体コード>/ when `scope` (anything with url_kwargs(), e.g. a Municipality) is not the default
    municipality — so a page of another municipality links to that municipality's pages."""
    extra = scope.url_kwargs() if scope is not None else {}
    if not extra:
        return reverse(name, args=args)
    return reverse(name, args=[extra["municipality"], *args])
