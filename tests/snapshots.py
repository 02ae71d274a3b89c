"""A plain-data picture of a whole sheet, for "nothing changed" assertions."""

from django.forms.models import model_to_dict


def _rows(queryset, exclude=("id", "sheet")):
    return [{k: v for k, v in model_to_dict(obj).items() if k not in exclude} for obj in queryset]


def sheet_snapshot(sheet) -> dict:
    snapshot = {k: v for k, v in model_to_dict(sheet).items() if k != "id"}
    for name in [
        "staff",
        "sub_programs",
        "history_events",
        "issues",
        "improvements",
        "budget_years",
        "breakdown_lines",
        "cost_lines",
        "stated_cost_totals",
    ]:
        snapshot[name] = _rows(getattr(sheet, name).order_by("pk"))
    snapshot["indicators"] = [
        (_rows([i])[0], _rows(i.values.order_by("pk"), exclude=("id", "indicator"))) for i in sheet.indicators.order_by("pk")
    ]
    snapshot["activity"] = [
        (
            _rows([a], exclude=("id", "sheet", "parent"))[0],
            a.parent.name if a.parent else None,
            _rows(a.values.order_by("pk"), exclude=("id", "item")),
        )
        for a in sheet.activity_items.order_by("pk")
    ]
    return snapshot
