"""/sheets/'s filter selects: the 分野/政策/施策/部/課 of the municipality listed only (issue 13: every municipality's
5,698 options made the page 3× the admin), すべて as the empty choice, and a chosen value always offered."""

import io
import re

import pytest
from django.core.management import call_command

from programs.filtersets import ALL, HIERARCHY_HINT, HIERARCHY_SCOPES
from programs.models import Department, Measure, Municipality, PolicyField, Section, Sheet

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
