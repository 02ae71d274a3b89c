import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evalsheets.lib.formatting import amount
from programs.models import Sheet
from tests import source_figures as source
from tests.factories import sheets_bulk_create

pytestmark = pytest.mark.django_db
CODES = sorted(source.BUDGET_HISTORY)
ERA_HEADS = ["平成27年度", "平成28年度", "平成29年度", "平成30年度", "令和元年度", "令和2年度", "令和3年度"]


def _page(client, code, fiscal_year=2021) -> str:
    response = client.get(f"/sheets/{fiscal_year}/{code}/")
    assert response.status_code == 200
    return response.content.decode()


def _table(html: str, table_id: str) -> str:
    """The HTML of one table of the page, by its id."""
    table = html[html.index(f'id="{table_id}"') :]
    return table[: table.index("</table>")]


def _printed(text: str) -> str:
    """A source figure as the page shows it: thousands separators, the printed decimals."""
    whole, _, fraction = text.lstrip("-").partition(".")
    return ("-" if text.startswith("-") else "") + f"{int(whole):,}" + (f".{fraction}" if fraction else "")


@pytest.mark.parametrize("code", CODES)
def test_sheet_page_shows_every_budget_and_settlement_figure(client, code):
    html = _page(client, code)
    budget_table = _table(html, "table-budget")
    for budget, settlement in source.BUDGET_HISTORY[code].values():
        assert f">{amount(budget)}<" in budget_table
        assert f">{amount(settlement)}<" in budget_table
    for head in ERA_HEADS:
        assert head in budget_table
    assert "見込み" in budget_table


@pytest.mark.parametrize("code", CODES)
def test_sheet_page_shows_every_indicator_value_and_target(client, code):
    html = _page(client, code)
    table = _table(html, "table-indicators")
    for _number, name, values, target in source.INDICATORS[code]:
        row = table[table.index(name) :]
        row = row[: row.index("</tr>")]
        cells = re.findall(r'<td class="num[^"]*">([^<]*)', row)
        assert cells[:4] == [_printed(values[year]) for year in (2018, 2019, 2020, 2021)], name
        assert cells[4] == _printed(target)
    assert "令和8年度" in table


@pytest.mark.parametrize("code", CODES)
def test_sheet_page_shows_every_activity_figure(client, code):
    html = _page(client, code)
    table = _table(html, "table-activity")
    for name, values in source.ACTIVITY[code]:
        row = table[table.index(f"{name}</th>") :]
        row = row[: row.index("</tr>")]
        cells = re.findall(r'<td class="num[^"]*">([^<]*)', row)
        assert cells == [_printed(values[year]) for year in sorted(values)], name


@pytest.mark.parametrize("code", CODES)
def test_sheet_page_shows_every_cost_line_and_the_negative_differences(client, code):
    html = _page(client, code)
    for lines in source.COST_LINES[code].values():
        for account, value in lines.items():
            assert f"{account}</th>" in html or f"{account} (" in html
            assert f">{amount(value)}<" in html
    for key, difference in source.COST_PRINTED_DIFFERENCES[code].items():
        assert f">{amount(difference)}<" in html, key
        if difference < 0:
            assert "▲ " + f"{-difference:,}" in html
    for totals in source.COST_PRINTED_TOTALS[code].values():
        assert f">{amount(totals['administrative_balance'])}<" in html


@pytest.mark.parametrize("code", CODES)
def test_sheet_page_shows_every_breakdown_line(client, code):
    html = _page(client, code)
    table = html[html.index('id="table-breakdown"') :]
    for _year, _kind, expense_class, description, value in source.BREAKDOWN[code]:
        assert f'<td>{expense_class}</td><td>{description}</td><td class="num">{amount(value)}</td>' in table


def test_sheet_page_has_the_five_kinds_of_chart_and_loads_plotly_once_from_static(client):
    html = _page(client, "03-04-01")
    for chart_id in ["chart-budget", "chart-indicator-1", "chart-activity-1", "chart-breakdown", "chart-cost"]:
        assert f'id="{chart_id}"' in html
    assert html.count("plotly-evalsheets.min.js") == 1
    assert "/static/vendor/plotly-evalsheets.min.js" in html
    assert "cdn" not in html.lower()


def test_sheet_page_shows_texts_sections_and_labels_in_form_order(client):
    html = _page(client, "03-04-02")
    labels = [
        "事務事業コード",
        "戦略プラン",
        "事務事業名",
        "部課名",
        "課長名",
        "担当者名",
        "内線",
        "事務事業を構成する小事業名及び予算事業コード",
        "事務事業の種類",
        "開始年度",
        "根拠法令等",
        "終期設定",
        "計画区分",
        "実施基準",
        "行政評価事業体系",
        "目的",
        "対象者等",
        "内容",
        "経過",
        "必要性",
        "実施方法",
        "指標",
        "事務事業の分類",
        "予算・決算額等の推移",
        "実績の推移",
        "予算・決算の内訳",
        "行政コスト計算書",
        "備考",
        "問題点・課題",
        "問題点・課題の改善策",
        "他区の実況",
        "議会",
    ]
    form = html[html.index('id="sheet-header"') :]  # the form itself, after the table of contents
    positions = [form.index(f">{label}") for label in labels]
    assert positions == sorted(positions)
    sheet = Sheet.objects.get(program__code="03-04-02")
    for text in [sheet.purpose, sheet.necessity, sheet.remarks, sheet.classification_explanation, sheet.implementation_note]:
        assert text in html
    for event in sheet.history_events.all():
        assert event.text in html and event.era_label in html
    for issue in sheet.issues.all():
        assert issue.text in html
    for plan in sheet.improvements.all():
        assert plan.result in html
    assert "＜財務会計システム＞" in html
    assert "昭和59年度（1984年度）" in html
    assert "尾崎、鈴木、中軍、一木" in html


def test_content_keeps_its_list_structure(client):
    html = _page(client, "03-04-01")
    assert "<li>・住民記録システム等（計20業務）" in html


def test_other_wards_notes_and_counts(client):
    html = _page(client, "03-04-06")
    assert "実施 22 区" in html and "未実施 0 区" in html
    assert "<li>・電子申請サービス・・・21区(千代田区以外)</li>" in html


def test_navigation_links_neighbours_years_program_and_admin_for_staff(client, admin_client):
    html = _page(client, "03-04-03")
    assert 'href="/sheets/2021/03-04-02/" rel="prev"' in html
    assert 'href="/sheets/2021/03-04-04/" rel="next"' in html
    assert 'href="/programs/03-04-03/"' in html
    assert "/admin/" not in html.split('class="site-nav"')[1].split("</nav>")[1]  # no edit link for the public
    staff_html = _page(admin_client, "03-04-03")
    sheet = Sheet.objects.get(program__code="03-04-03")
    assert f'href="/admin/programs/sheet/{sheet.pk}/change/"' in staff_html
    first = _page(client, "03-04-01")
    assert 'rel="prev"' not in first


def test_data_quality_mismatch_of_a_stated_total_is_shown(client):
    sheet = Sheet.objects.get(program__code="03-04-01")
    sheet.stated_cost_totals.filter(fiscal_year=2019, item="expense").update(amount=471989)
    html = _page(client, "03-04-01")
    assert "原本の記載 471,989 と計算値 471,988 が一致しません" in html


def test_script_in_any_text_is_escaped(client):
    payload = "<script>alert('x')</script>"
    sheet = Sheet.objects.get(program__code="03-04-01")
    for field in ["name", "purpose", "content", "necessity", "remarks", "classification_explanation", "council_notes"]:
        setattr(sheet, field, payload)
    sheet.save()
    sheet.indicators.filter(number=1).update(name=payload, description=payload, unit="<i>u</i>")  # unit is varchar(20)
    sheet.activity_items.filter(position=0).update(name=payload)
    sheet.breakdown_lines.update(expense_class=payload, description=payload)
    sheet.history_events.update(text=payload, group=payload)
    html = _page(client, "03-04-01")
    assert payload not in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<i>u</i>" not in html and "&lt;i&gt;u&lt;/i&gt;" in html


@pytest.mark.parametrize(
    "url",
    [
        "/sheets/2021/99-99-99/",
        "/sheets/2020/03-04-01/",
        "/sheets/20x1/03-04-01/",
        "/sheets/99999/03-04-01/",
        "/sheets/0000/03-04-01/",
        "/sheets/2021/",
        "/programs/99-99-99/",
    ],
)
def test_unknown_or_malformed_urls_are_friendly_404s(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_query_count_is_the_same_with_300_more_sheets(client):
    with CaptureQueriesContext(connection) as small:
        _page(client, "03-04-05")
    sheets_bulk_create(300)
    with CaptureQueriesContext(connection) as large:
        _page(client, "03-04-05")
    assert len(large) == len(small) <= 23  # + the extra texts, the form profile's vocabulary and text fields, 類似する事務事業
    with CaptureQueriesContext(connection) as generated:
        _page(client, "90-0150")
    assert len(generated) == len(small)
