"""No 500 from any URL: Hypothesis sends arbitrary text to every query and path parameter of every public page and
the JSON API (NUL and other control characters, any Unicode the client can encode, very long strings, negative and
huge numbers) and checks the answer is never a server error; a junk program code in a path is a 404.

The NUL byte matters most on PostgreSQL (it rejects NUL in text and the query crashed): run this file against
PostgreSQL too. On CI the examples are derandomized, so a run is repeatable.
"""

import json
import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from programs.documents import DocumentError
from programs.models import Program, Sheet
from programs.services import SEED_DIR, sheet_upsert

pytestmark = pytest.mark.django_db

SEED_YEAR = 2021
SEED_CODES = {f"03-04-0{n}" for n in range(1, 7)}

EDGE_VALUES = [
    "",
    " ",
    "\x00",
    "\x00\x00",
    "1\x00",
    "2021\x00",
    "03-04-01\x00",
    "\x01",
    "\x1f",
    "\x7f",
    "\x85",
    "\t",
    "\n",
    "\u202e",
    "\ufeff",
    "%00",
    "0",
    "-1",
    "1",
    "25",
    "50",
    " 50 ",
    "100",
    "101",
    "2021",
    "0000",
    "9999",
    "-2021",
    "03-04-01",
    "1.5",
    "1e3",
    "1e999999",
    "-1e999999",
    "1e-999999",
    "NaN",
    "Infinity",
    "-inf",
    "１",  # full-width digit
    "٣",  # Arabic-Indic digit
    "²",
    "2" * 40,
    "9" * 5000,
    "a" * 10000,
    "令和3年度",
    "' OR 1=1 --",
    "<script>",
    "-fiscal_year",
    "code",
]

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)  # surrogates cannot be sent (UTF-8 query strings)
CONTROL_TEXT = st.text(st.characters(codec="utf-8", categories=["Cc"]), min_size=1, max_size=5)
NUMBERS = st.integers(min_value=-(10**40), max_value=10**40).map(str)
VALUES = st.one_of(
    st.sampled_from(EDGE_VALUES),
    NUMBERS,
    ANY_TEXT,
    st.tuples(st.sampled_from(EDGE_VALUES + ["03-04-01", "2021"]), CONTROL_TEXT).map("".join),
)


@pytest.fixture
def staff_client(client, django_user_model):
    """A superuser sees every sheet (published or not), so each request goes all the way to the data; no password,
    so no slow hashing per test."""
    client.force_login(django_user_model.objects.create(username="fuzz", is_staff=True, is_superuser=True))
    return client


def _settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


SHEET_FILTERS = [
    "q",
    "fiscal_year",
    "field",
    "policy",
    "measure",
    "department",
    "section",
    "classification",
    "classification_next",
    "business_type",
    "implementation_standard",
    "budget_min",
    "budget_max",
    "rate_below",
]
LEDGER_FILTERS = [
    "department",
    "section",
    "program",
    "status",
    "year_from",
    "year_to",
    "promised_not_done",
    "done_indicator_fell",
]
COMPARE_PANELS = ["budget", "share", "change", "cost", "achievement", "unit_cost", "rates", "index", "unused"]
# every query parameter a public view reads; examples per parameter scale with the cost of one request
QUERY_PARAMETERS = {
    "/sheets/": ([*SHEET_FILTERS, "sort", "page", "per_page", "_export"], 6),
    "/sheets/blank.xlsx": (["fiscal_year"], 15),
    "/rollup/": (["fiscal_year"], 12),
    "/api/sheets/": (["fiscal_year", "code", "page", "page_size"], 15),
    "/compare/?download=budget": (["section", "programs", "year_from", "year_to", "measure", "download"], 3),
    "/sheets/2021/03-04-01/": (["print"], 6),  # ?print=nocharts ticks グラフなしで印刷
    "/programs/03-04-01/": (["print"], 6),
    "/sheets/2021/03-04-01/diff/": (["from", "to"], 8),
    "/improvements/": (
        [*LEDGER_FILTERS, "page", "_export"],
        4,
    ),
}
PARAMETERS = [(url, name, examples) for url, (names, examples) in QUERY_PARAMETERS.items() for name in names]
PAGES = [
    "/",
    "/sheets/",
    "/compare/",
    "/rollup/",
    "/sheets/2021/03-04-01/",
    "/sheets/2021/03-04-01/history/",
    "/programs/03-04-01/",
    "/improvements/",
    "/api/sheets/",
    "/accounts/login/",
]


def _get(client, url: str, data=None):
    response = client.get(url, data or {})
    assert response.status_code < 500, (url, data, response.status_code)
    if response.streaming:  # an export streams: an error while it is written would be a cut-off download
        response.getvalue()
    return response


@pytest.mark.parametrize(("url", "name", "examples"), PARAMETERS, ids=[f"{url}&{name}" for url, name, _ in PARAMETERS])
def test_no_value_of_a_query_parameter_gives_a_server_error(staff_client, url, name, examples):
    path, _, fixed = url.partition("?")

    @_settings(examples=examples)
    @given(value=VALUES)
    @example(value="\x00")
    @example(value="9" * 5000)
    def check(value):
        _get(staff_client, path, {**dict([fixed.split("=")] if fixed else []), name: value})

    check()


@_settings(examples=20)
@given(query=st.dictionaries(st.sampled_from([*SHEET_FILTERS, "sort", "page", "per_page"]), VALUES, max_size=4))
def test_sheet_list_combinations_never_give_a_server_error(staff_client, query):
    _get(staff_client, "/sheets/", query)


@_settings(examples=12)
@given(query=st.dictionaries(st.sampled_from(SHEET_FILTERS), VALUES, min_size=1, max_size=3))
@example(query={"q": "\x00"})
def test_sheet_workbook_filters_never_give_a_server_error(staff_client, query):
    """/sheets/excel/ reads the same filters as /sheets/: an invalid one is a 400 that names it."""
    _get(staff_client, "/sheets/excel/", query)


@_settings(examples=8)
@given(
    programs=st.lists(st.one_of(st.sampled_from(sorted(SEED_CODES)), VALUES), max_size=4),
    query=st.dictionaries(st.sampled_from(["section", "year_from", "year_to", "measure"]), VALUES, max_size=3),
    download=st.one_of(st.sampled_from(COMPARE_PANELS), st.none()),
)
def test_compare_combinations_never_give_a_server_error(staff_client, programs, query, download):
    _get(staff_client, "/compare/", {**query, "programs": programs} | ({"download": download} if download else {}))


@_settings(examples=10)
@given(name=ANY_TEXT.filter(bool), value=VALUES, url=st.sampled_from(PAGES))
def test_unknown_query_parameters_never_give_a_server_error(staff_client, name, value, url):
    _get(staff_client, url, {name: value})


@_settings(examples=15)
@given(name=st.sampled_from(["next", "fiscal_year", "page", "per_page", "q", "code"]), value=VALUES, url=st.sampled_from(PAGES))
@example(name="next", value="\x00", url="/accounts/login/")
@example(name="code", value="\x00", url="/api/sheets/")
def test_anonymous_visitors_never_get_a_server_error(client, name, value, url):
    """What the public sees (published sheets only) and the login page's ?next=."""
    _get(client, url, {name: value})


CODE_URLS = [
    "/programs/{code}/",
    "/sheets/2021/{code}/",
    "/sheets/2021/{code}/excel/",
    "/sheets/2021/{code}/history/",
    "/api/sheets/2021/{code}/",
]
JUNK_CODES = st.one_of(
    st.sampled_from(EDGE_VALUES),
    ANY_TEXT,
    CONTROL_TEXT,
    st.tuples(st.sampled_from(sorted(SEED_CODES)), CONTROL_TEXT).map("".join),
)


@pytest.mark.parametrize("pattern", CODE_URLS)
def test_a_junk_program_code_in_the_path_is_a_404(staff_client, pattern):
    @_settings(examples=20)
    @given(code=JUNK_CODES.filter(lambda code: code not in SEED_CODES))
    def check(code):
        response = _get(staff_client, pattern.format(code=quote(code, safe="")))
        assert response.status_code == 404, (code, response.status_code)

    check()


@pytest.mark.parametrize("pattern", ["/sheets/{fy}/03-04-01/", "/sheets/{fy}/03-04-01/excel/", "/api/sheets/{fy}/03-04-01/"])
def test_a_junk_fiscal_year_in_the_path_is_a_404(staff_client, pattern):
    @_settings(examples=15)
    @given(fy=st.one_of(st.sampled_from(EDGE_VALUES), ANY_TEXT, NUMBERS).filter(lambda fy: fy != str(SEED_YEAR)))
    def check(fy):
        response = _get(staff_client, pattern.format(fy=quote(fy, safe="")))
        assert response.status_code == 404, (fy, response.status_code)

    check()


def test_per_page_is_25_50_or_100(staff_client):
    for asked, per_page in [("-1", 25), ("0", 25), ("1", 25), ("10000000000", 25), ("x", 25), ("50", 50), ("100", 100)]:
        response = _get(staff_client, "/sheets/", {"per_page": asked})
        assert response.context["table"].paginator.per_page == per_page, asked


def test_a_page_out_of_range_shows_the_last_or_first_page(staff_client):
    for page in ["0", "-1", "999999", "9" * 5000, "abc", "\x00"]:
        assert _get(staff_client, "/sheets/", {"page": page}).context["table"].page.number == 1


def test_a_control_character_in_the_search_is_a_form_error(staff_client):
    for q in ["\x00", "情報\x00", "\x01", "\x7f"]:
        response = _get(staff_client, "/sheets/", {"q": q})
        assert "q" in response.context["filter"].errors, repr(q)
        assert response.context["table"].page.paginator.count == 0
    assert not _get(staff_client, "/sheets/", {"q": "情報\tシステム"}).context["filter"].errors


def test_an_unknown_sort_column_is_ignored(staff_client):
    response = _get(staff_client, "/sheets/", {"sort": "\x00nope"})
    assert [row.record.program.code for row in response.context["table"].page.object_list] == sorted(SEED_CODES)


def test_the_api_answers_400_for_a_code_or_page_size_that_cannot_be(staff_client):
    for query, field in [
        ({"code": "\x00"}, "code"),
        ({"code": "03-04-01\x1f"}, "code"),
        ({"page_size": "9" * 5000}, "page_size"),
    ]:
        response = staff_client.get("/api/sheets/", query)
        assert response.status_code == 400 and response.json()["field"] == field, query
    assert staff_client.get("/api/sheets/", {"code": "03-04-01"}).json()["count"] == 1


def test_compare_treats_a_junk_program_or_section_as_invalid(staff_client):
    response = _get(staff_client, "/compare/", {"programs": ["03-04-01", "\x00"], "section": "9" * 5000})
    assert "programs" in response.context["form"].errors


@pytest.mark.parametrize(
    "url",
    [
        "/programs/%00/",
        "/sheets/2021/%00/",
        "/sheets/2021/%00/excel/",
        "/api/sheets/2021/%00/",
        "/programs/%FF/",
        "/programs/03-04-01%0A/",
    ],
)
def test_a_nul_byte_control_character_or_broken_utf8_in_a_program_code_is_a_404(staff_client, url):
    assert staff_client.get(url).status_code == 404


def test_every_seed_code_still_resolves(staff_client):
    """The code converter accepts the codes that exist: every program and sheet link works."""
    for sheet in Sheet.objects.select_related("program"):
        assert staff_client.get(sheet.get_absolute_url()).status_code == 200
    for program in Program.objects.all():
        assert staff_client.get(program.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("code", ["99-99\x0101", "99/01", "\x0099"])
def test_an_import_refuses_a_code_that_no_url_can_hold(code):
    """Every stored code must resolve (a code the converter refuses would break every link to its sheet)."""
    document = json.loads((SEED_DIR / "03-04-01_2021.json").read_text(encoding="utf-8")) | {"code": code}
    programs = Program.objects.count()
    with pytest.raises(DocumentError) as error:
        sheet_upsert(document=document)
    assert error.value.path == "code"
    assert Program.objects.count() == programs
