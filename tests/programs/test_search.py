"""Search that finds what people type (issue 14 part 4): programs/search.py on SQLite (FTS5 trigram) and PostgreSQL
(pg_trgm), the /search/ page, the header box on every page and the /sheets/ filter `q`."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.choices import SheetStatus
from programs.figures import sheet_stored_refresh
from programs.models import Sheet, SheetIssue, SheetSearch
from programs.search import search_sheets
from tests.factories import sheets_bulk_create

pytestmark = pytest.mark.django_db


def codes(query: str) -> list[str]:
    return [sheet.program.code for sheet in search_sheets(Sheet.objects.select_related("program"), query)]


def documents() -> dict[int, tuple[str, str]]:
    return {row[0]: row[1:] for row in SheetSearch.objects.order_by("pk").values_list("pk", "name", "document")}


def assert_rebuild_equals_incremental():
    incremental = documents()
    SheetSearch.objects.all().delete()
    call_command("rebuild_search", "--batch-size", "4", stdout=io.StringIO())
    assert documents() == incremental
    if connection.vendor == "sqlite":  # the FTS5 index follows its content table (raises when it does not)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO programs_sheetsearch_fts(programs_sheetsearch_fts) VALUES ('integrity-check')")


@pytest.mark.parametrize("typed", ["LAN", "ＬＡＮ", "lan", "Ｌａｎ"])
def test_any_width_and_case_of_lan_finds_the_same_two_sheets(typed):
    assert codes(typed) == ["03-04-04", "03-04-05"]


@pytest.mark.parametrize("typed", ["ネットワーク", "ﾈｯﾄﾜｰｸ", "ねっとわーく", "ネットわーく"])
def test_any_width_and_kana_of_network_finds_the_same_sheets_name_match_first(typed):
    assert codes(typed) == ["03-04-04", "03-04-06", "03-04-02"]


def test_a_name_match_ranks_before_more_hits():
    """情報 occurs 9 times in 03-04-03 and 8 in 03-04-02, but only 03-04-02's name (情報系システム運用管理) holds it."""
    ranked = list(search_sheets(Sheet.objects.select_related("program"), "情報"))
    assert ranked[0].program.code == "03-04-02" and ranked[0].search_name_hits == 1
    assert [s.search_hits for s in ranked[1:]] == sorted((s.search_hits for s in ranked[1:]), reverse=True)
    assert ranked[1].program.code == "03-04-03" and ranked[1].search_hits > ranked[0].search_hits


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("インターネット予約率", "03-04-02"),  # 指標名
        ("外国人登録", "03-04-01"),  # 経過
        ("がん検診", "03-04-01"),  # 改善策
        ("０３－０４－０６", "03-04-06"),  # the code, typed full-width
    ],
)
def test_the_whole_sheet_is_searched(typed, code):
    assert code in codes(typed)


def test_every_word_must_occur_short_ones_too():
    assert codes("ネットワーク LAN") == ["03-04-04"]
    assert codes("区 ネットワーク") == ["03-04-04", "03-04-06", "03-04-02"]  # 区 (one character) on every sheet
    assert codes("ネットワーク 存在しない語") == []


@pytest.mark.parametrize("typed", ['"', '"" OR *', "%", "_", "NEAR(a b)", "a AND", "\\", "'; DROP TABLE x; --"])
def test_query_syntax_characters_are_only_text(typed):
    """FTS5 and LIKE syntax in a query is searched for as text, never interpreted."""
    holding = {row.sheet_id for row in SheetSearch.objects.all() if all(w in row.document for w in typed.lower().split())}
    assert sorted(codes(typed)) == sorted(Sheet.objects.filter(pk__in=holding).values_list("program__code", flat=True))


def test_a_part_written_is_found_and_a_rebuild_equals_it(sheet):
    SheetIssue.objects.create(sheet=sheet, number=9, text="ＧＩＧＡスクール端末の更新")
    sheet_stored_refresh([sheet.pk])
    assert codes("gigaスクール") == ["03-04-01"]
    assert_rebuild_equals_incremental()


def test_an_admin_edit_updates_the_search(admin_client, draft_sheet):
    from tests.html_forms import form_data

    url = reverse("admin:programs_sheet_change", args=[draft_sheet.pk])
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    data["purpose"] = ["庁内の量子暗号通信を試行する"]
    assert admin_client.post(url, data).status_code == 302
    assert codes("りょうし暗号") == [] and codes("量子暗号") == ["03-04-01"]
    assert_rebuild_equals_incremental()


def test_generated_sheets_are_searchable_and_a_deleted_sheet_leaves_the_index():
    sheets = sheets_bulk_create(30, template_code="03-04-04")
    assert len(codes("生成事業1")) == 11  # 生成事業1, 10 … 19 (name matches)
    assert len(codes("LAN")) == 32
    Sheet.objects.filter(pk=sheets[0].pk).delete()
    assert len(codes("LAN")) == 31
    assert_rebuild_equals_incremental()


def test_the_index_answers_the_query():
    """SQLite: a MATCH on the FTS5 trigram table; PostgreSQL: the pg_trgm GIN index answers the LIKE that Django
    writes for the document (in the plan once a scan of every row is costly, as at 46,000 sheets: README, "Search")."""
    queryset = search_sheets(Sheet.objects.all(), "ネットワーク")
    if connection.vendor == "sqlite":
        assert "programs_sheetsearch_fts MATCH" in str(queryset.query)
        return
    sql, params = SheetSearch.objects.filter(document__contains="ネットワーク").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "sheetsearch_document_trgm" in plan
    with connection.cursor() as cursor:  # no GIN pending list: rows written in bulk are in the index at once (0018)
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'sheetsearch_document_trgm'")
        assert cursor.fetchone()[0] == ["fastupdate=off"]


def test_search_page_ranks_and_marks_the_words(client):
    response = client.get(reverse("programs:search"), {"q": "ﾈｯﾄﾜｰｸ"})
    assert response.status_code == 200
    hits = response.context["hits"]
    assert [hit.sheet.program.code for hit in hits] == ["03-04-04", "03-04-06", "03-04-02"]
    html = response.content.decode()
    assert "<mark>ネットワーク</mark>管理" in html
    assert "3 件" in html


def test_snippets_and_the_query_are_escaped(client, sheet):
    sheet.purpose = '<script>alert("x")</script><b>ネットワーク</b>'
    sheet.save(update_fields=["purpose"])
    sheet_stored_refresh([sheet.pk])
    html = client.get(reverse("programs:search"), {"q": "ネットワーク"}).content.decode()
    assert "<script>alert" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;<mark>ネットワーク</mark>&lt;/b&gt;" in html
    html = client.get(reverse("programs:search"), {"q": "<img src=x onerror=alert(1)>"}).content.decode()
    assert "<img src=x" not in html and "「&lt;img src=x onerror=alert(1)&gt;」を含むシート 0 件" in html


def test_the_public_does_not_find_a_draft(client, sheet):
    Sheet.objects.filter(program__code="03-04-04").update(status=SheetStatus.DRAFT)
    response = client.get(reverse("programs:search"), {"q": "ネットワーク"})
    assert [hit.sheet.program.code for hit in response.context["hits"]] == ["03-04-06", "03-04-02"]


@pytest.mark.parametrize(("query", "message"), [("あ" * 201, "200"), ("ネット\x00ワーク", "キーワード")])
def test_a_bad_query_is_a_form_error_naming_the_field(client, query, message):
    response = client.get(reverse("programs:search"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "キーワード:" in html and message in html
    assert response.context["hits"] == []


def test_search_page_queries_do_not_grow_with_the_results(client):
    url = reverse("programs:search")
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "LAN"})
    sheets_bulk_create(30, template_code="03-04-04")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"q": "LAN"})
    assert len(response.context["hits"]) == 20 and response.context["page_obj"].paginator.count == 32
    assert len(many) == len(few)


@pytest.mark.parametrize("name", ["programs:overview", "programs:sheet_list", "programs:compare", "programs:rollup"])
def test_every_page_has_the_header_search_box(client, name):
    html = client.get(reverse(name)).content.decode()
    assert f'action="{reverse("programs:search")}"' in html and 'name="q"' in html


def test_the_header_box_is_on_the_sheet_page_too(client, sheet):
    html = client.get(sheet.get_absolute_url()).content.decode()
    assert 'role="search" method="get" action="/search/"' in html


def test_the_sheets_table_filter_q_uses_the_same_search(client):
    response = client.get(reverse("programs:sheet_list"), {"q": "ＬＡＮ"})
    assert sorted(row.record.program.code for row in response.context["table"].rows) == ["03-04-04", "03-04-05"]
    response = client.get(reverse("programs:sheet_list"), {"q": "ねっとわーく"})
    assert sorted(row.record.program.code for row in response.context["table"].rows) == ["03-04-02", "03-04-04", "03-04-06"]
