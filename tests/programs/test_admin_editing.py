"""The sheet's admin page as an editor types into it (issue 14 part 3): era years, 千円 with separators, 経過 as
one era date, the printed precision of indicator figures, the form's sections, every label and choice Japanese."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from evalsheets.lib.forms import AmountField, EraFiscalYearField, PrintedNumberField
from indicators.models import IndicatorValue
from programs.admin import SheetAdmin
from programs.admin_sections import SHEET_SECTIONS
from programs.models import Sheet
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def _change_url(sheet) -> str:
    return reverse("admin:programs_sheet_change", args=[sheet.pk])


def _row_key(data: dict, prefix_part: str, field: str, value: str) -> str:
    """The form prefix of the inline row whose `field` shows `value` (e.g. budget_years, fiscal_year, 平成27年度)."""
    key = next(k for k, v in data.items() if prefix_part in k and k.endswith(f"-{field}") and v == [value])
    return key[: -len(field)]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("令和2年度", 2020), ("令和元年度", 2019), ("平成27年度", 2015), ("２０２０", 2020), ("2021", 2021), ("", None)],
)
def test_a_fiscal_year_is_typed_as_an_era_year(typed, stored):
    assert EraFiscalYearField(label="年度", required=False).clean(typed) == stored


def test_a_fiscal_year_that_is_not_one_is_refused_naming_the_field():
    with pytest.raises(forms.ValidationError) as error:
        EraFiscalYearField(label="目標年度").clean("令和ニ年度")
    assert "目標年度" in error.value.messages[0] and "令和ニ年度" in error.value.messages[0]


@pytest.mark.parametrize(("typed", "stored"), [("473,845", 473845), ("473845", 473845), ("▲ 1,414", -1414), ("１，２３４", 1234)])
def test_an_amount_is_typed_with_separators(typed, stored):
    assert AmountField(label="予算額（千円）").clean(typed) == stored


def test_an_amount_with_a_fraction_is_refused_naming_the_field():
    with pytest.raises(forms.ValidationError) as error:
        AmountField(label="予算額（千円）").clean("12.5")
    assert error.value.messages[0].startswith("予算額（千円）: ")


def test_an_empty_amount_stays_empty_never_zero():
    assert AmountField(label="決算額（千円）", required=False).clean("") is None


def test_a_figure_is_typed_as_printed():
    assert PrintedNumberField(max_digits=18, decimal_places=3).clean("34,911") == Decimal("34911")


def test_the_change_page_shows_era_years_and_amounts_with_separators(admin_client, draft_sheet):
    sheet = draft_sheet
    html = admin_client.get(_change_url(sheet)).content.decode()
    data = form_data(html, "sheet_form")
    prefix = _row_key(data, "budget_years", "fiscal_year", "平成27年度")
    assert data[prefix + "budget"] == ["473,845"]
    assert data["fiscal_year"] == ["令和3年度"]
    # no fiscal year of any row is shown as a Gregorian number
    years = {k: v for k, v in data.items() if k.endswith("fiscal_year") and "__prefix__" not in k}
    assert years and not [v for v in years.values() if v[0].isdigit()], years
    # 成果指標③ 令和2年度 as printed (3.4, one decimal)
    assert data[_indicator_value_prefix(data, 3, "令和2年度") + "value"] == ["3.4"]


def _readonly_cells(html: str, css_class: str) -> list[str]:
    """The texts of the read-only cells of one field (Django marks each cell with the field's name as its class)."""
    form = html[html.index('id="sheet_form"') :]
    cells = re.findall(rf'<td class="[^"]*\bfield-{css_class}\b[^"]*">(.*?)</td>', form, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_a_published_sheet_read_only_shows_era_years_amounts_and_printed_figures(admin_client, sheet):
    """A sheet the viewer may not change (published) shows its rows as the form prints them, not 2020 / 3.400."""
    html = admin_client.get(_change_url(sheet)).content.decode()
    assert 'name="budget_years-0-budget"' not in html  # read-only: no inputs
    years = _readonly_cells(html, "fiscal_year")
    assert "平成27年度" in years and "令和3年度" in years
    assert not [year for year in years if year[:1].isdigit()], years
    assert "473,845" in _readonly_cells(html, "budget")  # 03-04-01 平成27年度 予算額
    values = _readonly_cells(html, "value")
    assert "3.4" in values  # 成果指標③ 令和2年度, one printed decimal
    assert not [value for value in values if value.endswith(".000")], values


def _option_and_label_texts(html: str) -> list[str]:
    form = html[html.index('id="sheet_form"') :]
    texts = re.findall(r"<option[^>]*>([^<]*)</option>", form)
    texts += [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<label[^>]*>(.*?)</label>", form, re.S)]
    texts += [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<th[^>]*>(.*?)</th>", form, re.S)]
    texts += re.findall(r"<summary>(.*?)</summary>", form, re.S)
    return texts


def test_every_label_and_choice_of_the_change_page_is_japanese(admin_client, draft_sheet):
    sheet = draft_sheet
    """ASCII words are refused; codes and numbers (03-04-01, 2155, ①) are not words."""
    texts = _option_and_label_texts(admin_client.get(_change_url(sheet)).content.decode())
    assert "給与関係費" in texts and "減価償却費" in texts  # 勘定科目 as on the form
    english = sorted({t.strip() for t in texts if re.search(r"\b[A-Za-z]{2,}\b", re.sub(r"<[^>]+>", "", t))})
    allowed = {"OA機器管理"}  # a program's name as printed
    assert not [t for t in english if not any(a in t for a in allowed)], english


def test_every_fieldset_and_inline_of_the_sheet_belongs_to_one_declared_section():
    fieldsets = {name for name, _ in SheetAdmin.fieldsets}
    inlines = {inline.__name__ for inline in SheetAdmin.inlines}
    declared_fieldsets = [name for spec in SHEET_SECTIONS for name in spec.fieldsets]
    declared_inlines = [name for spec in SHEET_SECTIONS for name in spec.inlines]
    assert sorted(declared_fieldsets) == sorted(fieldsets)
    assert sorted(declared_inlines) == sorted(inlines)


def test_the_change_page_has_a_jump_link_to_each_section(admin_client, sheet):
    html = admin_client.get(_change_url(sheet)).content.decode()
    for spec in SHEET_SECTIONS:
        assert f'<a href="#section-{spec.slug}">{spec.title}</a>' in html
        assert f'<details class="sheet-section" id="section-{spec.slug}">' in html  # closed until opened
    assert "<script>" not in html.split('id="sheet_form"')[1]  # behaviour from our static JS (CSP script-src 'self')


def _indicator_value_prefix(data: dict, number: int, year_label: str) -> str:
    """The prefix of indicator `number`'s row for `year_label` (indicators-0-values-2-)."""
    indicator = _row_key(data, "indicators", "number", str(number))
    return _row_key({k: v for k, v in data.items() if k.startswith(indicator)}, "values", "fiscal_year", year_label)


def test_a_figure_with_more_decimals_than_printed_is_refused_naming_the_field(admin_client, draft_sheet):
    url = _change_url(draft_sheet)
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    prefix = _indicator_value_prefix(data, 3, "令和2年度")
    assert data[prefix + "decimals"] == ["1"]
    data[prefix + "value"] = ["3.45"]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "成果指標③ 令和2年度の値: 「3.45」は小数第2位まであり、小数桁数 1" in html
    assert '<details class="sheet-section" id="section-indicators" open>' in html  # the error is shown, not hidden
    value = IndicatorValue.objects.get(indicator__sheet=draft_sheet, indicator__number=3, fiscal_year=2020)
    assert value.value == Decimal("3.4")

    data[prefix + "value"] = ["3.5"]  # one decimal, as printed: saved
    assert admin_client.post(url, data).status_code == 302
    value.refresh_from_db()
    assert value.value == Decimal("3.5") and value.decimals == 1


def test_a_target_with_more_decimals_than_printed_is_refused(admin_client, draft_sheet):
    url = _change_url(draft_sheet)
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    indicator = _row_key(data, "indicators", "number", "3")
    data[indicator + "target"] = ["4.25"]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "成果指標③ 目標値: 「4.25」は小数第2位まであり" in response.content.decode()


def test_history_is_entered_as_one_era_date_parsed_to_year_and_month(admin_client, draft_sheet):
    url = _change_url(draft_sheet)
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    prefix = _row_key(data, "history_events", "era_label", "平成3年4月")
    assert prefix + "year" not in data and prefix + "month" not in data  # one date field, not three
    data[prefix + "era_label"] = ["令和 3年 4月"]
    assert admin_client.post(url, data).status_code == 302
    event = draft_sheet.history_events.get(text="外国人登録システム運用開始")
    assert (event.era_label, event.year, event.month) == ("令和3年4月", 2021, 4)

    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    prefix = _row_key(data, "history_events", "era_label", "令和3年4月")
    data[prefix + "era_label"] = ["令和14年度"]
    assert admin_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert (event.era_label, event.year, event.month) == ("令和14年度", 2032, None)


@pytest.mark.parametrize("typed", ["令和3年13月", "R3.4", "令和3年4月ごろ"])
def test_a_history_date_that_is_not_an_era_date_is_refused_naming_the_field(admin_client, draft_sheet, typed):
    url = _change_url(draft_sheet)
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    prefix = _row_key(data, "history_events", "era_label", "平成3年4月")
    data[prefix + "era_label"] = [typed]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "年月（和暦）: " in response.content.decode()
    assert draft_sheet.history_events.filter(era_label="平成3年4月").exists()


def test_saving_unchanged_keeps_the_version_check(admin_client, draft_sheet):
    """The sections change only the layout: a stale form is still refused (programs/locking.py)."""
    url = _change_url(draft_sheet)
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    Sheet.objects.filter(pk=draft_sheet.pk).update(version=draft_sheet.version + 1)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert '<details class="sheet-section" id="section-basic"' in response.content.decode()


def test_the_add_page_and_a_budget_rows_own_page_use_the_same_fields(admin_client, sheet):
    html = admin_client.get(reverse("admin:programs_sheet_add")).content.decode()
    assert '<details class="sheet-section" id="section-basic">' in html
    row = sheet.budget_years.get(fiscal_year=2015)
    data = form_data(
        admin_client.get(reverse("admin:finance_budgetyear_change", args=[row.pk])).content.decode(), "budgetyear_form"
    )
    assert data["fiscal_year"] == ["平成27年度"] and data["budget"] == ["473,845"]
