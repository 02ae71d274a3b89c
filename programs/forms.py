"""Django forms of the public pages and the workbook upload (page contexts and views import them from here)."""

from django import forms
from django.core.validators import FileExtensionValidator

from evalsheets.lib.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from finance.analytics import MEASURE_LABELS
from programs import selectors


class CompareForm(forms.Form):
    programs = forms.MultipleChoiceField(label="事務事業", required=False, widget=forms.CheckboxSelectMultiple)
    year_from = forms.IntegerField(label="年度（から）", required=False, min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR)
    year_to = forms.IntegerField(label="年度（まで）", required=False, min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR)
    measure = forms.ChoiceField(label="比較する金額", required=False, choices=list(MEASURE_LABELS.items()), initial="settlement")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programs"].choices = selectors.program_choices()

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            self.add_error("year_to", "「まで」は「から」以降の年度にしてください")
        return data


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label="Excel ブック（.xlsx）",
        validators=[FileExtensionValidator(["xlsx"], message="拡張子が .xlsx のファイルを選んでください")],
        help_text="Excel 出力または空の様式に記入したブック。1ワークシートに1シート。",
    )
