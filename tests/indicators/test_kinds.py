"""Indicators of three kinds (活動指標 / 対象指標 / 成果指標): document in and out, achievement, page, workbook."""

import copy
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from evalsheets.lib.formatting import circled
from indicators.analytics import achievement, indicator_table
from indicators.expressions import indicators_with_achievement, sheet_achievement_subquery
from indicators.models import Indicator
from indicators.selectors import indicator_frames
from programs import selectors
from programs.documents import DocumentError
from programs.interchange.serializer import sheet_document
from programs.interchange.workbook import blank_template_bytes, workbook_read, workbook_write
from programs.models import Sheet
from programs.services import SEED_DIR, sheet_upsert
from tests import source_figures as source

YEARS = [2019, 2020, 2021, 2022, 2023, 2024]


def _indicator(kind, number, name, unit, values, *, direction="up", target=None, target_year=None, description=""):
    return {
        "kind": kind,
        "number": number,
        "name": name,
        "unit": unit,
        "description": description,
        "direction": direction,
        "target": target,
        "target_fiscal_year": target_year,
        "values": [
            {"fiscal_year": year, "value": value, "is_estimate": year == 2024} for year, value in zip(YEARS, values, strict=True)
        ],
    }


# 3 活動 / 2 対象 / 2 成果, six value years 2019–2024 (2024 見込み); one 成果指標 without target, one indicator with
# direction none (and a target, which must not make an achievement).
INDICATORS = [
    _indicator("activity", 1, "職員研修の実施回数", "回", ["6", "7", "8", "9", "11", "10"], target="12", target_year=2025),
    _indicator(
        "activity",
        2,
        "問い合わせ対応件数",
        "件",
        ["1,204", "1,310", "1,452", "1,530", "1,611", "1,700"],
        direction="none",
        target="100",
    ),
    _indicator(
        "activity",
        3,
        "ヘルプデスク受付件数",
        "件",
        ["812", "790", "701", "655", "520", "450"],
        direction="down",
        target="400",
        target_year=2026,
    ),
    _indicator("target", 1, "システム利用職員数", "人", ["2,011", "2,034", "2,050", "2,061", "2,072", "2,080"], direction="none"),
    _indicator("target", 2, "管理端末台数", "台", ["1,450", "1,480", "1,502", "1,533", "1,561", "1,590"], direction="none"),
    _indicator(
        "outcome",
        1,
        "基幹システム稼働率",
        "%",
        ["99.51", "99.62", "99.70", "99.73", "99.80", "99.60"],
        target="99.9",
        target_year=2025,
    ),
    _indicator("outcome", 2, "利用者満足度", "点", ["3.1", "3.2", "3.4", "3.3", "3.6", "3.7"]),
]
COMPUTED = {("activity", 1): 83.3, ("activity", 3): 88.9, ("outcome", 1): 99.7}  # 10/12, 400/450, 99.60/99.9


def _document() -> dict:
    document = json.loads((SEED_DIR / "03-04-01_2021.json").read_text(encoding="utf-8"))
    document["fiscal_year"] = 2024
    document["indicators"] = copy.deepcopy(INDICATORS)
    return document


def _api_form(indicators: list[dict]) -> list[dict]:
    """The document's indicators as sheet_document gives them: numbers with their printed text."""

    def number(text):
        if text is None:
            return None
        plain = text.replace(",", "")
        return float(plain) if "." in plain else int(plain)

    return [
        {
            **item,
            "target": number(item["target"]),
            "values": [{**v, "value": number(v["value"]), "printed": v["value"]} for v in item["values"]],
        }
        for item in indicators
    ]


@pytest.fixture
def kinds_sheet(db):
    sheet = sheet_upsert(document=_document()).sheet
    return selectors.sheet_document_queryset(viewer=None).get(pk=sheet.pk)


def _page(client, fiscal_year, code) -> str:
    response = client.get(f"/sheets/{fiscal_year}/{code}/")
    assert response.status_code == 200
    return response.content.decode()


def _table(html: str, table_id: str) -> str:
    table = html[html.index(f'id="{table_id}"') :]
    return table[: table.index("</table>")]


def test_indicators_of_three_kinds_come_back_exactly_through_the_document(kinds_sheet):
    assert sheet_document(kinds_sheet)["indicators"] == _api_form(INDICATORS)
    stored = Indicator.objects.filter(sheet=kinds_sheet)
    assert sorted((i.kind, i.number) for i in stored) == sorted((i["kind"], i["number"]) for i in INDICATORS)


def test_indicators_of_three_kinds_come_back_exactly_through_the_api(admin_client, kinds_sheet):
    response = admin_client.get("/api/sheets/2024/03-04-01/")
    assert response.status_code == 200
    assert response.json()["indicators"] == _api_form(INDICATORS)


def test_an_indicator_without_kind_is_an_outcome_and_numbers_are_unique_within_a_kind(db):
    document = _document()
    del document["indicators"][5]["kind"]
    document["indicators"][6]["number"] = 21  # past ⑳: allowed, shown as a plain number
    sheet = sheet_upsert(document=document).sheet
    assert Indicator.objects.get(sheet=sheet, name="基幹システム稼働率").kind == "outcome"
    assert Indicator.objects.get(sheet=sheet, name="利用者満足度").mark == "21"
    assert circled(3) == "③" and circled(21) == "21"

    document = _document()
    document["indicators"][4]["number"] = 1  # a second 対象指標 ①
    with pytest.raises(DocumentError) as error:
        sheet_upsert(document=document)
    assert error.value.path == "indicators[4].number"
    assert "対象指標" in str(error.value)
    document = _document()
    document["indicators"][0]["kind"] = "input"
    with pytest.raises(DocumentError) as error:
        sheet_upsert(document=document)
    assert error.value.path == "indicators[0].kind"


def test_achievement_only_where_a_target_and_a_direction_exist(kinds_sheet):
    _, rows = indicator_table(*indicator_frames(sheet_ids=[kinds_sheet.pk]))
    got = {(row["kind"], row["number"]): row["achievement"] for row in rows}
    expected = {(i["kind"], i["number"]): COMPUTED.get((i["kind"], i["number"])) for i in INDICATORS}
    assert got == expected
    # the SQL twin agrees: NULL (never 0) without a target or with direction none
    annotated = indicators_with_achievement(Indicator.objects.filter(sheet=kinds_sheet))
    in_sql = {(i.kind, i.number): None if i.achievement is None else round(i.achievement, 1) for i in annotated}
    assert in_sql == expected
    # the /sheets/ 達成度 averages the 成果指標 that have an achievement: ① alone
    average = Sheet.objects.filter(pk=kinds_sheet.pk).annotate(a=sheet_achievement_subquery()).get().a
    assert round(average, 1) == 99.7


def test_achievement_formula_leaves_no_target_and_direction_none_uncomputed():
    values = pd.Series([5.0, 5.0, 0.0, 5.0])
    targets = pd.Series([np.nan, 10.0, np.nan, 10.0])
    directions = pd.Series(["up", "none", "zero", "up"])
    assert achievement(values, targets, directions).tolist()[:3] == [pytest.approx(np.nan, nan_ok=True)] * 3
    assert achievement(values, targets, directions).tolist()[3] == 50.0


def test_sheet_page_shows_one_table_per_kind_with_every_value(admin_client, kinds_sheet):
    html = _page(admin_client, 2024, "03-04-01")
    headings = re.findall(r'<h3 id="indicators-(\w+)-heading">([^<]+)</h3>', html)
    assert headings == [("activity", "活動指標"), ("target", "対象指標"), ("outcome", "成果指標")]
    for indicator in INDICATORS:
        table = _table(html, f"table-indicators-{indicator['kind']}")
        row = table[table.index(indicator["name"]) :]
        row = row[: row.index("</tr>")]
        assert f"<td>{indicator['unit']}</td>" in row
        cells = re.findall(r'<td class="num[^"]*">([^<]*)', row)
        printed = [v["value"] for v in indicator["values"]]
        assert cells[: len(YEARS)] == printed  # every year, in order, as printed (2024 with its 見込み badge)
        assert row.count("見込み") == 1
        assert "（—）" not in row  # no target year: nothing printed under the target, not a NaN year
        computed = COMPUTED.get((indicator["kind"], indicator["number"]))
        if computed is None:
            assert cells[-1] == "—" and "achievement-" not in row  # not computed: never 0, never on target
        else:
            assert re.search(rf'class="achievement-(ok|short)">{computed}%</span>', row)
    for era in ("令和元年度", "令和2年度", "令和3年度", "令和4年度", "令和5年度", "令和6年度"):
        assert era in _table(html, "table-indicators-outcome")
    assert "方向なし" in _table(html, "table-indicators-target")
    assert "（令和7年度）" in _table(html, "table-indicators-activity")  # 目標年度
    assert 'id="chart-indicator-1"' in html and 'id="chart-indicator-activity-3"' in html
    assert 'id="table-indicators"' not in html


@pytest.mark.parametrize("code", sorted(source.BUDGET_HISTORY))
def test_seed_sheet_page_shows_no_kind_headings(db, client, code):
    html = _page(client, 2021, code)
    section = html[html.index('id="indicators-heading"') : html.index("</section>", html.index('id="indicators-heading"'))]
    assert 'id="table-indicators"' in section
    assert "<h3" not in section and "table-indicators-" not in section
    assert 'id="chart-indicator-1"' in section


def test_program_and_compare_pages_take_indicators_of_every_kind(admin_client, kinds_sheet):
    response = admin_client.get("/programs/03-04-01/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "活動指標① 職員研修の実施回数" in html and "① 基幹システム稼働率" in html
    assert 'id="chart-program-indicator-target-2"' in html
    assert admin_client.get("/compare/", {"programs": ["03-04-01", "03-04-02"]}).status_code == 200


def test_overview_counts_leave_indicators_without_achievement_out(admin_client, kinds_sheet):
    from indicators.analytics import indicator_history, latest_achievement_counts

    sheets = pd.DataFrame([{"sheet_id": kinds_sheet.pk, "sheet_fiscal_year": 2024, "code": "03-04-01", "name": kinds_sheet.name}])
    history = indicator_history(*indicator_frames(sheet_ids=[kinds_sheet.pk]), sheets)
    assert latest_achievement_counts(history) == {"on_track": 0, "behind": 1}  # 成果指標① 99.7%; ② has no target


def test_workbook_round_trip_keeps_kinds_more_than_three_indicators_and_six_years(kinds_sheet):
    document = sheet_document(kinds_sheet)
    read = workbook_read(io.BytesIO(workbook_write([document])), name="kinds.xlsx")[0]["indicators"]
    expected = [
        {**item, "values": [{k: v[k] for k in ("fiscal_year", "value", "is_estimate")} for v in item["values"]]}
        for item in INDICATORS
    ]
    assert [(i["kind"], i["number"], i["name"], i["unit"], i["direction"]) for i in read] == [
        (i["kind"], i["number"], i["name"], i["unit"], i["direction"]) for i in expected
    ]
    for got, want in zip(read, expected, strict=True):
        assert [v["fiscal_year"] for v in got["values"]] == YEARS
        assert [v["is_estimate"] for v in got["values"]] == [False] * 5 + [True]
        assert [v["value"].replace(",", "") for v in got["values"]] == [v["value"].replace(",", "") for v in want["values"]]
        assert got["target"] == want["target"] and got["target_fiscal_year"] == want["target_fiscal_year"]
    # and the workbook's document loads back to the same indicators
    reloaded = copy.deepcopy(document)
    reloaded["indicators"] = read
    sheet = sheet_upsert(document=reloaded).sheet
    again = selectors.sheet_document_queryset(viewer=None).get(pk=sheet.pk)
    assert sheet_document(again)["indicators"] == _api_form(INDICATORS)


def test_blank_workbook_offers_every_kind_and_six_indicator_years():
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(blank_template_bytes(2024)))["新規"]
    head = next(row for row in ws.iter_rows() if row[0].value == "指標名")
    texts = [cell.value for cell in head]
    assert "種別" in texts
    years = ["令和元年度", "令和2年度", "令和3年度", "令和4年度", "令和5年度", "令和6年度"]
    assert texts[texts.index("方向") + 1 : texts.index("目標値")] == years
    kinds = [ws.cell(row=r, column=texts.index("種別") + 1).value for r in range(head[0].row + 2, head[0].row + 11)]
    assert kinds == ["活動指標"] * 3 + ["対象指標"] * 3 + ["成果指標"] * 3


def test_a_year_head_typed_right_of_the_target_year_is_a_value_year(kinds_sheet):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(workbook_write([sheet_document(kinds_sheet)])))
    ws = workbook.worksheets[0]
    head = next(row for row in ws.iter_rows() if row[0].value == "指標名")
    texts = [cell.value for cell in head]
    extra = texts.index("目標年度") + 2  # one column after 目標年度 (1-based)
    ws.cell(row=head[0].row, column=extra, value="令和7年度")
    row = next(r for r in range(head[0].row, ws.max_row + 1) if ws.cell(row=r, column=1).value == "①基幹システム稼働率")
    ws.cell(row=row, column=extra, value="99.8")
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = workbook_read(io.BytesIO(buffer.getvalue()), name="extra.xlsx")[0]["indicators"]
    outcome = next(i for i in read if i["kind"] == "outcome" and i["number"] == 1)
    assert [(v["fiscal_year"], v["value"]) for v in outcome["values"]][-2:] == [(2024, "99.60"), (2025, "99.8")]
