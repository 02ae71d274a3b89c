"""An indicator figure never carries more decimals than it is printed with (indicators/precision.py): refused in
the admin (tests/programs/test_admin_editing.py) and by the import service, whose error names sheet and field."""

import json
from decimal import Decimal

import pytest

from indicators.models import IndicatorValue
from indicators.precision import decimal_places, precision_error
from programs.documents import DocumentError
from programs.interchange.imports import ImportFailed, sheet_file_import
from programs.interchange.serializer import sheet_document
from programs.services import sheet_upsert


@pytest.mark.parametrize(("value", "places"), [("3.45", 2), ("3.450", 2), ("3", 0), ("34911", 0), ("1E+3", 0), ("-1.6", 1)])
def test_decimal_places_counts_the_digits_that_carry_a_value(value, places):
    assert decimal_places(Decimal(value)) == places


def test_a_value_within_its_printed_precision_passes():
    assert precision_error(Decimal("3.40"), 1) is None
    assert precision_error(Decimal("3"), 0) is None
    assert precision_error(None, 1) is None


def test_more_decimals_than_printed_is_an_error_that_says_what_to_do():
    assert precision_error(Decimal("3.45"), 1) == (
        "「3.45」は小数第2位まであり、小数桁数 1（小数第1位まで印字）を超えています。値を直すか、小数桁数を 2 にしてください"
    )
    assert "整数で印字" in precision_error(Decimal("3.5"), 0)
    assert "保存できるのは小数第3位まで" in precision_error(Decimal("1.2345"), 3)


def _document_with_indicator_value(sheet, text: str) -> dict:
    document = sheet_document(sheet)
    indicator = next(i for i in document["indicators"] if i["number"] == 3)
    row = next(v for v in indicator["values"] if v["fiscal_year"] == 2020)
    row["value"] = text
    return json.loads(json.dumps(document, default=str))


@pytest.mark.django_db
def test_the_import_service_refuses_a_figure_it_cannot_print_naming_the_field(draft_sheet):
    document = _document_with_indicator_value(draft_sheet, "3.4567")
    with pytest.raises(DocumentError) as error:
        sheet_upsert(document=document)
    assert error.value.path.startswith("indicators[") and error.value.path.endswith(".value")
    assert error.value.message.startswith("成果指標③ 令和2年度の値: 「3.4567」は小数第4位まであります")
    stored = IndicatorValue.objects.get(indicator__sheet=draft_sheet, indicator__number=3, fiscal_year=2020)
    assert stored.value == Decimal("3.4")  # nothing written


@pytest.mark.django_db
def test_an_imported_file_with_such_a_figure_fails_naming_sheet_and_field(draft_sheet, tmp_path):
    path = tmp_path / "sheet.json"
    path.write_text(json.dumps(_document_with_indicator_value(draft_sheet, "3.4567"), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ImportFailed) as error:
        sheet_file_import(path=path)
    assert error.value.sheet == "03-04-01"
    assert error.value.field.endswith(".value") and "成果指標③ 令和2年度の値" in error.value.message
