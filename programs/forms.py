"""Django forms of the public pages and the workbook upload (page contexts and views import them from here)."""

from django import forms
from django.core.validators import FileExtensionValidator

from evalsheets.lib.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from evalsheets.lib.formatting import era_fiscal_year
from evalsheets.lib.params import is_program_code, prohibit_control_characters
from finance.analytics import MEASURE_LABELS
from programs import selectors
from programs.interchange.workbook_limits import LimitExceeded, WorkbookLimits, archive_check

MAX_PROGRAM_OPTIONS = 300  # programs listed for one 課 (plus the chosen ones), however many programs exist


class CompareForm(forms.Form):
    """/compare/: a 課 (grouped by 部) lists its programs to choose from; years are chosen by their era labels."""

    section = forms.TypedChoiceField(label="部・課", required=False, coerce=int, empty_value=None)
    programs = forms.MultipleChoiceField(label="事務事業", required=False, widget=forms.CheckboxSelectMultiple)
    year_from = forms.IntegerField(label="年度（から）", required=False, min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR)
    year_to = forms.IntegerField(label="年度（まで）", required=False, min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR)
    measure = forms.ChoiceField(label="比較する金額", required=False, choices=list(MEASURE_LABELS.items()), initial="settlement")

    def __init__(self, *args, viewer, municipality, default_section: int | None = None, fiscal_year: int | None = None, **kwargs):
        """`default_section` and `fiscal_year`: the 課 and year of the latest sheet (the default selection); `viewer`:
        the user, whose visible sheets decide the programs and years offered; `municipality`: whose programs (a
        program code is unique within its municipality only)."""
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.municipality = municipality
        self.fiscal_year = fiscal_year
        self.fields["section"].choices = [("", "（最新シートの課）"), *selectors.section_choices(municipality=municipality)]
        self.listed_section = self._section(default_section)
        # only what can be a code reaches the query (a NUL fails on PostgreSQL); the rest is an invalid choice
        chosen = (
            [code for code in self.data.getlist("programs") if is_program_code(code)] if hasattr(self.data, "getlist") else []
        )
        choices = selectors.program_choices(
            viewer=viewer, municipality=municipality, section_id=self.listed_section, codes=chosen, limit=MAX_PROGRAM_OPTIONS
        )
        self.fields["programs"].choices = choices
        self.programs_capped = len(choices) >= MAX_PROGRAM_OPTIONS
        years = [("", "すべて")] + [
            (year, era_fiscal_year(year)) for year in selectors.budget_fiscal_years(viewer=viewer, municipality=municipality)
        ]
        for name in ("year_from", "year_to"):
            given = self.data.get(name, "")
            extra = [(given, given)] if given and given not in {str(y) for y, _ in years} else []
            self.fields[name].widget = forms.Select(choices=years + extra)

    def _section(self, default: int | None) -> int | None:
        """The 課 whose programs are listed: the one asked for when it is a choice, else `default`."""
        value = self.data.get("section", "") if self.data else ""
        return int(value) if value and self.fields["section"].valid_value(value) else default

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

    def clean_file(self):
        """Size and zip limits (programs.interchange.workbook_limits) before anything reads the workbook."""
        upload = self.cleaned_data["file"]
        try:
            archive_check(upload, WorkbookLimits.from_settings())
        except LimitExceeded as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


class MunicipalityCompareForm(forms.Form):
    """/compare/municipalities/: one 事業の種別, the years and 予算/決算; every municipality's programs of that kind."""

    kind = forms.ChoiceField(label="事業の種別", required=False)
    year_from = forms.IntegerField(label="年度（から）", required=False, min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR)
    year_to = forms.IntegerField(label="年度（まで）", required=False, min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR)
    measure = forms.ChoiceField(label="比較する金額", required=False, choices=list(MEASURE_LABELS.items()), initial="settlement")

    def __init__(self, *args, viewer, **kwargs):
        """`viewer`: the user, whose visible sheets decide the kinds (with how many municipalities have one) and years."""
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.kinds = selectors.program_kinds_counted(viewer=viewer)
        self.fields["kind"].choices = [
            ("", "（2団体以上にある最初の種別）"),
            *((kind.code, f"{kind.name}（{kind.municipality_count}団体）") for kind in self.kinds),
        ]
        years = [("", "すべて")] + [(year, era_fiscal_year(year)) for year in selectors.budget_fiscal_years(viewer=viewer)]
        for name in ("year_from", "year_to"):
            given = self.data.get(name, "")
            extra = [(given, given)] if given and given not in {str(y) for y, _ in years} else []
            self.fields[name].widget = forms.Select(choices=years + extra)

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            self.add_error("year_to", "「まで」は「から」以降の年度にしてください")
        return data


class SearchForm(forms.Form):
    """/search/ and the header's search box: the words to find in every text of the sheets (programs/search.py)."""

    q = forms.CharField(
        label="キーワード",
        required=False,
        max_length=200,
        strip=True,
        validators=[prohibit_control_characters],  # NUL too: PostgreSQL refuses it in text
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "例: ネットワーク、LAN、電子申請"}),
    )
