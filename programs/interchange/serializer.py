"""A whole sheet as one JSON-ready document: the API's shape, and loadable by services.sheet_upsert."""

from django.urls import reverse

from finance.serializers import finance_document
from indicators.serializers import indicators_document
from programs.models import Sheet


def sheet_summary(sheet: Sheet, *, budget=None, settlement=None, settlement_is_estimate=None) -> dict:
    return {
        "fiscal_year": sheet.fiscal_year,
        "code": sheet.program.code,
        "name": sheet.name,
        "department": sheet.section.department.name,
        "section": sheet.section.name,
        "budget": budget,
        "settlement": settlement,
        "settlement_is_estimate": settlement_is_estimate,
        "url": reverse("programs:sheet_detail", args=[sheet.fiscal_year, sheet.program.code]),
        "api_url": reverse("api:sheet_detail", args=[sheet.fiscal_year, sheet.program.code]),
    }


def sheet_document(sheet: Sheet) -> dict:
    """Needs a sheet from selectors.sheet_document_queryset (everything prefetched)."""
    measure = sheet.measure
    return {
        **sheet_summary(sheet),
        "chief": sheet.chief,
        "staff": [person.name for person in sheet.staff.all()],
        "extension": sheet.extension,
        "strategy_plan": sheet.strategy_plan,
        "sub_programs": [{"budget_code": s.budget_code, "name": s.name} for s in sheet.sub_programs.all()],
        "business_type": sheet.business_type,
        "new_business_fiscal_year": sheet.new_business_fiscal_year,
        "start_fiscal_year": sheet.start_fiscal_year,
        "legal_basis": sheet.legal_basis,
        "has_end_date": sheet.has_end_date,
        "end_fiscal_year": sheet.end_fiscal_year,
        "implementation_standard": sheet.implementation_standard,
        "plan_category": sheet.plan_category,
        "policy": {
            "field": {"code": measure.policy.field.code, "name": measure.policy.field.name},
            "policy": {"code": measure.policy.code, "name": measure.policy.name},
            "measure": {"code": measure.code, "name": measure.name},
        },
        "purpose": sheet.purpose,
        "target_group": sheet.target_group,
        "content": sheet.content,
        "history": [
            {"year": e.year, "month": e.month, "text": e.text, "era_label": e.era_label, "group": e.group}
            for e in sheet.history_events.all()
        ],
        "necessity": sheet.necessity,
        "outsourcing": sheet.outsourcing,
        "direct_staff": sheet.direct_staff,
        "implementation_note": sheet.implementation_note,
        "classification": {
            "current": sheet.classification_current,
            "next": sheet.classification_next,
            "explanation": sheet.classification_explanation,
        },
        **indicators_document(sheet),
        **finance_document(sheet),
        "remarks": sheet.remarks,
        "issues": [{"number": i.number, "text": i.text} for i in sheet.issues.all()],
        "improvements": [
            {"number": p.number, "plan": p.plan, "result": p.result, "next": p.next} for p in sheet.improvements.all()
        ],
        "other_wards": {
            "implemented": sheet.other_wards_implemented,
            "not_implemented": sheet.other_wards_not_implemented,
            "unknown": sheet.other_wards_unknown,
            "notes": sheet.other_wards_notes,
        },
        "council": sheet.council_notes,
    }
