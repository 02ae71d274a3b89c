"""/sheets/'s filter selects: the 分野/政策/施策/部/課 of the municipality listed only (issue 13: every municipality's
5,698 options made the page 3× the admin), すべて as the empty choice, and a chosen value always offered."""

import io
import re

import pytest
from django.core.management import call_command

from programs.filtersets import ALL, HIERARCHY_HINT, HIERARCHY_SCOPES
from programs.models import Department, Measure, Municipality, PolicyField, Section, Sheet
from programs.tables import DEFAULT_COLUMNS, chosen_columns

pytestmark = pytest.mark.django_db
SELECTS = list(HIERARCHY_SCOPES)


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"', select.group(1))


@pytest.fixture
def wards(db):
    call_command("generate_demo", wards=2, programs=4, years=1, seed=1, stdout=io.StringIO())
    return list(Municipality.objects.filter(code__startswith="99").order_by("code"))


def test_one_municipality_offers_its_whole_hierarchy(client):
    html = client.get("/sheets/").content.decode()
    assert _options(html, "measure") == [""] + [str(m.pk) for m in Measure.objects.all()]
    assert _options(html, "section") == [""] + [str(s.pk) for s in Section.objects.all()]
    assert HIERARCHY_HINT not in html


def test_several_municipalities_offer_none_until_one_is_chosen(client, wards):
    html = client.get("/sheets/").content.decode()
    for name in SELECTS:
        assert _options(html, name) == [""], name
    assert HIERARCHY_HINT in html
    assert len(_options(html, "municipality")) == 1 + 3  # 荒川区 and the two wards


@pytest.mark.parametrize("via", ["query", "path"])
def test_a_chosen_municipality_offers_only_its_own(client, wards, via):
    ward = wards[1]
    url = f"/sheets/?municipality={ward.code}" if via == "query" else f"/m/{ward.code}/sheets/"
    html = client.get(url).content.decode()
    own = {
        "field": PolicyField.objects.filter(municipality=ward),
        "measure": Measure.objects.filter(policy__field__municipality=ward),
        "department": Department.objects.filter(municipality=ward),
        "section": Section.objects.filter(department__municipality=ward),
    }
    for name, queryset in own.items():
        offered = _options(html, name)[1:]
        assert offered and sorted(offered) == sorted(str(pk) for pk in queryset.values_list("pk", flat=True)), name
    assert HIERARCHY_HINT not in html


def test_an_old_link_to_a_measure_still_filters_and_shows_it_chosen(client, wards):
    measure = Sheet.objects.filter(program__municipality=wards[0]).first().measure
    response = client.get(f"/sheets/?measure={measure.pk}")
    html = response.content.decode()
    assert "入力を確認してください" not in html
    assert _options(html, "measure") == ["", str(measure.pk)]
    assert f'<option value="{measure.pk}" selected>' in html
    rows = list(response.context["table"].paginated_rows)
    assert rows and all(row.record.measure_id == measure.pk for row in rows)


@pytest.mark.parametrize("value", ["abc", "-1", "１２", "99999999999", "1 OR 1=1"])
def test_a_junk_hierarchy_value_is_a_form_error_not_a_500(client, wards, value):
    response = client.get("/sheets/", {"section": value})
    assert response.status_code == 200
    assert "入力を確認してください" in response.content.decode()


def test_every_select_offers_subete_not_dashes(client):
    html = client.get("/sheets/").content.decode()
    assert "---------" not in html
    for name in ["municipality", "fiscal_year", *SELECTS, "classification", "business_type"]:
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
        assert select.startswith(f'<option value="">{ALL}</option>') or f'<option value="" selected>{ALL}' in select, name


# the column chooser (?cols=)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], list(DEFAULT_COLUMNS)),
        (["own_budget"], ["code", "name", "own_budget"]),
        (["own_budget,section", "achievement"], ["code", "name", "section", "own_budget", "achievement"]),
        (["nonsense", "municipality", "latest_settled_year", "<script>"], list(DEFAULT_COLUMNS)),
        (["achievement", "nonsense", "\x00"], ["code", "name", "achievement"]),
        (["x" * 10000], list(DEFAULT_COLUMNS)),
    ],
)
def test_chosen_columns_keep_known_ones_in_table_order(values, expected):
    assert chosen_columns(values) == expected


@pytest.mark.parametrize("cols", ["", "section,measure", "nonsense", "\u3000", "own_budget&cols=%00", "a" * 5000])
def test_cols_parameter_never_a_500_and_shows_what_was_chosen(client, cols):
    response = client.get(f"/sheets/?cols={cols}")
    assert response.status_code == 200
    shown = [column.name for column in response.context["table"].columns]
    assert shown == chosen_columns([cols.split("&")[0]])


def test_chosen_columns_do_not_change_the_export(client):
    everything = client.get("/sheets/?_export=csv").getvalue()
    assert client.get("/sheets/?cols=own_budget&_export=csv").getvalue() == everything


def test_chips_name_each_active_filter_with_its_shown_value_and_a_url_without_it(client):
    measure = Measure.objects.get(code="05")
    response = client.get(f"/sheets/?measure={measure.pk}&q=ネットワーク&page=2&cols=own_budget")
    chips = {chip["name"]: chip for chip in response.context["active_filters"]}
    assert set(chips) == {"measure", "q"}
    assert chips["measure"]["label"] == "施策" and chips["measure"]["value"] == str(measure)
    assert chips["q"]["value"] == "ネットワーク"
    assert "measure" not in chips["measure"]["remove_url"] and "page" not in chips["measure"]["remove_url"]
    assert "cols=own_budget" in chips["measure"]["remove_url"] and "q=" in chips["measure"]["remove_url"]
