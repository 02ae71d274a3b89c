"""/sheets/ in a browser: sorting by a header link, filtering, Japanese search, pagination, export."""

import csv
import io
import re

import pytest

from tests import source_figures as source
from tests.browser.support import SEED_CODES, expect, table_rows, visit

pytestmark = pytest.mark.browser

SETTLEMENT_2021 = {code: years[2021][1] for code, years in source.BUDGET_HISTORY.items()}
SETTLEMENT_COLUMN = 5  # コード, 事務事業名, 年度, 分類, 予算額, 決算額 (the default columns of one municipality)
BY_SETTLEMENT = sorted(SETTLEMENT_2021, key=SETTLEMENT_2021.get)  # 03-04-06 (16,257) … 03-04-01 (468,771)


def _codes(page) -> list[str]:
    return [row[0] for row in table_rows(page, "table.data-table")]


def _submit_filter(page):
    with page.expect_navigation():
        page.get_by_role("button", name="絞り込む").click()
    page.wait_for_load_state("load")


def test_sorting_by_settlement_through_the_header_link(page):
    visit(page, "/sheets/")
    assert sorted(_codes(page)) == SEED_CODES
    # (not by role and exact name: the ▲/▼ that CSS adds after a sorted header is part of the link's name)
    header = page.locator("table.data-table thead th[title='決算額（千円）']").get_by_role("link")  # shown as 決算額

    with page.expect_navigation():
        header.click()
    expect(page).to_have_url(re.compile(r"sort=own_settlement"))
    assert _codes(page) == BY_SETTLEMENT
    assert table_rows(page, "table.data-table")[0][SETTLEMENT_COLUMN].startswith(f"{SETTLEMENT_2021['03-04-06']:,}")
    expect(page.locator("table.data-table thead th.asc")).to_contain_text("決算額")

    with page.expect_navigation():
        header.click()  # the link now sorts the other way
    expect(page).to_have_url(re.compile(r"sort=-own_settlement"))
    assert _codes(page) == list(reversed(BY_SETTLEMENT))
    assert _codes(page)[0] == "03-04-01"
    assert table_rows(page, "table.data-table")[0][SETTLEMENT_COLUMN].startswith("468,771")
    expect(page.locator("table.data-table thead th.desc")).to_contain_text("決算額")


def test_default_order_is_the_one_the_headers_show(page):
    visit(page, "/sheets/")
    expect(page.locator("table.data-table thead th.asc")).to_contain_text("コード")
    assert _codes(page) == SEED_CODES


def test_filtering_by_a_measure(page):
    from programs.models import Measure, Sheet

    seed_measure = Measure.objects.get(code="05")
    other = Measure.objects.create(policy=seed_measure.policy, code="06", name="テスト用の施策")
    Sheet.objects.filter(program__code="03-04-05").update(measure=other)

    visit(page, "/sheets/")
    page.get_by_label("施策", exact=True).select_option(label=str(other))
    _submit_filter(page)
    expect(page).to_have_url(re.compile(f"measure={other.pk}"))
    assert _codes(page) == ["03-04-05"]
    expect(page.locator("#result-heading")).to_have_text("1 件のシート")

    page.get_by_label("施策", exact=True).select_option(label=str(seed_measure))
    _submit_filter(page)
    assert sorted(_codes(page)) == [code for code in SEED_CODES if code != "03-04-05"]
    expect(page.locator("#result-heading")).to_have_text("5 件のシート")


def test_searching_a_japanese_word(page):
    visit(page, "/sheets/")
    page.get_by_label("キーワード", exact=True).fill("ネットワーク管理")
    _submit_filter(page)
    assert _codes(page) == ["03-04-04"]
    expect(page.locator("#result-heading")).to_have_text("1 件のシート")
    expect(page.get_by_label("キーワード", exact=True)).to_have_value("ネットワーク管理")  # the form keeps the word

    page.get_by_label("キーワード", exact=True).fill("ネットワーク")  # 03-04-04's name, 03-04-02's 内容, 03-04-06's 目的
    # (the URL of the first search already matched "**/sheets/?q=*": wait for the navigation itself, and its load)
    with page.expect_navigation(url="**/sheets/?q=*"):
        page.get_by_label("キーワード", exact=True).press("Enter")
    expect(page.locator("#result-heading")).to_have_text("3 件のシート")
    assert sorted(_codes(page)) == ["03-04-02", "03-04-04", "03-04-06"]


def test_pagination_with_25_rows_a_page(page):
    from tests.factories import sheets_bulk_create

    sheets_bulk_create(30)  # 36 sheets in all
    visit(page, "/sheets/")
    page.get_by_label("表示件数", exact=True).select_option("25")
    _submit_filter(page)
    expect(page.locator("#result-heading")).to_have_text("36 件のシート")
    first_page = _codes(page)
    assert len(first_page) == 25

    with page.expect_navigation():
        page.locator(".pagination").get_by_role("link", name="2", exact=True).click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page).to_have_url(re.compile(r"per_page=25"))
    second_page = _codes(page)
    assert len(second_page) == 11
    assert not set(first_page) & set(second_page)
    assert set(SEED_CODES) <= set(first_page) | set(second_page)
    expect(page.locator(".pagination li.active")).to_have_text("2")

    page.get_by_label("表示件数", exact=True).select_option("50")
    _submit_filter(page)
    assert len(_codes(page)) == 36
    assert page.locator(".pagination").count() == 0


def test_csv_export_of_the_filtered_sorted_rows(page):
    visit(page, "/sheets/?q=ネットワーク&sort=-own_settlement")
    assert _codes(page) == ["03-04-02", "03-04-04", "03-04-06"]
    with page.expect_download() as download_info:
        page.locator(".table-actions").get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = open(download.path(), "rb").read()
    assert content.startswith("\ufeff団体,事務事業コード".encode())  # the BOM, so Excel reads UTF-8; 団体 first
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["団体", "事務事業コード"]
    assert [row[1] for row in rows[1:]] == ["03-04-02", "03-04-04", "03-04-06"]

    with page.expect_download() as download_info:
        page.locator(".table-actions").get_by_role("link", name="XLSX", exact=True).click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
    assert open(download_info.value.path(), "rb").read(2) == b"PK"  # a zip, as every .xlsx
