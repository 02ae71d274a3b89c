"""Forms of the sheet's admin page that read what an editor types as the form prints it."""

from django import forms

from evalsheets.lib.forms import NewlineNormalisingForm
from evalsheets.lib.japanese_text import loose
from evalsheets.lib.wareki import WarekiError, parse_era_date
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
