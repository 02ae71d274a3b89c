"""Writes of the programs app: creating or updating a whole sheet from a document."""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from evalsheets.lib.history import bulk_create_recorded
from evalsheets.lib.japanese_text import loose
from evalsheets.lib.params import is_program_code
from finance.services import finance_replace
from indicators.services import indicators_replace
from programs.choices import SheetStatus
from programs.documents import DocumentError, DocumentReader
from programs.figures import sheet_stored_refresh
from programs.improvements import improvements_refresh
from programs.models import (
    Department,
    EvaluationChoice,
    FormProfile,
    HistoryEvent,
    Improvement,
    Measure,
    Municipality,
    MunicipalityKind,
    MunicipalityPopulation,
    NameConflict,
    Policy,
    PolicyField,
    ProfileTextField,
    Program,
    Section,
    Sheet,
    SheetIssue,
    SheetText,
    StaffMember,
    SubProgram,
)
from programs.models.municipality import validate_local_government_code
from programs.models.profile import BLOCKS, LABELS, TEXT_KEY_PATTERN
from programs.profiles import Form, municipality_form
from programs.program_kinds import program_kinds_assign
from programs.sheet_fields import DIRECT_STAFF_FLAGS, SHEET_FIELDS, Kind, SheetField

SEED_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sheets"


@dataclass(frozen=True)
class UpsertResult:
    sheet: Sheet
    created: bool


def _municipality_get_or_create(doc: DocumentReader) -> Municipality:
    """The document's `municipality` (団体コード; created from its name, prefecture and kind when new), or the default
    municipality (settings.EVALSHEETS_DEFAULT_MUNICIPALITY) when the document names none."""
    if doc.data.get("municipality") is None:
        default = Municipality.objects.default()
        if default is None:
            raise DocumentError(
                "municipality",
                f"団体の指定がなく、既定の団体（団体コード {settings.EVALSHEETS_DEFAULT_MUNICIPALITY}）も未登録です",
            )
        return default
    given = doc.obj("municipality")
    code = given.text("code", required=True)
    try:
        validate_local_government_code(code)
    except ValidationError as exc:
        raise DocumentError("municipality.code", exc.messages[0]) from None
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is not None:
        return municipality
    kind = given.choice("kind", MunicipalityKind)
    if not kind:
        raise DocumentError("municipality.kind", f"新しい団体 {code} の区分（{'・'.join(MunicipalityKind.values)}）がありません")
    return Municipality.objects.create(
        code=code, name=given.text("name", required=True), prefecture=given.text("prefecture", required=True), kind=kind
    )


def _measure_get_or_create(*, municipality: Municipality, policy: DocumentReader) -> tuple[Measure, list[NameConflict]]:
    """The 施策 of the document's 分野 → 政策 → 施策 codes within the municipality, created where new. A level whose
    code exists under another name is not renamed: the difference is kept as a NameConflict of the sheet."""
    conflicts = []

    def level_get_or_create(model, level: str, doc: DocumentReader, **parent):
        code, name = doc.text("code", required=True), doc.text("name")
        row, created = model.objects.get_or_create(**parent, code=code, defaults={"name": name})
        if not created and name and row.name != name:
            conflicts.append(NameConflict(level=level, code=code, stored_name=row.name, document_name=name))
        return row

    field = level_get_or_create(PolicyField, NameConflict.Level.FIELD, policy.obj("field"), municipality=municipality)
    pol = level_get_or_create(Policy, NameConflict.Level.POLICY, policy.obj("policy"), field=field)
    measure = level_get_or_create(Measure, NameConflict.Level.MEASURE, policy.obj("measure"), policy=pol)
    return measure, conflicts


def _sheet_fields(doc: DocumentReader, *, form: Form) -> dict:
    """The Sheet's own field values from the document: 事務事業名 and every declared simple field (分類 from the
    municipality's vocabulary, `form`)."""
    fields = {"name": doc.text("name", required=True)}
    for field in SHEET_FIELDS:
        if field.kind is Kind.STAFF_KINDS:
            kinds = _staff_kinds(doc, field)
            fields |= {flag: kind in kinds for kind, flag in DIRECT_STAFF_FLAGS.items()}
        elif field.kind is not Kind.NAMES:  # 担当者名 are rows of their own (_parts_replace)
            fields[field.model_field] = _field_value(doc, field, form=form)
    if fields["end_fiscal_year"] and not fields["has_end_date"]:
        raise DocumentError("end_fiscal_year", "終期設定が「無」なのに終期年度があります")
    return fields


def _field_value(doc: DocumentReader, field: SheetField, *, form: Form):
    *parents, key = field.path
    for part in parents:
        doc = doc.obj(part)
    match field.kind:
        case Kind.TEXT:
            return doc.text(key)
        case Kind.CHOICE:
            return doc.choice(key, field.choices)
        case Kind.VOCABULARY:
            return _vocabulary_value(doc, key, form=form)
        case Kind.FISCAL_YEAR:
            return doc.fiscal_year(key)
        case Kind.FLAG:
            return doc.boolean(key)
        case Kind.COUNT:
            return doc.integer(key, minimum=0)
    raise AssertionError(f"{field.kind} is not a value of the sheet itself")  # pragma: no cover


def _vocabulary_value(doc: DocumentReader, key: str, *, form: Form) -> str:
    """A value of the municipality's evaluation vocabulary; the form's printed label (２ 改革改善) is taken too."""
    value = doc.text(key)
    if not value:
        return ""
    for choice in form.vocabulary:
        if value == choice.value or loose(value) in {loose(choice.value), loose(choice.label)}:
            return choice.value
    allowed = "、".join(form.values)
    raise DocumentError(doc._at(key), f"「{value}」は分類の選択肢（{allowed}）にありません")


def _texts_replace(*, sheet: Sheet, doc: DocumentReader, form: Form) -> None:
    """`texts`: the sheet's extra text fields, in the document's order. Any key is kept (a field the profile does
    not list yet is not lost); a text without a label or role takes the profile's label and role of its key."""
    SheetText.objects.filter(sheet=sheet).delete()
    profile_fields = {field.key: field for field in form.text_fields}
    rows, seen = [], set()
    for i, item in enumerate(doc.items("texts")):
        key = item.text("key", required=True).strip()
        if not re.fullmatch(TEXT_KEY_PATTERN, key):
            raise DocumentError(f"{item.path}.key", f"キー「{key}」は英小文字で始まる英小文字・数字・_ ではありません")
        if key in seen:
            raise DocumentError(f"{item.path}.key", f"キー「{key}」が texts に2回あります")
        seen.add(key)
        known = profile_fields.get(key)
        label = item.text("label") or (known.label if known else "")
        role = item.text("role") or (known.role if known else "")
        rows.append(SheetText(sheet=sheet, position=i, key=key, label=label, role=role, text=item.text("text")))
    bulk_create_recorded(SheetText, rows)


def _staff_kinds(doc: DocumentReader, field: SheetField) -> list[str]:
    kinds = doc.strings(field.key)
    unknown = set(kinds) - set(DIRECT_STAFF_FLAGS)
    if unknown:
        raise DocumentError(field.key, f"「{'、'.join(sorted(unknown))}」は選択肢にありません")
    return kinds


def _parts_replace(*, sheet: Sheet, doc: DocumentReader) -> None:
    # the status an editor set in the admin is not in the document: it stays with the 改善策 of the same number
    statuses = dict(Improvement.objects.filter(sheet=sheet).exclude(status="").values_list("number", "status"))
    for model in (StaffMember, SubProgram, HistoryEvent, SheetIssue, Improvement):
        model.objects.filter(sheet=sheet).delete()
    bulk_create_recorded(
        StaffMember, (StaffMember(sheet=sheet, position=i, name=name) for i, name in enumerate(doc.strings("staff")))
    )
    bulk_create_recorded(
        SubProgram,
        (
            SubProgram(sheet=sheet, position=i, budget_code=sub.text("budget_code", required=True), name=sub.text("name"))
            for i, sub in enumerate(doc.items("sub_programs"))
        ),
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
    bulk_create_recorded(HistoryEvent, events)
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
                status=statuses.get(plan.integer("number", required=True, minimum=1), ""),
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
def sheet_upsert(*, document: dict, replace_published: bool = False) -> UpsertResult:
    """Create or update the sheet (program code + fiscal year) and replace all its parts.

    All or nothing: a DocumentError (or any database error) leaves the database unchanged. A new sheet starts 作成中;
    a sheet that is not 作成中 is refused (it is changed only by reopening it) unless `replace_published` (the seed
    loader). Every update adds one version, so an editor who opened the sheet before is told (programs/locking.py).
    """
    doc = DocumentReader(document)
    code = doc.text("code", required=True).strip()
    if not is_program_code(code):  # the code is part of the sheet's URLs (the "code" path converter)
        raise DocumentError("code", "事務事業コードに / や制御文字は使えません")
    fiscal_year = doc.fiscal_year("fiscal_year", required=True)
    municipality = _municipality_get_or_create(doc)
    form = municipality_form(municipality)
    fields = _sheet_fields(doc, form=form)
    department, _ = Department.objects.get_or_create(municipality=municipality, name=doc.text("department", required=True))
    section, _ = Section.objects.get_or_create(department=department, name=doc.text("section", required=True))
    fields["section"] = section
    fields["measure"], name_conflicts = _measure_get_or_create(municipality=municipality, policy=doc.obj("policy"))

    program, _ = Program.objects.get_or_create(municipality=municipality, code=code, defaults={"name": fields["name"]})
    existing = Sheet.objects.select_for_update().filter(program=program, fiscal_year=fiscal_year).first()
    if existing is not None and existing.status != SheetStatus.DRAFT and not replace_published:
        raise DocumentError(
            "code",
            f"{code}（{fiscal_year}年度）は「{existing.get_status_display()}」のシートです。"
            "読み込んで置き換えるには、承認者が先に「作成中に戻す」必要があります",
        )
    if existing is not None:
        fields["version"] = existing.version + 1  # the row is locked until this import commits
    sheet, created = Sheet.objects.update_or_create(program=program, fiscal_year=fiscal_year, defaults=fields)
    newest = program.sheets.order_by("-fiscal_year").values_list("name", flat=True).first()
    if newest and program.name != newest:
        program.name = newest
        program.save(update_fields=["name"])

    _parts_replace(sheet=sheet, doc=doc)
    _texts_replace(sheet=sheet, doc=doc, form=form)
    sheet.name_conflicts.all().delete()
    for conflict in name_conflicts:
        conflict.sheet = sheet
    NameConflict.objects.bulk_create(name_conflicts)
    finance_replace(sheet=sheet, doc=doc)
    indicators_replace(sheet=sheet, doc=doc)
    improvements_refresh(sheet_ids=[sheet.pk])  # proposed statuses; the trail cut by the delete above linked again
    program_kinds_assign(program_ids=[program.pk])  # the keyword rule on the newest sheet (an admin's choice stays)
    sheet_stored_refresh([sheet.pk])
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
            results.append(sheet_upsert(document=document_read(path=path), replace_published=True))
        except DocumentError as exc:
            raise DocumentError(f"{path.name}: {exc.path}", exc.message) from None
    # The seed sheets are the ward's published sheets: they are public (an import of any other file starts 作成中).
    Sheet.objects.filter(pk__in=[r.sheet.pk for r in results]).update(status=SheetStatus.PUBLISHED)
    for result in results:
        result.sheet.status = SheetStatus.PUBLISHED
    return results


@transaction.atomic
def profile_upsert(*, document: dict) -> FormProfile:
    """Create or update a municipality (name, prefecture, kind, populations by fiscal year) and its form profile from
    a profile document (fixtures/examples/kakuu_city_profile.json): the vocabulary and the text fields are replaced
    as listed, in order. Idempotent; all or nothing (a DocumentError names the key)."""
    doc = DocumentReader(document)
    given = doc.obj("municipality")
    code = given.text("code", required=True)
    try:
        validate_local_government_code(code)
    except ValidationError as exc:
        raise DocumentError("municipality.code", exc.messages[0]) from None
    kind = given.choice("kind", MunicipalityKind)
    if not kind:
        raise DocumentError("municipality.kind", f"団体の区分（{'・'.join(MunicipalityKind.values)}）がありません")
    municipality, _ = Municipality.objects.update_or_create(
        code=code,
        defaults={"name": given.text("name", required=True), "prefecture": given.text("prefecture", required=True), "kind": kind},
    )
    for row in given.items("populations"):
        MunicipalityPopulation.objects.update_or_create(
            municipality=municipality,
            fiscal_year=row.fiscal_year("fiscal_year", required=True),
            defaults={"population": row.integer("population", required=True, minimum=1), "note": row.text("note")},
        )

    levels = doc.strings("level_names") or ["分野", "政策", "施策"]
    if len(levels) != 3:
        raise DocumentError("level_names", "体系の階層名は3つ（例: 政策、施策、基本事業）です")
    blocks = doc.strings("blocks") if "blocks" in doc.data else list(BLOCKS)
    unknown = [block for block in blocks if block not in BLOCKS]
    if unknown:
        raise DocumentError("blocks", f"「{'、'.join(unknown)}」は欄のキー（{'、'.join(BLOCKS)}）にありません")
    labels = doc.obj("labels")
    unknown = [key for key in labels.data if key not in BLOCKS and key not in LABELS]
    if unknown:
        raise DocumentError("labels", f"「{'、'.join(unknown)}」は見出しを変えられる欄のキーにありません")
    profile, _ = FormProfile.objects.update_or_create(
        municipality=municipality,
        defaults={
            "form_name": doc.text("form_name", required=True),
            "level1_name": levels[0],
            "level2_name": levels[1],
            "level3_name": levels[2],
            "blocks": blocks,
            "labels": {key: labels.text(key) for key in labels.data},
        },
    )
    profile.choices.all().delete()
    choices_ = [(c.text("value", required=True), c.text("label")) for c in doc.items("vocabulary")]
    if len({value for value, _ in choices_}) != len(choices_):
        raise DocumentError("vocabulary", "同じ値が2回あります")
    EvaluationChoice.objects.bulk_create(
        EvaluationChoice(profile=profile, value=value, label=label, position=i) for i, (value, label) in enumerate(choices_)
    )
    profile.text_fields.all().delete()
    fields = []
    for i, item in enumerate(doc.items("text_fields")):
        key = item.text("key", required=True)
        if not re.fullmatch(TEXT_KEY_PATTERN, key) or key in {f.key for f in fields}:
            raise DocumentError(f"{item.path}.key", f"キー「{key}」は英小文字・数字・_ の、ほかと重ならないキーではありません")
        fields.append(
            ProfileTextField(
                profile=profile, key=key, label=item.text("label", required=True), role=item.text("role"), position=i
            )
        )
    ProfileTextField.objects.bulk_create(fields)
    return profile
