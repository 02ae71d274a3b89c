"""A municipality's form profile (様式): which blocks its sheet has and their labels, the form's name, the policy
levels' names, its evaluation vocabulary (分類) and its extra text fields; and a sheet's values of those text fields.

Profiles are data: edited in the admin under 団体, or loaded from a JSON file (manage.py load_profile). A
municipality without a profile uses DEFAULT_PROFILE, 荒川区's form as it is printed today (programs/profiles.py).
"""

from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from programs.models.parts import OrderedSheetPart

# The blocks a profile may leave out, in the form's order, with the form's own label (荒川区's wording).
BLOCKS = {
    "strategy_plan": "戦略プラン",
    "implementation_standard": "実施基準",
    "sub_programs": "事務事業を構成する小事業名及び予算事業コード",
    "history": "経過",
    "necessity": "必要性",
    "implementation": "実施方法",
    "budget": "予算・決算額等の推移",
    "money": "財源内訳・人件費",
    "activity": "実績の推移",
    "breakdown": "予算・決算の内訳",
    "cost": "行政コスト計算書",
    "remarks": "備考",
    "issues": "問題点・課題",
    "improvements": "問題点・課題の改善策",
    "other_wards": "他区の実況",
    "council": "議会（要旨）",
}
# Labels of the form that are not blocks one can leave out, but that a profile may still rename.
LABELS = {"indicators": "指標", "classification": "事務事業の分類", "texts": "その他の記載事項"}
DEFAULT_FORM_NAME = "事務事業分析シート"
DEFAULT_LEVEL_NAMES = ("分野", "政策", "施策")
TEXT_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
validate_text_key = RegexValidator(TEXT_KEY_PATTERN, "キーは英小文字で始まる英小文字・数字・_ です（例: comment_section_chief）")


def all_blocks() -> list[str]:
    return list(BLOCKS)


class FormProfile(models.Model):
    """様式: how one municipality's evaluation sheet is laid out and worded."""

    municipality = models.OneToOneField(
        "programs.Municipality", on_delete=models.CASCADE, related_name="profile", verbose_name="団体"
    )
    form_name = models.CharField("様式の名称", max_length=50, default=DEFAULT_FORM_NAME, help_text="例: 事務事業評価シート")
    level1_name = models.CharField("体系の第1階層", max_length=20, default=DEFAULT_LEVEL_NAMES[0], help_text="例: 分野、政策")
    level2_name = models.CharField("体系の第2階層", max_length=20, default=DEFAULT_LEVEL_NAMES[1], help_text="例: 政策、施策")
    level3_name = models.CharField("体系の第3階層", max_length=20, default=DEFAULT_LEVEL_NAMES[2], help_text="例: 施策、基本事業")
    blocks = models.JSONField(
        "表示する欄",
        default=all_blocks,
        blank=True,
        help_text="シートに表示する欄のキーの一覧（キーは programs/models/profile.py の BLOCKS）",
    )
    labels = models.JSONField(
        "見出しの変更",
        default=dict,
        blank=True,
        help_text='欄のキー → 見出し（例: {"cost": "コスト計算書"}）。'
        "指標 indicators、分類 classification、その他の記載事項 texts も可",
    )

    class Meta:
        verbose_name = verbose_name_plural = "様式"

    def __str__(self) -> str:
        return f"{self.municipality} {self.form_name}"


class EvaluationChoice(models.Model):
    """One value of the municipality's evaluation vocabulary (事務事業の分類 / 評価結果), in the form's order."""

    profile = models.ForeignKey(FormProfile, on_delete=models.CASCADE, related_name="choices", verbose_name="様式")
    value = models.CharField("値", max_length=20, help_text="文書・シートに記録する値（例: 改革改善）")
    label = models.CharField("表示", max_length=30, blank=True, help_text="様式の表記（例: ２ 改革改善）。空なら値のまま")
    position = models.PositiveSmallIntegerField("順序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "分類の選択肢"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "value"], name="evaluation_choice_unique_value")]

    def __str__(self) -> str:
        return self.label or self.value


class ProfileTextField(models.Model):
    """An extra text field of the municipality's form: 係, 事業区分, 意図, 結果, an evaluator's comment (with role) …"""

    profile = models.ForeignKey(FormProfile, on_delete=models.CASCADE, related_name="text_fields", verbose_name="様式")
    key = models.CharField(
        "キー", max_length=50, validators=[validate_text_key], help_text="英小文字・数字・_（例: comment_section_chief）"
    )
    label = models.CharField("見出し", max_length=50)
    role = models.CharField("役割", max_length=30, blank=True, help_text="書く人の役割（担当課、課長、行政評価委員 …）")
    position = models.PositiveSmallIntegerField("順序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "追加の文章項目"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "key"], name="profile_text_field_unique_key")]

    def __str__(self) -> str:
        return self.label


class SheetText(OrderedSheetPart):
    """A sheet's value of one extra text field (document key `texts`); label and role are kept as imported."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="texts", verbose_name="シート")
    key = models.CharField("キー", max_length=50)
    label = models.CharField("見出し", max_length=50, blank=True)
    role = models.CharField("役割", max_length=30, blank=True)
    text = models.TextField("内容", blank=True)

    history = HistoricalRecords(verbose_name="追加の文章項目履歴")

    class Meta(OrderedSheetPart.Meta):
        verbose_name = verbose_name_plural = "追加の文章項目"
        constraints = [models.UniqueConstraint(fields=["sheet", "key"], name="sheet_text_unique_key")]

    def __str__(self) -> str:
        return self.label or self.key
