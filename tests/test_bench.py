"""manage.py bench (make bench): measures every page of the benchmark and writes the report."""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from programs import benchmark
from programs.management.commands import bench

pytestmark = pytest.mark.django_db


def test_bench_here_prints_every_page_at_the_seed_size():
    out = StringIO()
    call_command("bench", "--here", "--repeat", "1", stdout=out)
    lines = out.getvalue().splitlines()
    pages = benchmark.pages()
    assert len(pages) == 20
    assert len(lines) == len(pages)
    for page, line in zip(pages, lines, strict=True):
        cells = line.split()
        assert line.startswith(page.label), line
        assert "200" in cells, line  # every page answers at the seed size


def test_bench_json_results_carry_queries_size_memory_and_floor():
    out = StringIO()
    call_command("bench", "--here", "--json", "--repeat", "2", "--pages", "sheet,csv,admin", stdout=out)
    results = [json.loads(line.removeprefix(bench.RESULT_PREFIX)) for line in out.getvalue().splitlines()]
    assert [result["key"] for result in results] == ["csv", "sheet", "admin"]  # in the order of the pages
    for result in results:
        assert result["status"] == 200
        assert result["runs"] == 2
        assert result["queries"] > 0
        assert result["bytes"] > 0
        assert result["peak_mb"] >= result["base_mb"] > 0
        assert result["floor_rows"] > 0 and result["floor_ms"] > 0
    assert results[0]["streamed"]  # the CSV export is a streaming response
    assert results[0]["floor_rows"] == 6  # every seed sheet, as the export


def test_report_states_the_machine_the_rows_and_each_target(tmp_path: Path):
    out = StringIO()
    call_command("bench", "--here", "--json", "--repeat", "1", "--pages", "sheets_same_rows,admin_same_rows", stdout=out)
    results = [json.loads(line.removeprefix(bench.RESULT_PREFIX)) for line in out.getvalue().splitlines()]
    run = {
        "database": "sqlite",
        "size": "seed",
        "url": "sqlite:///x",
        "info": bench.database_info(),
        "prepared": {},
        "results": results,
    }
    keep = tmp_path / "RESULTS.md"
    keep.write_text(f"old\n{bench.NOTES_MARKER}\nanalysis by hand\n", encoding="utf-8")
    text = bench.report(
        [run], started=datetime.datetime(2026, 11, 27, 14, 0, tzinfo=datetime.UTC), argv=["manage.py", "bench"], keep=keep
    )
    assert "2026-11-27 14:00" in text and "CPUs" in text and "programs_sheet 6" in text
    assert "/sheets/` ÷ admin changelist" in text
    assert "≤ 1 s median" in text and "peak worker memory < 300 MB" in text
    assert text.endswith("analysis by hand\n")  # the notes written by hand are kept
