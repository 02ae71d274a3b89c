"""Checking a sheet document against its JSON Schema (fixtures/sheet.schema.json, draft 2020-12).

The schema is the written contract of fixtures/FORMAT.md: it accepts every seed document, every
document the API exports, and what import_sheets may read from a .json file. A document that does
not fit it is refused before anything is written; the error names the field by its document path
(`indicators[2].values[0].value`, as programs.documents.DocumentError does) and says what is wrong
in Japanese.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "sheet.schema.json"

TYPE_LABELS = {
    "object": "オブジェクト（{...}）",
    "array": "配列（[...]）",
    "string": "文字列",
    "integer": "整数",
    "number": "数値",
    "boolean": "true/false",
    "null": "null",
}


@dataclass(frozen=True)
class SchemaProblem:
    path: str  # document path: "" for the document itself, else e.g. funding[0].national
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(文書全体)'}: {self.message}"


@cache
def sheet_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    schema = sheet_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def document_problems(document) -> list[SchemaProblem]:
    """Every place where the document does not fit the schema, in document order (empty: it fits)."""
    errors = sorted(_validator().iter_errors(document), key=lambda error: [str(part) for part in error.absolute_path])
    return [SchemaProblem(document_path(error.absolute_path), _message(error)) for error in errors]


def document_path(parts) -> str:
    """("indicators", 2, "values", 0, "value") → "indicators[2].values[0].value"."""
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _types(expected) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return "または".join(TYPE_LABELS.get(name, name) for name in names)


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:40] + "…"


def _message(error: ValidationError) -> str:
    """The validator's complaint in Japanese (jsonschema's own messages are English)."""
    value, expected = error.instance, error.validator_value
    description = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    match error.validator:
        case "required":
            missing = next((key for key in expected if key not in value), expected[0])
            return f"必須の項目「{missing}」がありません"
        case "additionalProperties" | "unevaluatedProperties":
            allowed = set(error.schema.get("properties", {}))
            extra = sorted(key for key in value if key not in allowed) if isinstance(value, dict) else []
            return f"「{'」「'.join(extra) or '?'}」はこの文書の形式にない項目です（fixtures/FORMAT.md）"
        case "type":
            return f"{_shown(value)} は{_types(expected)}ではありません"
        case "enum":
            allowed = "、".join(_shown(option) for option in expected)
            return f"{_shown(value)} は選択肢（{allowed}）にありません"
        case "pattern":
            return f"{_shown(value)} は{description or '決められた形式'}ではありません"
        case "minimum":
            return f"{_shown(value)} は {expected} 以上でなければなりません"
        case "maximum":
            return f"{_shown(value)} は {expected} 以下でなければなりません"
        case "uniqueItems":
            return "同じ値が2回あります"
        case "propertyNames":
            return f"{_shown(value)} にこの形式にない項目があります"
        case "anyOf" | "oneOf":
            return f"{_shown(value)} は{description or 'この項目の形式'}ではありません"
    return (
        f"{_shown(value)} はこの項目の形式に合いません（{error.validator}）"  # pragma: no cover - keywords unused by the schema
    )
