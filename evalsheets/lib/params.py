"""URL parameters as paths and query strings give them: the fiscal year (four ASCII digits, 西暦) and the program
code. A value that cannot be one never reaches the database: a path that does not match is a 404, a query
parameter is invalid (a form error, a 400 or the default, as each view says)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

# C0 and C1 control characters and DEL: never part of a code, a year or a search word. NUL above all: PostgreSQL
# refuses it in text, so a query holding one fails with a server error.
CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f"


class FiscalYearConverter:
    """URL converter: /sheets/20x1/… does not match, so it is a 404 and never reaches a view."""

    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


class MunicipalityCodeConverter:
    """URL converter for a 団体コード (six ASCII digits, e.g. 131181) in /m/<団体コード>/…; anything else is a 404."""

    regex = r"[0-9]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def is_municipality_code(value: str) -> bool:
    """Whether a query parameter can be a 団体コード (what the URL converter accepts)."""
    return re.fullmatch(MunicipalityCodeConverter.regex, value) is not None


class ProgramCodeConverter:
    """URL converter for a program code (03-04-01, another municipality's 0086 …): any characters but "/" and
    control characters, so /programs/%00/ is a 404 before any query."""

    regex = rf"[^/{CONTROL_CHARACTERS}]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def fiscal_year_from_query(value: str | None) -> int | None:
    """A ?fiscal_year= value the way the URL converter reads it, or None when it is not four digits."""
    return int(value) if value and re.fullmatch(FiscalYearConverter.regex, value) else None


def is_program_code(value: str) -> bool:
    """Whether a query parameter can be a program code (what the URL converter accepts)."""
    return re.fullmatch(ProgramCodeConverter.regex, value) is not None


def validate_program_code(value: str) -> None:
    """Model/form validator: a program code every URL can hold (admin, imports)."""
    if not is_program_code(value):
        raise ValidationError("事務事業コードに / や制御文字は使えません", code="invalid_program_code")


# For free text (a search word): NUL is refused by every forms.CharField already (ProhibitNullCharactersValidator)
# and tab/newline separate words; any other control character makes the parameter invalid.
prohibit_control_characters = RegexValidator(
    r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", inverse_match=True, message="制御文字は使えません。", code="control_character"
)
