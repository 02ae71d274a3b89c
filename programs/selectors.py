"""ORM reads for pages: every queryset a page needs, with its joins and prefetches.

Every read of sheets takes `viewer` (the request's user; None for the system itself): anonymous visitors and users
without the 閲覧 permission see published sheets only (Sheet.objects.visible_to), in every page, total and export.
"""

from collections.abc import Iterator

import pandas as pd
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from finance.models import BudgetYear
from programs.choices import SheetStatus
from programs.models import (
    Municipality,
    MunicipalityPopulation,
    Program,
    ProgramKind,
    Section,
    Sheet,
    SheetFinding,
    SimilarProgram,
)

SHEET_RELATED = ["program__municipality", "section__department", "measure__policy__field"]
SHEET_TEXT_PARTS = ["staff", "sub_programs", "history_events", "issues", "improvements", "texts"]
PROFILE_PARTS = ["program__municipality__profile__choices", "program__municipality__profile__text_fields"]


def visible_sheets(*, viewer, municipality: Municipality | None = None) -> QuerySet[Sheet]:
    """The sheets `viewer` may read, of one municipality (or of every municipality when None)."""
    sheets = Sheet.objects.visible_to(viewer)
    return sheets if municipality is None else sheets.filter(program__municipality=municipality)


def only_municipality() -> Municipality | None:
    """The municipality when there is exactly one (the seed), else None: one query."""
    first_two = list(Municipality.objects.order_by("pk")[:2])
    return first_two[0] if len(first_two) == 1 else None


def sheet_search_queryset(*, viewer, municipality: Municipality | None = None) -> QuerySet[Sheet]:
    """The sheets a search looks in (programs.search.search_sheets filters and ranks them), with what a result shows."""
    return visible_sheets(viewer=viewer, municipality=municipality).select_related("program__municipality", "section__department")


def sheet_page_queryset(*, viewer) -> QuerySet[Sheet]:
    """A sheet with its text parts and its municipality's form profile (programs/profiles.py); the figures come as
    frames (finance/indicators selectors)."""
    return (
        visible_sheets(viewer=viewer)
        .select_related(*SHEET_RELATED, "program__municipality__profile")
        .prefetch_related(*SHEET_TEXT_PARTS, *PROFILE_PARTS)
    )


def sheet_document_queryset(*, viewer) -> QuerySet[Sheet]:
    """A sheet with every part, for the JSON document (API, workbook export)."""
    return (
        visible_sheets(viewer=viewer)
        .select_related(*SHEET_RELATED)
        .prefetch_related(
            *SHEET_TEXT_PARTS,
            "stated_cost_totals",
            "budget_years",
            "breakdown_lines",
            "cost_lines",
            "indicators__values",
            "activity_items__values",
            "funding_years",
            "personnel_costs",
        )
    )


def sheet_pair(*, viewer, municipality_code: str, code: str, fiscal_years: tuple[int, int]) -> dict[int, Sheet]:
    """{fiscal year: sheet} of one program's sheets of two years that `viewer` may read, each with every part (as
    sheet_document_queryset) and its municipality's form profile: a fixed number of queries."""
    sheets = (
        sheet_document_queryset(viewer=viewer)
        .select_related("program__municipality__profile")
        .prefetch_related(*PROFILE_PARTS)
        .filter(program__municipality__code=municipality_code, program__code=code, fiscal_year__in=fiscal_years)
    )
    return {sheet.fiscal_year: sheet for sheet in sheets}


def sheet_neighbours(sheet: Sheet, *, viewer) -> dict:
    """Previous and next program (by code) of the same 課 in the same fiscal year."""
    siblings = list(
        visible_sheets(viewer=viewer)
        .filter(section_id=sheet.section_id, fiscal_year=sheet.fiscal_year)
        .order_by("program__code")
        .values("program__code", "name")
    )
    codes = [s["program__code"] for s in siblings]
    index = codes.index(sheet.program.code)
    pick = lambda i: {"code": codes[i], "name": siblings[i]["name"]} if 0 <= i < len(codes) else None  # noqa: E731
    return {"previous": pick(index - 1), "next": pick(index + 1)}


def program_sheet_issues(program_id: int, *, viewer) -> list[tuple[int, int | None, str | None]]:
    """The program's sheets `viewer` may read, oldest first, as (fiscal year, issue number, issue text) rows, one per
    問題点・課題 ((fiscal year, None, None) for a sheet without any): the sheet page's other years and its 継続課題, in
    one query."""
    return list(
        visible_sheets(viewer=viewer)
        .filter(program_id=program_id)
        .order_by("fiscal_year", "issues__number")
        .values_list("fiscal_year", "issues__number", "issues__text")
    )


def program_queryset(*, viewer) -> QuerySet[Program]:
    """Programs with a sheet `viewer` may see, with those sheets (oldest first) and each sheet's issues and plans."""
    visible = visible_sheets(viewer=viewer)
    sheets = visible.order_by("fiscal_year").select_related("section__department", "measure")
    return Program.objects.filter(Exists(visible.filter(program=OuterRef("pk")))).prefetch_related(
        Prefetch("sheets", queryset=sheets.prefetch_related("issues", "improvements"))
    )


def similar_programs(program_id: int, *, viewer) -> list[SimilarProgram]:
    """The stored 類似する事務事業 of a program, best first, each with its program and municipality: one query. A program
    with no sheet `viewer` may see is left out (the public sees programs with a published sheet only)."""
    visible = visible_sheets(viewer=viewer).filter(program=OuterRef("similar"))
    rows = SimilarProgram.objects.filter(Exists(visible), program_id=program_id).select_related("similar__municipality")
    return list(rows.order_by("rank"))


def sheet_api_list(
    *, viewer, municipality: Municipality | None = None, fiscal_year: int | None = None, code: str = ""
) -> QuerySet[Sheet]:
    """Sheets with the budget and settlement of their own fiscal year (stored figures: one query per page)."""
    queryset = (
        visible_sheets(viewer=viewer, municipality=municipality)
        .select_related("program__municipality", "section__department")
        .order_by("-fiscal_year", "program__municipality__code", "program__code")
    )
    if fiscal_year is not None:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    if code:
        queryset = queryset.filter(program__code=code)
    return queryset


def sheet_table_queryset(*, viewer, municipality: Municipality | None = None) -> QuerySet[Sheet]:
    """Sheets with every sortable figure of the table (stored per sheet, programs/figures.py: one query per page,
    sorted by an index)."""
    return visible_sheets(viewer=viewer, municipality=municipality).select_related(
        "program__municipality", "section__department", "measure__policy__field"
    )


EXPORT_CHUNK_ROWS = 2000


def sheet_table_export_rows(queryset: QuerySet[Sheet], *, fields: list[str]) -> Iterator[dict]:
    """The `fields` of the rows of a filtered, sorted sheet_table_queryset as dicts (programs/tables.py names them
    with the export's columns), fetched in chunks (a server-side cursor on PostgreSQL): an export of any size holds
    one chunk in memory."""
    return queryset.values(*fields).iterator(chunk_size=EXPORT_CHUNK_ROWS)


SHEET_FRAME_COLUMNS = ["sheet_id", "sheet_fiscal_year", "code", "name", "section_id", "section", "measure_id"]


def sheet_frame(
    *,
    viewer,
    municipality: Municipality,
    codes: list[str] | None = None,
    section_id: int | None = None,
    up_to: int | None = None,
) -> pd.DataFrame:
    """Identity of sheets (id, year, program code and name, 課) of one municipality as a frame, for cross-program
    analytics (a program code is unique within its municipality only).

    `up_to`: only sheets of that evaluation year or earlier (what was known in that year).
    """
    queryset = visible_sheets(viewer=viewer, municipality=municipality)
    if up_to is not None:
        queryset = queryset.filter(fiscal_year__lte=up_to)
    if codes is not None:
        queryset = queryset.filter(program__code__in=codes)
    if section_id is not None:
        queryset = queryset.filter(section_id=section_id)
    rows = queryset.order_by("program__code", "fiscal_year").values_list(
        "id", "fiscal_year", "program__code", "name", "section_id", "section__name", "measure_id"
    )
    return pd.DataFrame.from_records(list(rows), columns=SHEET_FRAME_COLUMNS)


def latest_sheet(*, viewer, municipality: Municipality | None = None) -> Sheet | None:
    return (
        visible_sheets(viewer=viewer, municipality=municipality)
        .select_related("section")
        .order_by("-fiscal_year", "program__code")
        .first()
    )


def program_choices(
    *, viewer, municipality: Municipality, section_id: int | None, codes: list[str], limit: int
) -> list[tuple[str, str]]:
    """(code, "code name") of the programs with a sheet in one 課 (at most `limit`, in code order) and of `codes`,
    within one municipality."""
    visible = visible_sheets(viewer=viewer, municipality=municipality)
    in_section = Q(pk__in=visible.filter(section_id=section_id).values("program_id")) if section_id else Q(pk__in=[])
    programs = Program.objects.filter(in_section).order_by("code").values_list("code", "name")[:limit]
    chosen = Program.objects.filter(code__in=codes, pk__in=visible.values("program_id")).values_list("code", "name")
    return sorted({(code, f"{code} {name}") for code, name in [*programs, *chosen]})


def section_choices(*, municipality: Municipality) -> list[tuple[str, list[tuple[int, str]]]]:
    """課 of one municipality grouped by 部, for a select with option groups (one query)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    sections = Section.objects.filter(department__municipality=municipality)
    for section_id, name, department in sections.order_by("department__name", "name").values_list(
        "id", "name", "department__name"
    ):
        groups.setdefault(department, []).append((section_id, name))
    return list(groups.items())


def budget_fiscal_years(*, viewer, municipality: Municipality | None = None) -> list[int]:
    """Every fiscal year some sheet `viewer` may see reports a budget or settlement for."""
    budgets = BudgetYear.objects.filter(sheet__in=visible_sheets(viewer=viewer, municipality=municipality))
    return list(budgets.order_by("fiscal_year").values_list("fiscal_year", flat=True).distinct())


def latest_fiscal_year(*, viewer, municipality: Municipality | None = None) -> int | None:
    """The newest evaluation year of the sheets `viewer` may see (None when there are none)."""
    return visible_sheets(viewer=viewer, municipality=municipality).aggregate(year=Max("fiscal_year"))["year"]


def section_codes_by_budget(*, viewer, section_id: int, fiscal_year: int) -> list[str]:
    """Program codes of one 課 (so of one municipality) in one fiscal year, largest own-year budget first."""
    queryset = visible_sheets(viewer=viewer).filter(section_id=section_id, fiscal_year=fiscal_year)
    return list(queryset.order_by(F("own_budget").desc(nulls_last=True), "program__code").values_list("program__code", flat=True))


def municipalities_latest_years(*, viewer, municipality: Municipality | None = None) -> list[tuple[Municipality, int]]:
    """Each municipality with a sheet `viewer` may see, with its own newest evaluation year (two queries: one grouped
    aggregate over the sheets, then the municipalities)."""
    sheets = visible_sheets(viewer=viewer, municipality=municipality).order_by()
    latest = dict(sheets.values_list("program__municipality_id").annotate(year=Max("fiscal_year")))
    municipalities = Municipality.objects.filter(pk__in=list(latest)).order_by("code")
    return [(m, latest[m.pk]) for m in municipalities]


def municipalities() -> list[Municipality]:
    """Every municipality, for a page's municipality switch (one query)."""
    return list(Municipality.objects.order_by("code"))


# --- across municipalities (/compare/municipalities/) ----------------------------------------------------------


def program_kinds_counted(*, viewer) -> list[ProgramKind]:
    """Every 事業の種別 in order, each with `municipality_count`: how many municipalities have a program of that kind with
    a sheet `viewer` may see, and `programs_visible`: how many such programs (one query)."""
    visible = visible_sheets(viewer=viewer).values("program_id")
    counted = Count("programs__municipality", distinct=True, filter=Q(programs__pk__in=visible))
    programs = Count("programs", distinct=True, filter=Q(programs__pk__in=visible))
    kinds = ProgramKind.objects.annotate(municipality_count=counted, programs_visible=programs)
    return list(kinds.order_by("position", "code"))


KIND_SHEET_COLUMNS = [*SHEET_FRAME_COLUMNS[:4], "municipality_id", "municipality_code", "municipality", "program_code"]


def kind_largest_programs(*, viewer, kind: ProgramKind, per_municipality: int) -> list[int]:
    """Ids of each municipality's `per_municipality` programs of `kind` with the largest 予算額 in their newest sheet
    `viewer` may see (then by code; one query)."""
    from django.db.models import Window
    from django.db.models.functions import RowNumber

    visible = visible_sheets(viewer=viewer)
    newest = visible.filter(program=OuterRef("program")).order_by("-fiscal_year").values("fiscal_year")[:1]
    ranked = (
        visible.filter(program__kind=kind, fiscal_year=Subquery(newest))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("program__municipality_id")],
                order_by=[F("own_budget").desc(nulls_last=True), F("program__code").asc()],
            )
        )
        .filter(rank__lte=per_municipality)
    )
    return list(ranked.values_list("program_id", flat=True))


def kind_sheet_frame(*, viewer, kind: ProgramKind | None, program_ids: list[int] | None = None) -> pd.DataFrame:
    """The sheets `viewer` may see of every program of `kind` (or of those of `program_ids`), in every municipality (one
    query). `code` is the program's key across municipalities ("<団体コード>:<事務事業コード>", as newest_report and the
    analytics group by it); `program_code` is the code as printed. No kind: no sheets."""
    rows = (
        []
        if kind is None
        else (
            visible_sheets(viewer=viewer)
            .filter(program__kind=kind, **({} if program_ids is None else {"program_id__in": program_ids}))
            .order_by("program__municipality__code", "program__code", "fiscal_year")
            .values_list(
                "id",
                "fiscal_year",
                "name",
                "program__municipality_id",
                "program__municipality__code",
                "program__municipality__name",
                "program__code",
            )
        )
    )
    records = [
        (i, year, f"{m_code}:{code}", name, m_id, m_code, m_name, code) for i, year, name, m_id, m_code, m_name, code in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=KIND_SHEET_COLUMNS)
    return frame.astype({"sheet_id": "int64", "sheet_fiscal_year": "int64", "municipality_id": "int64"})


def population_frame(*, municipality_ids) -> pd.DataFrame:
    """人口 by municipality and fiscal year (one query; a year not entered is absent)."""
    rows = MunicipalityPopulation.objects.filter(municipality_id__in={int(i) for i in municipality_ids}).values_list(
        "municipality_id", "fiscal_year", "population"
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["municipality_id", "fiscal_year", "population"])
    return frame.astype({"municipality_id": "int64", "fiscal_year": "int64", "population": "Int64"})


# --- one fiscal year in SQL aggregates (overview, roll-up): nothing loads every sheet of a year ---------------------

YEAR_FIGURES = [
    "own_budget",
    "own_settlement",
    "own_settlement_is_estimate",
    "latest_settled_year",
    "latest_settled_budget",
    "latest_settled_settlement",
]


def with_year_figures(queryset: QuerySet[Sheet]) -> QuerySet[Sheet]:
    """Sheets with their own-year 予算額/決算額 (and whether a 見込み) and latest settled year's figures: the stored
    columns where the sheet has them (programs.figures), else the SQL expressions of finance.expressions."""
    from finance.expressions import sheet_finance_annotations

    stored = {f.name for f in Sheet._meta.get_fields()}
    expressions = sheet_finance_annotations()
    missing = {name: expressions[name] for name in YEAR_FIGURES if name not in stored}
    return queryset.annotate(**missing) if missing else queryset


def year_sheets(*, viewer, municipality: Municipality, fiscal_year: int) -> QuerySet[Sheet]:
    """The sheets of one fiscal year of one municipality."""
    return visible_sheets(viewer=viewer, municipality=municipality).filter(fiscal_year=fiscal_year)


YEAR_GROUP_COLUMNS = [
    "municipality_id",
    "fiscal_year",
    "latest_settled_year",
    "programs",
    "budget",
    "budget_missing",
    "settled_budget",
    "settled",
    "estimate",
    "estimates",
]


def year_figure_groups(*, viewer, years: list[tuple[Municipality, int]]) -> pd.DataFrame:
    """The sheets of each (municipality, fiscal year) of `years` summed by municipality and latest settled year (one
    query, a few rows per municipality): program count, 予算額 (and how many have none), the settled year's 予算額 and
    決算額, and 見込み (count and sum). analytics.headlines reads the headline of each municipality from it."""
    chosen = Q(pk__in=[])
    for municipality, fiscal_year in years:
        chosen |= Q(program__municipality=municipality, fiscal_year=fiscal_year)
    sheets = with_year_figures(visible_sheets(viewer=viewer).filter(chosen))
    estimate = Q(own_settlement_is_estimate=True)
    rows = (
        sheets.order_by()
        .values_list("program__municipality_id", "fiscal_year", "latest_settled_year")
        .annotate(
            programs=Count("pk"),
            budget=Sum("own_budget"),
            budget_missing=Count("pk", filter=Q(own_budget__isnull=True)),
            settled_budget=Sum("latest_settled_budget"),
            settled=Sum("latest_settled_settlement"),
            estimate=Sum("own_settlement", filter=estimate),
            estimates=Count("pk", filter=estimate),
        )
    )
    frame = pd.DataFrame.from_records(list(rows), columns=YEAR_GROUP_COLUMNS)
    integers = [c for c in YEAR_GROUP_COLUMNS if c != "municipality_id"]
    return frame.astype({"municipality_id": "int64"} | {c: "Int64" for c in integers})


def classification_pairs(*, viewer, municipality: Municipality, fiscal_year: int) -> pd.DataFrame:
    """How many of the year's sheets have each (分類 this year, 分類 next year) pair (one query, at most a few dozen
    rows)."""
    rows = (
        year_sheets(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year)
        .order_by()
        .values_list("classification_current", "classification_next")
        .annotate(count=Count("pk"))
    )
    return pd.DataFrame.from_records(list(rows), columns=["classification_current", "classification_next", "count"])


def outcome_achievement_counts(*, viewer, municipality: Municipality, fiscal_year: int) -> dict[str, int]:
    """How many 成果指標 of the year's sheets are on target (achievement of their newest value ≥ 100%) and behind; one
    without a value, target or direction is neither (one query, indicators.expressions)."""
    from indicators.choices import IndicatorKind
    from indicators.expressions import indicators_with_achievement
    from indicators.models import Indicator

    sheets = year_sheets(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year)
    outcomes = Indicator.objects.filter(sheet__in=sheets.values("pk"), kind=IndicatorKind.OUTCOME)
    return indicators_with_achievement(outcomes).aggregate(
        on_track=Count("pk", filter=Q(achievement__gte=100)), behind=Count("pk", filter=Q(achievement__lt=100))
    )


PROGRAM_ROW_COLUMNS = [
    "code",
    "name",
    "budget",
    "settlement",
    "settlement_is_estimate",
    "classification_current",
    "classification_next",
]


def year_program_rows(*, viewer, municipality: Municipality, fiscal_year: int, limit: int) -> list[dict]:
    """The first `limit` programs of the year in code order, with their own-year 予算額/決算額 and 分類 (one query)."""
    sheets = with_year_figures(year_sheets(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year))
    rows = sheets.order_by("program__code").values_list(
        "program__code",
        "name",
        "own_budget",
        "own_settlement",
        "own_settlement_is_estimate",
        "classification_current",
        "classification_next",
    )[:limit]
    return [dict(zip(PROGRAM_ROW_COLUMNS, row, strict=True)) for row in rows]


def largest_budget_codes(*, viewer, municipality: Municipality, fiscal_year: int, count: int) -> list[str]:
    """The codes of the year's `count` programs with the largest own-year 予算額 (none last, then by code; one query)."""
    sheets = with_year_figures(year_sheets(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year))
    ordered = sheets.order_by(F("own_budget").desc(nulls_last=True), "program__code")
    return list(ordered.values_list("program__code", flat=True)[:count])


HIERARCHY = [
    "measure__policy__field_id",
    "measure__policy__field__code",
    "measure__policy__field__name",
    "measure__policy_id",
    "measure__policy__code",
    "measure__policy__name",
    "measure_id",
    "measure__code",
    "measure__name",
]
HIERARCHY_COLUMNS = [
    "field_id",
    "field_code",
    "field_name",
    "policy_id",
    "policy_code",
    "policy_name",
    "measure_id",
    "measure_code",
    "measure_name",
]


def rollup_groups(*, viewer, municipality: Municipality, fiscal_year: int) -> pd.DataFrame:
    """The year's sheets summed by 施策 (with its 政策 and 分野) and latest settled year (one query, a row or two per
    施策): programs, 予算額 (NULL when none has one), the settled year's 予算額 and 決算額."""
    sheets = with_year_figures(year_sheets(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year))
    rows = (
        sheets.order_by()
        .values_list(*HIERARCHY, "latest_settled_year")
        .annotate(
            programs=Count("pk"),
            budget=Sum("own_budget"),
            settled_budget=Sum("latest_settled_budget"),
            settled=Sum("latest_settled_settlement"),
        )
    )
    columns = [*HIERARCHY_COLUMNS, "latest_settled_year", "programs", "budget", "settled_budget", "settled"]
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    integers = ["latest_settled_year", "programs", "budget", "settled_budget", "settled"]
    return frame.astype({column: "Int64" for column in integers})


def rollup_programs(*, viewer, municipality: Municipality, fiscal_year: int, measure_id: int) -> pd.DataFrame:
    """The year's sheets of one 施策, one row each, in the columns of rollup_groups (programs = 1) plus code and name."""
    sheets = with_year_figures(year_sheets(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year))
    rows = sheets.filter(measure_id=measure_id).values_list(
        *HIERARCHY,
        "latest_settled_year",
        "own_budget",
        "latest_settled_budget",
        "latest_settled_settlement",
        "program__code",
        "name",
    )
    columns = [*HIERARCHY_COLUMNS, "latest_settled_year", "budget", "settled_budget", "settled", "code", "name"]
    frame = pd.DataFrame.from_records(list(rows), columns=columns).assign(programs=1)
    integers = ["latest_settled_year", "programs", "budget", "settled_budget", "settled"]
    return frame.astype({column: "Int64" for column in integers})


def year_finding_counts(*, viewer, years: list[tuple[Municipality, int]]) -> dict[int, int]:
    """How many stored findings the sheets of each (municipality, fiscal year) of `years` have, by municipality id
    (one grouped query)."""
    chosen = Q(pk__in=[])
    for municipality, fiscal_year in years:
        chosen |= Q(program__municipality=municipality, fiscal_year=fiscal_year)
    sheets = visible_sheets(viewer=viewer).filter(chosen).values("pk")
    rows = SheetFinding.objects.filter(sheet__in=sheets).order_by().values_list("sheet__program__municipality_id")
    return dict(rows.annotate(count=Count("pk")))


def program_finding_counts(*, viewer, municipality: Municipality, fiscal_year: int, codes: list[str]) -> dict[str, dict]:
    """{program code: {severity: count}} of the stored findings of the year's sheets of `codes` (one grouped query)."""
    sheets = year_sheets(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year).filter(program__code__in=codes)
    rows = (
        SheetFinding.objects.filter(sheet__in=sheets.values("pk"))
        .order_by()
        .values_list("sheet__program__code", "severity")
        .annotate(count=Count("pk"))
    )
    counts: dict[str, dict] = {}
    for code, severity, count in rows:
        counts.setdefault(code, {})[severity] = count
    return counts


def sheets_fingerprint() -> str:
    """The sheets' fingerprint for the cache's data version (evalsheets/lib/cache.py; one query): how many, how many
    published, the sum of their versions, the newest update and id — any save of a sheet or part (programs.locking bumps
    the version), status change, import, roll-over or deletion changes it."""
    figures = Sheet.objects.aggregate(
        sheets=Count("pk"),
        published=Count("pk", filter=Q(status=SheetStatus.PUBLISHED)),
        versions=Sum("version"),
        updated=Max("updated_at"),
        last=Max("pk"),
    )
    return ":".join(str(figures[key]) for key in sorted(figures))
