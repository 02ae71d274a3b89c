"""Forms of the sheet's admin page that read what an editor types as the form prints it."""

from django import forms

from evalsheets.lib.forms import NewlineNormalisingForm
from evalsheets.lib.japanese_text import loose
from evalsheets.lib.wareki import WarekiError, parse_era_date
from indicators.choices import IndicatorKind
from indicators.models import Indicator
from programs.choices import ImprovementStatus
from programs.improvements import status_label
from programs.models import HistoryEvent

ERA_DATE_EXAMPLE = "例: 令和3年4月、平成14年度"


class HistoryEventForm(NewlineNormalisingForm):
    """経過: one era date (令和3年4月 / 平成14年度, or empty when printed without a date) and the text, on one line.

    The date is parsed to the stored year and month (programs.models.HistoryEvent); a date that is not an era year
    and month is refused with the field named."""

    class Meta:
        model = HistoryEvent
        fields = ["position", "era_label", "group", "text"]
        widgets = {
            "position": forms.NumberInput({"class": "vPositionField", "min": 0}),
            "era_label": forms.TextInput({"size": 12, "placeholder": "令和3年4月", "class": "vEraDateField"}),
            "group": forms.TextInput({"size": 14, "class": "vGroupField"}),
            "text": forms.Textarea({"rows": 1, "cols": 60, "class": "vOneLineText"}),
        }
        labels = {"position": "順序", "era_label": "年月（和暦）", "group": "見出し", "text": "内容"}
        help_texts = {"era_label": "", "group": ""}

    def clean_era_label(self) -> str:
        typed = self.cleaned_data.get("era_label") or ""
        text = loose(typed)
        if not text:
            self.instance.year = self.instance.month = None
            return ""
        try:
            date = parse_era_date(text)
        except WarekiError as exc:
            raise forms.ValidationError(f"年月（和暦）: {exc}（{ERA_DATE_EXAMPLE}）", code="invalid") from None
        if date.label != text:  # 令和3年4月ごろ: only the date may stand in the field
            raise forms.ValidationError(
                f"年月（和暦）: 「{typed}」は和暦の年月として読めません（{ERA_DATE_EXAMPLE}）", code="invalid"
            )
        self.instance.year, self.instance.month = date.year, date.month
        return date.label


class ImprovementForm(NewlineNormalisingForm):
    """改善策: 状況 as a Japanese select whose empty choice says what the texts suggest (「（本文から推定: 完了）」), and the
    related indicator chosen among the sheet's 成果指標 (empty: the one with the same number ①②③). `sheet` is set
    by ImprovementInline.get_formset (a new row has no sheet yet)."""

    sheet = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            proposed = status_label(self.instance.proposed_status) if self.instance.pk else ""
            empty = f"（本文から推定: {proposed}）" if proposed else "（本文から推定）"
            self.fields["status"].choices = [("", empty), *ImprovementStatus.choices]
        if "indicator" in self.fields:
            sheet_id = self.sheet.pk if self.sheet is not None else self.instance.sheet_id
            field = self.fields["indicator"]
            field.queryset = Indicator.objects.filter(sheet_id=sheet_id, kind=IndicatorKind.OUTCOME).order_by("number")
            field.empty_label = "（同じ番号の成果指標）"
