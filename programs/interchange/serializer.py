"""A whole sheet as one JSON-ready document: the API's shape, and loadable by services.sheet_upsert."""

from django.urls import reverse

from finance.serializers import finance_document
from indicators.serializers import indicators_document
from programs.models import Municipality, Sheet
from programs.sheet_fields import Block, Kind, SheetField, document_part


def municipality_document(municipality: Municipality) -> dict:
    return {
        "code": municipality.code,
        "name": municipality.name,
        "prefecture": municipality.prefecture,
        "kind": municipality.kind,
    }


def sheet_summary(sheet: Sheet, *, budget=None, settlement=None, settlement_is_estimate=None) -> dict:
    """Needs the sheet with program__municipality and section__department (one query for a page of sheets)."""
    return {
        "municipality": municipality_document(sheet.program.municipality),
        "fiscal_year": sheet.fiscal_year,
        "code": sheet.program.code,
        "name": sheet.name,
        "department": sheet.section.department.name,
        "section": sheet.section.name,
        "budget": budget,
        "settlement": settlement,
        "settlement_is_estimate": settlement_is_estimate,
        "url": reverse("programs:sheet_detail", kwargs=sheet.url_kwargs()),
        "api_url": reverse("api:sheet_detail", kwargs=sheet.url_kwargs()),
    }


def sheet_document(sheet: Sheet) -> dict:
    """Needs a sheet from selectors.sheet_document_queryset (everything prefetched)."""

    def simple(*blocks: Block) -> dict:
        return document_part(lambda field: _field_value(sheet, field), *blocks)

    measure = sheet.measure
    return {
        **sheet_summary(sheet),
        **simple(Block.HEAD),
        "sub_programs": [{"budget_code": s.budget_code, "name": s.name} for s in sheet.sub_programs.all()],
        **simple(Block.PLAN),
        "policy": {
            "field": {"code": measure.policy.field.code, "name": measure.policy.field.name},
            "policy": {"code": measure.policy.code, "name": measure.policy.name},
            "measure": {"code": measure.code, "name": measure.name},
        },
        **simple(Block.OUTLINE),
        "history": [
            {"year": e.year, "month": e.month, "text": e.text, "era_label": e.era_label, "group": e.group}
            for e in sheet.history_events.all()
        ],
        **simple(Block.NECESSITY, Block.IMPLEMENTATION, Block.CLASSIFICATION),
        "texts": [{"key": t.key, "label": t.label, "role": t.role, "text": t.text} for t in sheet.texts.all()],
        **indicators_document(sheet),
        **finance_document(sheet),
        **simple(Block.REMARKS),
        "issues": [{"number": i.number, "text": i.text} for i in sheet.issues.all()],
        "improvements": [
            {"number": p.number, "plan": p.plan, "result": p.result, "next": p.next} for p in sheet.improvements.all()
        ],
        **simple(Block.OTHER_WARDS, Block.COUNCIL),
    }


def _field_value(sheet: Sheet, field: SheetField):
    if field.kind is Kind.NAMES:
        return [person.name for person in sheet.staff.all()]
    if field.kind is Kind.STAFF_KINDS:
        return sheet.direct_staff
    return getattr(sheet, field.model_field)
