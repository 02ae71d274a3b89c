"""The sheet's simple fields, declared once: document key, Sheet model field, the form's label, kind, block.

Everything that moves a simple field reads this table:

- the document → model service (`services.sheet_upsert`) and the serializer (`interchange.serializer`),
- the blank document and the workbook layout, writer and reader (`interchange.workbook*`),
- the admin's fieldsets (`admin.SheetAdmin`).

A new simple text field costs its model field (+ migration), one line here and the template that
shows it. The structured parts of the form (identity, policy hierarchy, 経過, indicators, figures,
issues and plans) are not simple fields: their own services and serializers read and write them.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import models

from programs import choices


class Kind(StrEnum):
    """What a field holds, and so how the document, the workbook and the admin read and write it."""

    TEXT = "text"  # free text; "" when empty
    CHOICE = "choice"  # one value of `choices`; "" when not chosen
    # one value of the municipality's evaluation vocabulary (its form profile, programs/profiles.py); "" when not
    # chosen. `choices` holds the default vocabulary (荒川区's five 分類).
    VOCABULARY = "vocabulary"
    FISCAL_YEAR = "fiscal_year"  # a Gregorian fiscal year (int) or None; printed as an era year
    FLAG = "flag"  # True/False, printed 有/無
    COUNT = "count"  # a non-negative integer or None
    NAMES = "names"  # a list of names (担当者名: kept as StaffMember rows, in order)
    STAFF_KINDS = "staff_kinds"  # a list of DirectStaffKind values (kept as one boolean per kind)


class Block(StrEnum):
    """Where the printed form (and the workbook) puts a field, in the form's order."""

    HEAD = "head"  # 基本情報 after 事務事業名 and 部課名
    PLAN = "plan"  # 事業の種類 … 計画区分 (before 分野・政策・施策)
    OUTLINE = "outline"  # 目的, 対象者等, 内容 (before 経過)
    NECESSITY = "necessity"  # 必要性 (after 経過)
    IMPLEMENTATION = "implementation"  # 実施方法
    CLASSIFICATION = "classification"  # 事務事業の分類 (after 成果指標)
    REMARKS = "remarks"  # 備考 (after 行政コスト計算書)
    OTHER_WARDS = "other_wards"  # 他区の実況 (a one-row table)
    COUNCIL = "council"  # 議会


@dataclass(frozen=True)
class SheetField:
    key: str  # document key (fixtures/FORMAT.md); "classification.current" is key "current" inside "classification"
    label: str  # the printed form's label (the workbook's column A or table head)
    kind: Kind
    block: Block
    model_field: str = ""  # the Sheet field; "" for NAMES and STAFF_KINDS, which are stored otherwise
    choices: type[models.TextChoices] | None = None
    same_admin_row: bool = False  # the admin shows it on the row of the field before

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    @property
    def admin_fields(self) -> tuple[str, ...]:
        """The Sheet fields the admin edits for this field."""
        if self.kind is Kind.STAFF_KINDS:
            return tuple(DIRECT_STAFF_FLAGS.values())
        return (self.model_field,) if self.model_field else ()


def _field(key, label, kind, block, *, model_field=None, choices=None, same_admin_row=False) -> SheetField:
    stored_elsewhere = kind in (Kind.NAMES, Kind.STAFF_KINDS)
    return SheetField(
        key=key,
        label=label,
        kind=kind,
        block=block,
        model_field="" if stored_elsewhere else (model_field or key),
        choices=choices,
        same_admin_row=same_admin_row,
    )


T, C, Y, F, N, V = Kind.TEXT, Kind.CHOICE, Kind.FISCAL_YEAR, Kind.FLAG, Kind.COUNT, Kind.VOCABULARY

SHEET_FIELDS: tuple[SheetField, ...] = (
    _field("chief", "課長名", T, Block.HEAD),
    _field("staff", "担当者名", Kind.NAMES, Block.HEAD),
    _field("extension", "内線", T, Block.HEAD, same_admin_row=True),
    _field("strategy_plan", "戦略プラン", C, Block.HEAD, choices=choices.StrategyPlan),
    _field("business_type", "事業の種類", C, Block.PLAN, choices=choices.BusinessType),
    _field("new_business_fiscal_year", "新規事業の年度", Y, Block.PLAN, same_admin_row=True),
    _field("start_fiscal_year", "開始年度", Y, Block.PLAN),
    _field("legal_basis", "根拠法令等", T, Block.PLAN),
    _field("has_end_date", "終期設定", F, Block.PLAN),
    _field("end_fiscal_year", "終期年度", Y, Block.PLAN, same_admin_row=True),
    _field("implementation_standard", "実施基準", C, Block.PLAN, choices=choices.ImplementationStandard),
    _field("plan_category", "計画区分", C, Block.PLAN, choices=choices.PlanCategory, same_admin_row=True),
    _field("purpose", "目的", T, Block.OUTLINE),
    _field("target_group", "対象者等", T, Block.OUTLINE),
    _field("content", "内容", T, Block.OUTLINE),
    _field("necessity", "必要性", T, Block.NECESSITY),
    _field("outsourcing", "実施方法", C, Block.IMPLEMENTATION, choices=choices.Outsourcing),
    _field("direct_staff", "直営の職員", Kind.STAFF_KINDS, Block.IMPLEMENTATION),
    _field("implementation_note", "実施方法（契約等）", T, Block.IMPLEMENTATION),
    _field(
        "classification.current",
        "事務事業の分類（当年度）",
        V,
        Block.CLASSIFICATION,
        model_field="classification_current",
        choices=choices.Classification,
    ),
    _field(
        "classification.next",
        "事務事業の分類（翌年度）",
        V,
        Block.CLASSIFICATION,
        model_field="classification_next",
        choices=choices.Classification,
        same_admin_row=True,
    ),
    _field(
        "classification.explanation",
        "分類についての説明・意見等",
        T,
        Block.CLASSIFICATION,
        model_field="classification_explanation",
    ),
    _field("remarks", "備考", T, Block.REMARKS),
    _field("other_wards.implemented", "実施", N, Block.OTHER_WARDS, model_field="other_wards_implemented"),
    _field(
        "other_wards.not_implemented",
        "未実施",
        N,
        Block.OTHER_WARDS,
        model_field="other_wards_not_implemented",
        same_admin_row=True,
    ),
    _field("other_wards.unknown", "不明", N, Block.OTHER_WARDS, model_field="other_wards_unknown", same_admin_row=True),
    _field("other_wards.notes", "特記事項", T, Block.OTHER_WARDS, model_field="other_wards_notes"),
    _field("council", "議会（要旨）", T, Block.COUNCIL, model_field="council_notes"),
)

# 直営の職員: each kind the document lists is one boolean field of the sheet.
DIRECT_STAFF_FLAGS = {
    choices.DirectStaffKind.REGULAR.value: "direct_staff_regular",
    choices.DirectStaffKind.FISCAL_YEAR.value: "direct_staff_fiscal_year",
}


def fields_of(*blocks: Block) -> list[SheetField]:
    return [field for field in SHEET_FIELDS if field.block in blocks]


def empty_value(field: SheetField) -> Any:
    """The value of a field nothing was entered in."""
    return {
        Kind.TEXT: "",
        Kind.CHOICE: "",
        Kind.VOCABULARY: "",
        Kind.FISCAL_YEAR: None,
        Kind.FLAG: False,
        Kind.COUNT: None,
        Kind.NAMES: [],
        Kind.STAFF_KINDS: [],
    }[field.kind]


def nested(fields: list[SheetField], value_of: Callable[[SheetField], Any]) -> dict:
    """{"classification.current": v, …} as the document nests it: {"classification": {"current": v, …}}."""
    document: dict = {}
    for field in fields:
        *parents, leaf = field.path
        target = document
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value_of(field)
    return document


def document_part(value_of: Callable[[SheetField], Any], *blocks: Block) -> dict:
    """The document keys of the given blocks, each valued by `value_of(field)`."""
    return nested(fields_of(*blocks), value_of)


def located(document: dict, field: SheetField) -> tuple[dict, str]:
    """The (sub)object of a document that holds a field, and the field's key in it."""
    *parents, leaf = field.path
    for part in parents:
        document = document.get(part) or {}
    return document, leaf


def admin_fieldsets(*, leading: dict[str, list], extra: list[tuple[str, dict]], trailing: dict[str, list]) -> list:
    """The sheet admin's fieldsets in form order: declared fields (rows joined by `same_admin_row`) after
    `leading` fields of a section and before its `trailing` ones; `extra` sections go before 備考・他区の実況・議会."""
    sections = [
        ("基本情報", (Block.HEAD,)),
        ("事業の概要", (Block.PLAN, Block.OUTLINE, Block.NECESSITY)),
        ("実施方法", (Block.IMPLEMENTATION,)),
        ("事務事業の分類", (Block.CLASSIFICATION,)),
        ("備考・他区の実況・議会", (Block.REMARKS, Block.OTHER_WARDS, Block.COUNCIL)),
    ]
    fieldsets = []
    for title, blocks in sections:
        if title == "備考・他区の実況・議会":
            fieldsets += extra
        rows = list(leading.get(title, [])) + list(_admin_rows(fields_of(*blocks))) + list(trailing.get(title, []))
        fieldsets.append((title, {"fields": rows}))
    return fieldsets


def _admin_rows(fields: list[SheetField]) -> Iterator[str | tuple[str, ...]]:
    rows: list[list[str]] = []
    for field in fields:
        if not field.admin_fields:
            continue  # 担当者名 is edited as its own inline
        if field.same_admin_row and rows:
            rows[-1] += field.admin_fields
        else:
            rows.append(list(field.admin_fields))
    for row in rows:
        yield row[0] if len(row) == 1 else tuple(row)
