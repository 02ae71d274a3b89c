"""A municipality's form as pages, imports and exports use it: its FormProfile read once, or — for a municipality
without one — 荒川区's form as printed today (every block, its five 分類, 分野 → 政策 → 施策, no extra texts)."""

from dataclasses import dataclass, field

from django.conf import settings

from programs import choices
from programs.models import Municipality
from programs.models.profile import BLOCKS, DEFAULT_FORM_NAME, DEFAULT_LEVEL_NAMES, LABELS, EvaluationChoice, FormProfile


@dataclass(frozen=True)
class Choice:
    value: str  # what the document and the sheet hold (改革改善)
    label: str  # what the form prints (２ 改革改善)


@dataclass(frozen=True)
class TextField:
    key: str
    label: str
    role: str


@dataclass(frozen=True)
class Form:
    name: str = DEFAULT_FORM_NAME
    level_names: tuple[str, str, str] = DEFAULT_LEVEL_NAMES
    blocks: frozenset[str] = frozenset(BLOCKS)
    label_overrides: dict[str, str] = field(default_factory=dict)
    vocabulary: tuple[Choice, ...] = tuple(Choice(value, label) for value, label in choices.Classification.choices)
    text_fields: tuple[TextField, ...] = ()

    @property
    def shows(self) -> dict[str, bool]:
        """{block key: shown?} for every block a profile may leave out (templates: form.shows.other_wards)."""
        return {key: key in self.blocks for key in BLOCKS}

    @property
    def labels(self) -> dict[str, str]:
        """{block or label key: the form's heading}, the profile's overrides over 荒川区's wording."""
        return {**BLOCKS, **LABELS, **{k: v for k, v in self.label_overrides.items() if v}}

    @property
    def values(self) -> list[str]:
        """The evaluation vocabulary's values, in the form's order."""
        return [choice.value for choice in self.vocabulary]

    def choice_label(self, value: str) -> str:
        """How the form prints a 分類 value (２ 改革改善); a value outside the vocabulary as it is."""
        return next((choice.label for choice in self.vocabulary if choice.value == value), value)


DEFAULT_FORM = Form()


def profile_form(profile: FormProfile | None) -> Form:
    if profile is None:
        return DEFAULT_FORM
    return Form(
        name=profile.form_name or DEFAULT_FORM_NAME,
        level_names=(profile.level1_name, profile.level2_name, profile.level3_name),
        blocks=frozenset(profile.blocks or ()),
        label_overrides=dict(profile.labels or {}),
        # a profile that lists no 分類 keeps 荒川区's five
        vocabulary=tuple(Choice(c.value, c.label or c.value) for c in profile.choices.all()) or DEFAULT_FORM.vocabulary,
        text_fields=tuple(TextField(t.key, t.label, t.role) for t in profile.text_fields.all()),
    )


def vocabulary_choices(code: str | None = None) -> list[tuple[str, str]]:
    """(value, label) of the 分類 filters, in one query: the vocabulary of the municipality `code`, or — for a list of
    every municipality — every profile's values once each, the default municipality's first; 荒川区's five where no
    profile lists any."""
    rows = EvaluationChoice.objects.order_by("profile__municipality__code", "position", "id")
    if code:
        rows = rows.filter(profile__municipality__code=code)
    default = settings.EVALSHEETS_DEFAULT_MUNICIPALITY
    listed = sorted(
        rows.values_list("profile__municipality__code", "value", "label"), key=lambda row: row[0] != default
    )  # stable: each municipality's own order is kept
    choices: dict[str, str] = {}
    for _, value, label in listed:
        choices.setdefault(value, label or value)
    if not choices:
        choices = {choice.value: choice.label for choice in DEFAULT_FORM.vocabulary}
    return list(choices.items())


def documents_forms(documents: list[dict]) -> dict[str, Form]:
    """{団体コード: form} of the municipalities the documents name (a few queries per municipality, not per sheet)."""
    codes = {(doc.get("municipality") or {}).get("code") for doc in documents} - {None}
    return {m.code: municipality_form(m) for m in Municipality.objects.filter(code__in=codes)}


def municipality_form(municipality: Municipality | int | None) -> Form:
    """The form of a municipality (or its id), three queries at most — none when the profile and its parts are
    prefetched (selectors.sheet_page_queryset); DEFAULT_FORM without a profile."""
    if municipality is None:
        return DEFAULT_FORM
    if isinstance(municipality, Municipality) and Municipality.profile.is_cached(municipality):
        try:
            return profile_form(municipality.profile)
        except FormProfile.DoesNotExist:
            return DEFAULT_FORM
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    profile = FormProfile.objects.filter(municipality_id=municipality_id).prefetch_related("choices", "text_fields").first()
    return profile_form(profile)
