"""Writes of the programs app: creating or updating a whole sheet from a document."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from evalsheets.lib.history import bulk_create_recorded
from finance.services import finance_replace
from indicators.services import indicators_replace
from programs import choices
from programs.documents import DocumentError, DocumentReader
from programs.models import (
    Department,
    HistoryEvent,
    Improvement,
    Measure,
    Policy,
    PolicyField,
    Program,
    Section,
    Sheet,
    SheetIssue,
    StaffMember,
    SubProgram,
)

SEED_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sheets"


@dataclass(frozen=True)
class UpsertResult:
    sheet: Sheet
    created: bool


def _measure_get_or_create(*, policy: DocumentReader) -> Measure:
    field_doc, policy_doc, measure_doc = policy.obj("field"), policy.obj("policy"), policy.obj("measure")
    field, _ = PolicyField.objects.get_or_create(
        code=field_doc.text("code", required=True), defaults={"name": field_doc.text("name")}
    )
    pol, _ = Policy.objects.get_or_create(
        field=field, code=policy_doc.text("code", required=True), defaults={"name": policy_doc.text("name")}
    )
    measure, _ = Measure.objects.get_or_create(
        policy=pol, code=measure_doc.text("code", required=True), defaults={"name": measure_doc.text("name")}
    )
    return measure


def _sheet_fields(doc: DocumentReader) -> dict:
    classification = doc.obj("classification")
    wards = doc.obj("other_wards")
    direct_staff = doc.strings("direct_staff")
    unknown_staff = set(direct_staff) - set(choices.DirectStaffKind.values)
    if unknown_staff:
        raise DocumentError("direct_staff", f"「{'、'.join(sorted(unknown_staff))}」は選択肢にありません")
    has_end_date = doc.boolean("has_end_date")
    end_fiscal_year = doc.fiscal_year("end_fiscal_year")
    if end_fiscal_year and not has_end_date:
        raise DocumentError("end_fiscal_year", "終期設定が「無」なのに終期年度があります")
    return {
        "name": doc.text("name", required=True),
        "strategy_plan": doc.choice("strategy_plan", choices.StrategyPlan),
        "chief": doc.text("chief"),
        "extension": doc.text("extension"),
        "business_type": doc.choice("business_type", choices.BusinessType),
        "new_business_fiscal_year": doc.fiscal_year("new_business_fiscal_year"),
        "start_fiscal_year": doc.fiscal_year("start_fiscal_year"),
        "legal_basis": doc.text("legal_basis"),
        "has_end_date": has_end_date,
        "end_fiscal_year": end_fiscal_year,
        "implementation_standard": doc.choice("implementation_standard", choices.ImplementationStandard),
        "plan_category": doc.choice("plan_category", choices.PlanCategory),
        "purpose": doc.text("purpose"),
        "target_group": doc.text("target_group"),
        "content": doc.text("content"),
        "necessity": doc.text("necessity"),
        "outsourcing": doc.choice("outsourcing", choices.Outsourcing),
        "direct_staff_regular": choices.DirectStaffKind.REGULAR in direct_staff,
        "direct_staff_fiscal_year": choices.DirectStaffKind.FISCAL_YEAR in direct_staff,
        "implementation_note": doc.text("implementation_note"),
        "classification_current": classification.choice("current", choices.Classification),
        "classification_next": classification.choice("next", choices.Classification),
        "classification_explanation": classification.text("explanation"),
        "remarks": doc.text("remarks"),
        "other_wards_implemented": wards.integer("implemented", minimum=0),
        "other_wards_not_implemented": wards.integer("not_implemented", minimum=0),
        "other_wards_unknown": wards.integer("unknown", minimum=0),
        "other_wards_notes": wards.text("notes"),
        "council_notes": doc.text("council"),
    }


def _parts_replace(*, sheet: Sheet, doc: DocumentReader) -> None:
    for model in (StaffMember, SubProgram, HistoryEvent, SheetIssue, Improvement):
        model.objects.filter(sheet=sheet).delete()
    StaffMember.objects.bulk_create(
        StaffMember(sheet=sheet, position=i, name=name) for i, name in enumerate(doc.strings("staff"))
    )
    SubProgram.objects.bulk_create(
        SubProgram(sheet=sheet, position=i, budget_code=sub.text("budget_code", required=True), name=sub.text("name"))
        for i, sub in enumerate(doc.items("sub_programs"))
    )
    events = []
    for i, event in enumerate(doc.items("history")):
        month = event.integer("month")
        if month is not None and not 1 <= month <= 12:
            raise DocumentError(f"{event.path}.month", f"月 {month} は 1〜12 ではありません")
        events.append(
            HistoryEvent(
                sheet=sheet,
                position=i,
                era_label=event.text("era_label"),
                year=event.fiscal_year("year"),
                month=month,
                group=event.text("group"),
                text=event.text("text", required=True),
            )
        )
    HistoryEvent.objects.bulk_create(events)
    for key in ("issues", "improvements"):
        _unique_numbers(doc.items(key), key)
    bulk_create_recorded(
        SheetIssue,
        [
            SheetIssue(sheet=sheet, number=issue.integer("number", required=True, minimum=1), text=issue.text("text"))
            for issue in doc.items("issues")
        ],
    )
    bulk_create_recorded(
        Improvement,
        [
            Improvement(
                sheet=sheet,
                number=plan.integer("number", required=True, minimum=1),
                plan=plan.text("plan"),
                result=plan.text("result"),
                next=plan.text("next"),
            )
            for plan in doc.items("improvements")
        ],
    )


def _unique_numbers(rows: list[DocumentReader], key: str) -> None:
    seen = set()
    for row in rows:
        number = row.integer("number", required=True, minimum=1)
        if number in seen:
            raise DocumentError(f"{row.path}.number", f"番号 {number} が {key} に2回あります")
        seen.add(number)


@transaction.atomic
def sheet_upsert(*, document: dict) -> UpsertResult:
    """Create or update the sheet (program code + fiscal year) and replace all its parts.

    All or nothing: a DocumentError (or any database error) leaves the database unchanged.
    """
    doc = DocumentReader(document)
    code = doc.text("code", required=True).strip()
    fiscal_year = doc.fiscal_year("fiscal_year", required=True)
    fields = _sheet_fields(doc)
    department, _ = Department.objects.get_or_create(name=doc.text("department", required=True))
    section, _ = Section.objects.get_or_create(department=department, name=doc.text("section", required=True))
    fields["section"] = section
    fields["measure"] = _measure_get_or_create(policy=doc.obj("policy"))

    program, _ = Program.objects.get_or_create(code=code, defaults={"name": fields["name"]})
    sheet, created = Sheet.objects.update_or_create(program=program, fiscal_year=fiscal_year, defaults=fields)
    newest = program.sheets.order_by("-fiscal_year").values_list("name", flat=True).first()
    if newest and program.name != newest:
        program.name = newest
        program.save(update_fields=["name"])

    _parts_replace(sheet=sheet, doc=doc)
    finance_replace(sheet=sheet, doc=doc)
    indicators_replace(sheet=sheet, doc=doc)
    return UpsertResult(sheet=sheet, created=created)


def document_read(*, path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(str(path), f"JSON として読めません: {exc}") from None


@transaction.atomic
def seed_load(*, directory: Path = SEED_DIR) -> list[UpsertResult]:
    """Load every fixtures/sheets/*.json; all files or none."""
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise DocumentError(str(directory), "シートのファイル（*.json）がありません")
    results = []
    for path in paths:
        try:
            results.append(sheet_upsert(document=document_read(path=path)))
        except DocumentError as exc:
            raise DocumentError(f"{path.name}: {exc.path}", exc.message) from None
    return results
