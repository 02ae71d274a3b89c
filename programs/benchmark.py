"""The benchmark behind `make bench` (`manage.py bench`, issue 13): every page at a given database size, each against
the admin changelist and against its floor.

Two halves:

- `measure_pages` runs in the process of the database being measured (DATABASE_URL): each page is requested through
  Django's test client (the whole middleware stack, DEBUG off, no network), once cold (its SQL queries counted, the
  per-process cache empty) and then `repeat` times timed; the response body is read in full (streamed exports too).
  Then its *floor*: the raw SQL that fetches the rows the page shows, run through the DB-API connection itself
  (sqlite3 / psycopg2, no ORM) plus `json.dumps` of the rows, timed the same way.
- `programs/management/commands/bench.py` prepares each database (migrate, seed, generated data, collectstatic) and
  runs every page in a fresh subprocess, so that the peak memory (`ru_maxrss`) is that of a worker which served only
  that page; it prints the table and writes benchmarks/RESULTS.md (`report_markdown`).
"""

import functools
import json
import math
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.choices import SheetStatus
from programs.models import Municipality, Program, Section, Sheet

# The table's heavy columns: each is sorted in the database, descending where the largest is the interesting one.
HEAVY_SORTS = ["-achievement", "-max_unused", "min_execution_rate", "-budget_change", "cost_balance"]
BENCH_USER = "bench"
SLOW_MS = 5_000  # a page slower than this cold is repeated fewer times (at least MIN_REPEAT), so a run ends
MIN_REPEAT = 3
PUBLISHED = SheetStatus.PUBLISHED.value


@dataclass
class Page:
    key: str
    label: str
    url: str
    floor: Callable[[], list]  # runs the floor's SQL, returns the rows
    staff: bool = False  # requested as the benchmark's superuser (admin; the rows the admin shows)


@dataclass
class Result:
    key: str
    label: str
    url: str
    status: int
    runs: int
    cold_ms: float
    median_ms: float
    p95_ms: float
    queries: int
    bytes: int
    peak_mb: float
    base_mb: float
    floor_ms: float
    floor_rows: int
    streamed: bool
    extra: dict = field(default_factory=dict)

    @property
    def floor_ratio(self) -> float | None:
        return self.median_ms / self.floor_ms if self.floor_ms else None


# --- the floors: raw SQL through the DB-API connection --------------------------------------------------------------


def _raw_rows(sql: str, params: list) -> list:
    """Rows of `sql` (written with %s placeholders) through the driver itself: sqlite3 or psycopg2, no ORM."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        sql = sql.replace("%s", "?")
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values)) or "NULL"


@functools.cache
def _sheet_columns() -> frozenset[str]:
    with connection.cursor() as cursor:
        return frozenset(column.name for column in connection.introspection.get_table_description(cursor, "programs_sheet"))


# The per-sheet figures a table row shows: the stored columns when the table has them (issue 13), else the own-year
# budget row joined (the floor of a page that computes them is still the rows it shows).
STORED_FIGURES = [
    "own_budget",
    "own_settlement",
    "budget_change",
    "latest_settled_settlement",
    "latest_unused",
    "latest_execution_rate",
    "max_unused",
    "min_execution_rate",
    "cost_expense",
    "cost_balance",
    "achievement",
]


def sheet_rows_sql(*, where: str, order_by: str, limit: int | None) -> str:
    """The table's rows: sheet, program, 団体, 課, 施策 and the row's figures, filtered, ordered and limited."""
    stored = [name for name in STORED_FIGURES if name in _sheet_columns()]
    figures = (
        ", ".join(f"s.{name}" for name in stored)
        if stored
        else "(SELECT b.budget FROM finance_budgetyear b WHERE b.sheet_id = s.id AND b.fiscal_year = s.fiscal_year), "
        "(SELECT b.settlement FROM finance_budgetyear b WHERE b.sheet_id = s.id AND b.fiscal_year = s.fiscal_year)"
    )
    return (
        "SELECT s.id, s.fiscal_year, s.name, s.status, s.classification_current, s.classification_next, "
        f"p.code, mu.code, mu.name, sec.name, me.name, {figures} "
        "FROM programs_sheet s JOIN programs_program p ON p.id = s.program_id "
        "JOIN programs_municipality mu ON mu.id = p.municipality_id "
        "JOIN programs_section sec ON sec.id = s.section_id JOIN programs_measure me ON me.id = s.measure_id "
        f"WHERE {where} ORDER BY {order_by}" + (f" LIMIT {int(limit)}" if limit else "")
    )


def floor_sheet_rows(*, where: str = "1 = 1", params: list | None = None, order_by: str, limit: int | None) -> list:
    params = params or []
    rows = _raw_rows(sheet_rows_sql(where=where, order_by=order_by, limit=limit), params)
    if limit:  # a paginated page also counts the rows
        rows += _raw_rows(
            f"SELECT COUNT(*) FROM programs_sheet s JOIN programs_program p ON p.id = s.program_id WHERE {where}", params
        )
    return rows


def _order_for(sort: str) -> str:
    """ORDER BY of the table's ?sort= on the stored column (the default order without one)."""
    column = sort.lstrip("-")
    if column not in _sheet_columns():
        return "s.fiscal_year DESC, p.code"
    return f"s.{column} {'DESC' if sort.startswith('-') else 'ASC'}, p.code"


# Every part of a sheet's document (the sheet page, the API detail, the program page over its sheets).
SHEET_PART_TABLES = [
    "programs_staffmember",
    "programs_subprogram",
    "programs_historyevent",
    "programs_sheetissue",
    "programs_improvement",
    "programs_sheettext",
    "finance_budgetyear",
    "finance_breakdownline",
    "finance_costline",
    "finance_statedcosttotal",
    "finance_fundingyear",
    "finance_personnelcost",
    "indicators_indicator",
    "indicators_activityitem",
]


def floor_sheet_documents(sheet_ids: list[int]) -> list:
    """Every part of the sheets by sheet id, then the indicators' and items' values by their ids (as a prefetch)."""
    ids = _placeholders(sheet_ids)
    rows = floor_sheet_rows(where=f"s.id IN ({ids})", params=sheet_ids, order_by="s.fiscal_year", limit=None)
    for table in SHEET_PART_TABLES:
        rows += _raw_rows(f"SELECT * FROM {table} WHERE sheet_id IN ({ids})", sheet_ids)
    rows += _values_of(sheet_ids)
    return rows


def _values_of(sheet_ids: list[int]) -> list:
    rows = []
    for parent, values, key in (
        ("indicators_indicator", "indicators_indicatorvalue", "indicator_id"),
        ("indicators_activityitem", "indicators_activityvalue", "item_id"),
    ):
        parents = [
            row[0] for row in _raw_rows(f"SELECT id FROM {parent} WHERE sheet_id IN ({_placeholders(sheet_ids)})", sheet_ids)
        ]
        rows += _raw_rows(f"SELECT * FROM {values} WHERE {key} IN ({_placeholders(parents)})", parents)
    return rows


def floor_program_figures(program_ids: list[int]) -> list:
    """/compare/'s rows: the chosen programs' published sheets, then their budget years, cost lines, indicators and
    indicator values by id."""
    sheets = _raw_rows(
        "SELECT id, program_id, fiscal_year FROM programs_sheet "
        f"WHERE status = %s AND program_id IN ({_placeholders(program_ids)})",
        [PUBLISHED, *program_ids],
    )
    sheet_ids = [row[0] for row in sheets]
    ids = _placeholders(sheet_ids)
    rows = sheets
    for table in ("finance_budgetyear", "finance_costline"):
        rows += _raw_rows(f"SELECT * FROM {table} WHERE sheet_id IN ({ids})", sheet_ids)
    indicators = _raw_rows(f"SELECT * FROM indicators_indicator WHERE sheet_id IN ({ids})", sheet_ids)
    indicator_ids = [row[0] for row in indicators]
    rows += indicators
    rows += _raw_rows(
        f"SELECT * FROM indicators_indicatorvalue WHERE indicator_id IN ({_placeholders(indicator_ids)})", indicator_ids
    )
    return rows


def floor_rollup(municipality_id: int, fiscal_year: int) -> list:
    """/rollup/'s rows: 分野 → 政策 → 施策 sums of the year's budget and settlement (one aggregate)."""
    return _raw_rows(
        "SELECT f.code, f.name, po.code, po.name, me.code, me.name, COUNT(*), SUM(b.budget), SUM(b.settlement) "
        "FROM programs_sheet s JOIN programs_program p ON p.id = s.program_id "
        "JOIN programs_measure me ON me.id = s.measure_id JOIN programs_policy po ON po.id = me.policy_id "
        "JOIN programs_policyfield f ON f.id = po.field_id "
        "LEFT JOIN finance_budgetyear b ON b.sheet_id = s.id AND b.fiscal_year = s.fiscal_year "
        "WHERE s.status = %s AND p.municipality_id = %s AND s.fiscal_year = %s "
        "GROUP BY f.code, f.name, po.code, po.name, me.code, me.name ORDER BY f.code, po.code, me.code",
        [PUBLISHED, municipality_id, fiscal_year],
    )


def floor_overview() -> list:
    """/'s headline rows: per municipality at its latest year, the sheet count and budget total, the settled year's
    budget and settlement, and the count of each 分類 (aggregates; the charts' series are not part of the floor)."""
    latest = (
        "SELECT p2.municipality_id AS municipality_id, MAX(s2.fiscal_year) AS fiscal_year FROM programs_sheet s2 "
        "JOIN programs_program p2 ON p2.id = s2.program_id WHERE s2.status = %s GROUP BY p2.municipality_id"
    )

    def scope(join: str = "") -> str:
        return (
            f"FROM programs_sheet s JOIN programs_program p ON p.id = s.program_id JOIN ({latest}) l "
            f"ON l.municipality_id = p.municipality_id AND l.fiscal_year = s.fiscal_year {join} WHERE s.status = %s"
        )

    budget_of = "JOIN finance_budgetyear b ON b.sheet_id = s.id AND b.fiscal_year = s.fiscal_year"
    rows = _raw_rows(
        f"SELECT p.municipality_id, s.fiscal_year, COUNT(*), SUM(b.budget) {scope('LEFT ' + budget_of)} "
        "GROUP BY p.municipality_id, s.fiscal_year",
        [PUBLISHED, PUBLISHED],
    )
    rows += _raw_rows(  # the settled year: the year before the evaluation year, final settlements only
        f"SELECT p.municipality_id, b.fiscal_year, SUM(b.budget), SUM(b.settlement), COUNT(*) {scope(budget_of + ' - 1')} "
        "AND b.settlement IS NOT NULL AND NOT b.settlement_is_estimate GROUP BY p.municipality_id, b.fiscal_year",
        [PUBLISHED, PUBLISHED],
    )
    rows += _raw_rows(
        f"SELECT p.municipality_id, s.classification_current, COUNT(*) {scope()} "
        "GROUP BY p.municipality_id, s.classification_current",
        [PUBLISHED, PUBLISHED],
    )
    return rows


# --- the pages ----------------------------------------------------------------------------------------------------


def pages() -> list[Page]:
    """Every page of the benchmark, with the rows it is made of chosen from the database: the municipality with the
    most sheets (for /compare/ and /rollup/, which show one), its newest sheet with the most parts' program, its
    busiest 施策 and 課."""
    published = Sheet.objects.filter(status=PUBLISHED)
    municipality = (
        Municipality.objects.filter(programs__sheets__status=PUBLISHED)
        .annotate(sheets=Count("programs__sheets"))
        .order_by("-sheets", "code")
        .first()
    )
    mine = published.filter(program__municipality=municipality)
    fiscal_year = mine.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    sheet = mine.filter(fiscal_year=fiscal_year).select_related("program__municipality").order_by("program__code").first()
    program = sheet.program
    program_sheet_ids = list(published.filter(program=program).values_list("pk", flat=True))
    measure_id, word = _measure_and_word(mine.filter(fiscal_year=fiscal_year))
    section = (
        Section.objects.filter(sheets__in=mine.filter(fiscal_year=fiscal_year))
        .annotate(n=Count("sheets"))
        .order_by("-n", "id")
        .first()
    )
    section_programs = list(
        Program.objects.filter(sheets__in=mine.filter(fiscal_year=fiscal_year, section=section))
        .order_by("code")
        .values_list("id", "code")
    )
    scoped = municipality.url_kwargs()
    same_rows = f"program__municipality__id__exact={municipality.pk}&fiscal_year__exact={fiscal_year}"
    default_order = "s.fiscal_year DESC, mu.code, p.code"
    all_public = f"s.status = '{PUBLISHED}'"
    compare_url = reverse("programs:compare", kwargs=scoped)

    def public_rows(limit: int | None, order_by: str = default_order) -> Callable[[], list]:
        return lambda: floor_sheet_rows(where=all_public, order_by=order_by, limit=limit)

    def sheet_floor() -> list:
        return floor_sheet_documents([sheet.pk])

    defaults = _compare_default_program_ids(section_programs)
    page_list = [
        Page("overview", "/", reverse("programs:overview"), floor_overview),
        Page(
            "sheets",
            "/sheets/",
            reverse("programs:sheet_list"),
            public_rows(25),
        ),
    ]
    for sort in HEAVY_SORTS:
        page_list.append(
            Page(
                f"sheets{sort.replace('-', '_desc_') if sort.startswith('-') else '_' + sort}",
                f"/sheets/?sort={sort}",
                f"{reverse('programs:sheet_list')}?sort={sort}",
                public_rows(25, order_by=_order_for(sort)),
            )
        )
    page_list += [
        Page(
            "sheets_filtered",
            "/sheets/ 施策 + キーワード",
            f"{reverse('programs:sheet_list')}?measure={measure_id}&q={word}",
            lambda: floor_sheet_rows(
                where=f"{all_public} AND s.measure_id = %s AND (s.name LIKE %s OR s.purpose LIKE %s OR s.content LIKE %s "
                "OR p.code LIKE %s OR EXISTS (SELECT 1 FROM programs_sheetissue i WHERE i.sheet_id = s.id AND i.text LIKE %s))",
                params=[measure_id, *[f"%{word}%"] * 5],
                order_by=default_order,
                limit=25,
            ),
        ),
        Page(
            "csv",
            "CSV (all rows)",
            f"{reverse('programs:sheet_list')}?_export=csv",
            public_rows(None),
        ),
        Page(
            "xlsx",
            "XLSX (all rows)",
            f"{reverse('programs:sheet_list')}?_export=xlsx",
            public_rows(None),
        ),
        Page("sheet", "sheet page", sheet.get_absolute_url(), sheet_floor),
        Page(
            "program",
            "/programs/<code>/",
            program.get_absolute_url(),
            lambda: floor_sheet_documents(program_sheet_ids),
        ),
        Page("compare", "/compare/", compare_url, lambda: floor_program_figures(defaults)),
        Page(
            "compare_section",
            "/compare/ one 課, all years",
            f"{compare_url}?section={section.pk}&" + "&".join(f"programs={code}" for _, code in section_programs),
            lambda: floor_program_figures([pk for pk, _ in section_programs]),
        ),
        Page("rollup", "/rollup/", reverse("programs:rollup", kwargs=scoped), lambda: floor_rollup(municipality.pk, fiscal_year)),
        Page(
            "api_list",
            "/api/sheets/",
            reverse("api:sheet_list"),
            public_rows(50),
        ),
        Page(
            "api_detail",
            "/api/sheets/<fy>/<code>/",
            reverse("api:sheet_detail", kwargs=sheet.url_kwargs()),
            lambda: floor_sheet_documents([sheet.pk]),
        ),
        Page(
            "admin",
            "admin changelist",
            reverse("admin:programs_sheet_changelist"),
            lambda: floor_sheet_rows(order_by="s.fiscal_year DESC, p.code", limit=100),
            staff=True,
        ),
        # The same 100 rows twice, as the superuser: /sheets/ and the admin changelist (one municipality, one year).
        Page(
            "sheets_same_rows",
            "/sheets/ = admin's rows",
            f"{reverse('programs:sheet_list')}?municipality={municipality.code}&fiscal_year={fiscal_year}&per_page=100",
            lambda: _same_rows_floor(municipality.pk, fiscal_year),
            staff=True,
        ),
        Page(
            "admin_same_rows",
            "admin, /sheets/'s rows",
            f"{reverse('admin:programs_sheet_changelist')}?{same_rows}",
            lambda: _same_rows_floor(municipality.pk, fiscal_year),
            staff=True,
        ),
    ]
    return page_list


def _same_rows_floor(municipality_id: int, fiscal_year: int) -> list:
    return floor_sheet_rows(
        where="p.municipality_id = %s AND s.fiscal_year = %s", params=[municipality_id, fiscal_year], order_by="p.code", limit=100
    )


def _measure_and_word(sheets) -> tuple[int, str]:
    """The 施策 with the most of `sheets`, and a word of its first sheet's name (its first three characters)."""
    row = sheets.values("measure").annotate(n=Count("id")).order_by("-n", "measure").first()
    name = sheets.filter(measure=row["measure"]).order_by("program__code").values_list("name", flat=True).first()
    return row["measure"], name[:3]


def _compare_default_program_ids(section_programs: list[tuple[int, str]]) -> list[int]:
    """/compare/ by default shows at most 12 programs of the 課 (its largest budgets); the floor reads 12 of them."""
    return [pk for pk, _ in section_programs[:12]]


# --- measuring ----------------------------------------------------------------------------------------------------


def _rss_mb(field_name: str) -> float:
    """VmRSS / VmHWM of this process from /proc (Linux), in MB; ru_maxrss for VmHWM elsewhere."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 7 runs is the slowest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _request(client: Client, url: str) -> tuple[int, int, bool]:
    response = client.get(url)
    streamed = response.streaming
    body = b"".join(response.streaming_content) if streamed else response.content
    # Closing the response sends request_finished; like the test client, keep the connection open meanwhile (its
    # close_old_connections would close it — on PostgreSQL inside a test's transaction, the transaction with it).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response.status_code, len(body), streamed


def bench_user():
    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_USER, defaults={"is_staff": True, "is_superuser": True, "email": ""}
    )
    return user


def measure_page(page: Page, *, repeat: int, warmup: int = 1) -> Result:
    """One page: a cold request (queries counted), `warmup` more, then up to `repeat` timed ones; then its floor."""
    client = Client(raise_request_exception=False)  # a failing page is measured as its 500, the run goes on
    if page.staff:
        client.force_login(bench_user())
    base_mb = _rss_mb("VmRSS")
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        status, size, streamed = _request(client, page.url)
        cold_ms = (time.perf_counter() - started) * 1000
    queries = len(captured.captured_queries)  # now: the next request empties the connection's log
    for _ in range(warmup - 1):
        _request(client, page.url)
    runs = repeat if cold_ms < SLOW_MS else min(repeat, MIN_REPEAT)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        _request(client, page.url)
        times.append((time.perf_counter() - started) * 1000)
    peak_mb = _rss_mb("VmHWM")  # before the floor runs: the peak of serving this page
    floor_times, floor_rows = [], 0
    for _ in range(max(runs, 1)):
        started = time.perf_counter()
        rows = page.floor()
        json.dumps(rows, default=str, ensure_ascii=False)
        floor_times.append((time.perf_counter() - started) * 1000)
        floor_rows = len(rows)
    return Result(
        key=page.key,
        label=page.label,
        url=page.url,
        status=status,
        runs=runs,
        cold_ms=round(cold_ms, 1),
        median_ms=round(statistics.median(times), 1),
        p95_ms=round(_percentile(times, 0.95), 1),
        queries=queries,
        bytes=size,
        peak_mb=round(peak_mb, 1),
        base_mb=round(base_mb, 1),
        floor_ms=round(statistics.median(floor_times), 2),
        floor_rows=floor_rows,
        streamed=streamed,
    )


def measure_pages(*, keys: list[str] | None = None, repeat: int = 7) -> list[Result]:
    chosen = [page for page in pages() if not keys or page.key in keys]
    return [measure_page(page, repeat=repeat) for page in chosen]


def result_from_json(data: dict) -> Result:
    return Result(**data)


def result_to_json(result: Result) -> str:
    return json.dumps(asdict(result), ensure_ascii=False)


# --- reporting ----------------------------------------------------------------------------------------------------

COLUMNS = ["page", "status", "n", "cold ms", "median ms", "p95 ms", "queries", "size", "peak MB", "floor ms", "× floor"]


def _size(n: int) -> str:
    return f"{n / 1_048_576:.2f} MB" if n >= 1_048_576 else f"{n / 1024:.1f} KB"


def result_cells(result: Result) -> list[str]:
    ratio = result.floor_ratio
    return [
        result.label,
        str(result.status),
        str(result.runs),
        f"{result.cold_ms:,.0f}",
        f"{result.median_ms:,.1f}",
        f"{result.p95_ms:,.1f}",
        str(result.queries),
        _size(result.bytes) + (" (streamed)" if result.streamed else ""),
        f"{result.peak_mb:,.0f}",
        f"{result.floor_ms:,.2f}",
        "—" if ratio is None else f"{ratio:,.1f}",
    ]


def admin_ratio(results: list[Result]) -> float | None:
    """/sheets/ over the admin changelist, the same 100 rows, medians of the same run."""
    by_key = {result.key: result for result in results}
    mine, admin = by_key.get("sheets_same_rows"), by_key.get("admin_same_rows")
    return mine.median_ms / admin.median_ms if mine and admin and admin.median_ms else None


def text_table(results: list[Result]) -> str:
    rows = [COLUMNS, *(result_cells(result) for result in results)]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for row in rows:
        lines.append("  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)))
    ratio = admin_ratio(results)
    if ratio is not None:
        lines.append(f"/sheets/ ÷ admin changelist (same 100 rows): {ratio:.2f}")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def markdown_table(results: list[Result]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for result in results:
        cells = result_cells(result)
        cells[0] = f"`{result.url}`" if result.url == result.label else f"{cells[0]} (`{result.url}`)"
        lines.append("| " + " | ".join(cells) + " |")
    ratio = admin_ratio(results)
    if ratio is not None:
        lines.append("")
        lines.append(f"`/sheets/` ÷ admin changelist, the same 100 rows as the superuser, medians of this run: **{ratio:.2f}**")
    return "\n".join(lines)
