"""QuickSelect writes the same <select> as Django's template-rendered Select."""

import pytest
from django import forms
from django.test.html import parse_html

from evalsheets.lib.widgets import QuickSelect

CHOICES = [
    ("", "---------"),
    ("1", "15-05 情報システムの<適正>な整備 & 安全確保"),
    ("2", '"引用" の名前'),
    ("部A", [("3", "情報システム課"), ("4", "企画課")]),
]


@pytest.mark.parametrize("value", [None, "", "2", "3", 4])
@pytest.mark.parametrize("attrs", [None, {"id": "id_measure", "required": True, "disabled": False, "data-x": 'a"b'}])
def test_quick_select_renders_what_django_renders(value, attrs):
    django_html = forms.Select(choices=CHOICES).render("measure", value, attrs=attrs)
    quick_html = QuickSelect(choices=CHOICES).render("measure", value, attrs=attrs)
    assert parse_html(quick_html) == parse_html(django_html)
    assert quick_html.count(" selected") == 1
    assert "&lt;適正&gt;" in quick_html and "&amp; 安全確保" in quick_html


@pytest.mark.django_db
def test_the_sheet_list_filters_render_their_options(client):
    html = client.get("/sheets/").content.decode()
    assert '<option value="" selected>すべて</option>' in html and "---------" not in html
    assert "情報システム課</option>" in html and "情報システムの適正な整備と安全確保</option>" in html
