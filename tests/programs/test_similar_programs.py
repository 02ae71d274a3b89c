"""類似する事務事業 (programs/similarity.py, manage.py refresh_similar_programs, the section on the sheet and program
pages): the seed's two system-operation programs find each other, stored = computed, one query per page, escaped,
published programs only for the public, refreshed after a write."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from programs import similarity
from programs.choices import SheetStatus
from programs.figures import sheet_stored_refresh
from programs.models import Section, Sheet, SimilarProgram
from programs.similarity import (
    budget_close,
    pair_score,
    similar_programs_compute,
    similar_programs_refresh,
    text_candidates,
)
from tests.factories import sheets_bulk_create

pytestmark = pytest.mark.django_db


def _stored(code: str) -> list[str]:
    rows = SimilarProgram.objects.filter(program__code=code).select_related("similar").order_by("rank")
    return [row.similar.code for row in rows]


def _section(html: str) -> str:
    start = html.index('<section class="panel similar-programs"')
    return html[start : html.index("</section>", start)]


def _similar_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "similarprogram" in q["sql"].lower()]


# --- the computation, without the database -------------------------------------------------------


def test_text_candidates_rank_the_closest_text_first_and_never_the_text_itself():
    texts = [
        "住民記録システムの運用管理",
        "税務システムの運用管理",
        "公園の清掃と樹木の剪定",
        "住民記録システムの保守",
        "図書館の蔵書の管理",
        "道路の舗装の補修",
    ]
    candidates = text_candidates(texts, count=2)
    assert [len(c) for c in candidates[:4]] == [2, 2, 0, 2]  # 公園の清掃 shares no 2–3-gram: no candidate, not a zero
    assert all(index != own for own, found in enumerate(candidates) for index, _ in found)
    assert candidates[0][0][0] == 3  # 住民記録システム … shares the most 2–3-grams
    assert all(found[0][1] >= found[1][1] for found in candidates if found)


def test_similarity_matrix_is_built_in_chunks_with_the_same_result(monkeypatch):
    texts = [f"事業{i}の目的と内容：{'情報システム' if i % 2 else '道路の維持補修'}{i}" for i in range(30)]
    whole = text_candidates(texts, count=5)
    monkeypatch.setattr(similarity, "CHUNK_CELLS", 31)  # one row of the 30 × 30 matrix at a time
    assert text_candidates(texts, count=5) == whole


def test_texts_with_nothing_to_compare_have_no_candidates():
    assert text_candidates(["a", "b"]) == [[], []]
    assert text_candidates(["住民記録"]) == [[]]


def test_budget_within_twenty_percent_is_a_reason_and_a_missing_budget_never_is():
    assert budget_close(1000, 1200) and budget_close(1000, 800)
    assert not budget_close(1000, 1201) and not budget_close(1000, 799)
    assert not budget_close(None, 1000) and not budget_close(1000, None) and not budget_close(0, 0)


def _sheet(**changes) -> dict:
    return {
        "measure_id": 1,
        "measure__policy_id": 10,
        "measure__policy__field_id": 100,
        "own_budget": 1000,
        "classification_current": "B",
        **changes,
    }


def test_score_adds_the_hierarchy_budget_and_classification_to_the_text():
    score, reasons = pair_score(_sheet(), _sheet(), 0.5)
    assert score == pytest.approx(
        similarity.TEXT_WEIGHT * 0.5 + similarity.MEASURE_WEIGHT + similarity.BUDGET_WEIGHT + similarity.CLASSIFICATION_WEIGHT
    )
    assert reasons["same_measure"] and not reasons["same_policy"] and reasons["budget_close"] and reasons["same_classification"]
    other_measure, reasons = pair_score(_sheet(), _sheet(measure_id=2, own_budget=None, classification_current="A"), 0.5)
    assert other_measure == pytest.approx(similarity.TEXT_WEIGHT * 0.5 + similarity.POLICY_WEIGHT)
    assert reasons["same_policy"] and reasons["budget_ratio"] is None and not reasons["budget_close"]
    other_municipality, reasons = pair_score(
        _sheet(), _sheet(measure_id=3, measure__policy_id=30, measure__policy__field_id=300, classification_current=""), 0.5
    )
    assert other_municipality == pytest.approx(similarity.TEXT_WEIGHT * 0.5 + similarity.BUDGET_WEIGHT)
    assert not any(reasons[key] for key in ("same_measure", "same_policy", "same_field", "same_classification"))
    weights = [getattr(similarity, name) for name in ("TEXT_WEIGHT", "MEASURE_WEIGHT", "BUDGET_WEIGHT", "CLASSIFICATION_WEIGHT")]
    assert sum(weights) == pytest.approx(1.0)  # a score reads as a share of a perfect match


# --- on the seed ---------------------------------------------------------------------------------


def test_on_the_seed_the_two_system_operation_programs_are_each_others_most_similar():
    similar_programs_refresh()
    assert _stored("03-04-01")[0] == "03-04-02"  # 業務系システム運用管理 → 情報系システム運用管理
    assert _stored("03-04-02")[0] == "03-04-01"
    assert SimilarProgram.objects.count() == 6 * 5  # each seed program, the five others


def test_stored_rows_equal_a_fresh_computation():
    similar_programs_refresh()
    stored = {
        (r.program_id, r.rank): (r.similar_id, r.score, r.text_score, r.reasons, r.source_sheet_id)
        for r in SimilarProgram.objects.all()
    }
    fresh = {
        (r.program_id, r.rank): (r.similar_id, r.score, r.text_score, r.reasons, r.source_sheet_id)
        for r in similar_programs_compute()
    }
    assert stored == fresh
    assert len({r.computed_at for r in SimilarProgram.objects.all()}) == 1


def test_reasons_name_the_measure_the_shared_words_and_the_other_programs_section():
    similar_programs_refresh()
    row = SimilarProgram.objects.get(program__code="03-04-01", rank=1)
    assert row.reasons["same_measure"] is True
    assert {"システム", "運用管理"} <= set(row.reasons["shared_words"])
    assert len(row.reasons["shared_words"]) <= similarity.SHARED_WORDS_SHOWN
    assert row.reasons["section"] == "管理部情報システム課"
    assert row.reasons["budget"] == Sheet.objects.get(program__code="03-04-02", fiscal_year=2021).own_budget
    assert row.source_sheet == Sheet.objects.get(program__code="03-04-01", fiscal_year=2021)


def test_only_published_sheets_are_compared():
    Sheet.objects.filter(program__code="03-04-02").update(status=SheetStatus.DRAFT)
    similar_programs_refresh()
    assert "03-04-02" not in _stored("03-04-01")
    assert _stored("03-04-02") == []


def test_command_replaces_the_stored_rows_and_says_what_it_did():
    similar_programs_refresh()
    before = set(SimilarProgram.objects.values_list("pk", flat=True))
    out = StringIO()
    call_command("refresh_similar_programs", stdout=out)
    assert re.search(r"類似する事務事業: 6 事業の 30 行を保存しました（\d+\.\d 秒）", out.getvalue())
    assert not before & set(SimilarProgram.objects.values_list("pk", flat=True))


# --- refreshed when sheets change ------------------------------------------------------------------


def test_a_sheet_write_refreshes_the_similar_programs_after_the_commit(django_capture_on_commit_callbacks):
    similar_programs_refresh()
    assert _stored("03-04-01")[0] == "03-04-02"
    own = Sheet.objects.get(program__code="03-04-01")
    twin = Sheet.objects.get(program__code="03-04-06")
    twin.name, twin.purpose, twin.content = own.name + "２", own.purpose, own.content
    twin.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            sheet_stored_refresh([twin.pk])  # what the admin, imports, 前年度複写 and restore call
            sheet_stored_refresh([twin.pk])
        assert _stored("03-04-01")[0] == "03-04-02"  # not before the commit
    assert len(callbacks) == 1  # once per transaction, however many sheets were written
    assert _stored("03-04-01")[0] == "03-04-06"


def test_publication_and_reopening_refresh_the_similar_programs(django_capture_on_commit_callbacks, admin_user):
    from programs.workflow import change_status

    similar_programs_refresh()
    sheet = Sheet.objects.get(program__code="03-04-02")
    with django_capture_on_commit_callbacks(execute=True):
        change_status(sheet=sheet, target=SheetStatus.DRAFT, user=admin_user, reason="修正のため")
    assert "03-04-02" not in _stored("03-04-01")


def test_above_the_threshold_a_write_leaves_the_refresh_to_the_command(monkeypatch, django_capture_on_commit_callbacks):
    similar_programs_refresh()
    before = list(SimilarProgram.objects.values_list("pk", flat=True))
    monkeypatch.setattr(similarity, "SYNC_REFRESH_MAX_PROGRAMS", 5)  # the seed has 6
    with django_capture_on_commit_callbacks(execute=True):
        sheet_stored_refresh([Sheet.objects.get(program__code="03-04-01").pk])
    assert list(SimilarProgram.objects.values_list("pk", flat=True)) == before


# --- the section on the pages ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/sheets/2021/03-04-01/", "/programs/03-04-01/"])
def test_section_shows_five_programs_linked_with_section_similarity_and_reasons(client, path):
    similar_programs_refresh()
    html = client.get(path).content.decode()
    assert 'href="#similar-heading">類似する事務事業</a>' in html  # the table of contents
    section = _section(html)
    assert section.count('<li>\n      <div class="similar-title">') == 5
    first = section.index('href="/programs/03-04-02/"')
    assert first < section.index('href="/programs/03-04-04/"')
    assert "情報系システム運用管理" in section and "管理部情報システム課" in section
    assert re.search(r"類似度 \d+%", section)
    assert "<li>同じ施策</li>" in section and "共通する語：" in section and "システム" in section
    assert "予算額 145,623 千円（令和3年度）" in section  # 03-04-02's budget, 千円 with separators, era year
    assert "計算日時" in section


def test_section_before_the_refresh_says_nothing_is_computed(client):
    SimilarProgram.objects.all().delete()  # the session's seed load refreshed them after its commit
    section = _section(client.get("/sheets/2021/03-04-01/").content.decode())
    assert "まだ計算されていません" in section


def test_names_in_the_section_are_escaped(client):
    payload = "<script>alert('x')</script>"
    Sheet.objects.filter(program__code="03-04-02").update(name=payload)
    Section.objects.filter(name="情報システム課").update(name=payload)
    similar_programs_refresh()
    section = _section(client.get("/sheets/2021/03-04-01/").content.decode())
    assert "<script>" not in section
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in section


def test_the_public_does_not_see_a_program_without_a_published_sheet(client, admin_client):
    similar_programs_refresh()
    Sheet.objects.filter(program__code="03-04-02").update(status=SheetStatus.DRAFT)  # reopened, not yet refreshed
    assert 'href="/programs/03-04-02/"' not in _section(client.get("/sheets/2021/03-04-01/").content.decode())
    assert 'href="/programs/03-04-02/"' in _section(admin_client.get("/sheets/2021/03-04-01/").content.decode())


@pytest.mark.parametrize("path", ["/sheets/2021/03-04-05/", "/programs/03-04-05/"])
def test_section_reads_the_stored_rows_in_one_query_at_any_size(client, path):
    SimilarProgram.objects.all().delete()
    with CaptureQueriesContext(connection) as empty:
        client.get(path)
    similar_programs_refresh()
    with CaptureQueriesContext(connection) as stored:
        client.get(path)
    assert len(_similar_queries(stored)) == 1 == len(_similar_queries(empty))
    assert len(stored) == len(empty)  # the same one query, with rows or without
    sheets_bulk_create(120)
    Sheet.objects.filter(program__code__startswith="90-").update(status=SheetStatus.PUBLISHED)
    similar_programs_refresh()
    assert SimilarProgram.objects.count() == 126 * 5
    with CaptureQueriesContext(connection) as large:
        client.get(path)
    assert len(large) == len(stored)
