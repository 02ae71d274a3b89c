import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from finance.models import BudgetYear
from programs.documents import DocumentError
from programs.models import HistoryEvent, Program, Sheet
from programs.services import SEED_DIR, seed_load, sheet_upsert

# imports replace sheets being written: the seed sheets are reopened (作成中) for each test
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_drafts")]


def _document(code="03-04-01"):
    return json.loads((SEED_DIR / f"{code}_2021.json").read_text(encoding="utf-8"))


def _counts():
    return (Program.objects.count(), Sheet.objects.count(), BudgetYear.objects.count(), HistoryEvent.objects.count())


def test_loading_the_seed_again_duplicates_nothing():
    before = _counts()
    results = seed_load()
    assert [r.created for r in results] == [False] * 6
    assert _counts() == before


def test_load_seed_command_reports_each_sheet(capsys):
    call_command("load_seed")
    out = capsys.readouterr().out
    assert "更新: 03-04-01 業務系システム運用管理" in out
    assert "6 枚のシートを読み込みました" in out


def test_upsert_updates_the_same_sheet_in_place():
    document = _document()
    document["budget_history"][0]["budget"] = 1
    result = sheet_upsert(document=document)
    assert not result.created
    assert BudgetYear.objects.get(sheet=result.sheet, fiscal_year=2015).budget == 1


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["budget_history"][2].update(budget="四百"), "budget_history[2].budget"),
        (lambda d: d["budget_history"][2].update(budget="1,2,3"), "budget_history[2].budget"),
        (lambda d: d["budget_history"][1].update(fiscal_year=2015), "budget_history[1].fiscal_year"),
        (lambda d: d.update(fiscal_year=3021), "fiscal_year"),
        (lambda d: d["indicators"][0]["values"][0].update(value="abc"), "indicators[0].values[0].value"),
        (lambda d: d["classification"].update(current="がんばる"), "classification.current"),
        (lambda d: d["cost_statement"][0]["lines"][0].update(account="謎の科目"), "cost_statement[0].lines[0].account"),
        (lambda d: d.update(name=""), "name"),
        (lambda d: d["history"][0].update(month=13), "history[0].month"),
        (lambda d: d["issues"][1].update(number=1), "issues[1].number"),
    ],
)
def test_bad_document_names_the_field_and_changes_nothing(change, path):
    document = copy.deepcopy(_document())
    change(document)
    sheet = Sheet.objects.get(program__code="03-04-01")
    before = (_counts(), sheet.name, list(BudgetYear.objects.filter(sheet=sheet).values_list("budget", flat=True)))
    with pytest.raises(DocumentError) as error:
        sheet_upsert(document=document)
    assert error.value.path == path
    sheet.refresh_from_db()
    after = (_counts(), sheet.name, list(BudgetYear.objects.filter(sheet=sheet).values_list("budget", flat=True)))
    assert after == before


def test_load_seed_command_fails_clearly_on_a_broken_file(tmp_path):
    changed = _document()
    changed["name"] = "変更されたはずの名前"
    (tmp_path / "a_good.json").write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b_broken.json").write_text("{not json", encoding="utf-8")
    before = _counts()
    with pytest.raises(CommandError, match="b_broken.json"):
        call_command("load_seed", "--dir", str(tmp_path))
    assert _counts() == before
    assert Sheet.objects.get(program__code="03-04-01").name == "業務系システム運用管理"  # the good file was rolled back too
