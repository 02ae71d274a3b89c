"""The sheet's admin page in the form's sections: each section gathers fieldsets and inlines under one heading, so
the page can offer jump links and keep the sections closed until opened (templates/admin/programs/sheet/
change_form.html, static/js/admin-sheet-sections.js)."""

from dataclasses import dataclass, field

from django.contrib.admin.utils import flatten


@dataclass(frozen=True)
class SectionSpec:
    slug: str  # the element id is "section-<slug>" (stable: links and tests use it)
    title: str
    fieldsets: tuple[str, ...] = ()  # fieldset names of SheetAdmin.fieldsets
    inlines: tuple[str, ...] = ()  # inline class names of SheetAdmin.inlines


# In the order of the printed form (事務事業分析シート), then what the admin adds.
SHEET_SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("basic", "基本情報", ("基本情報",), ("StaffMemberInline", "SubProgramInline")),
    SectionSpec("outline", "事業の概要", ("事業の概要",)),
    SectionSpec("history", "経過", inlines=("HistoryEventInline",)),
    SectionSpec("implementation", "実施方法", ("実施方法",)),
    SectionSpec("indicators", "成果指標", inlines=("IndicatorInline",)),
    SectionSpec("classification", "事務事業の分類", ("事務事業の分類",)),
    SectionSpec("budget", "予算・決算額等の推移", inlines=("BudgetYearInline", "FundingYearInline", "PersonnelCostInline")),
    SectionSpec("activity", "実績の推移", inlines=("ActivityItemInline",)),
    SectionSpec("breakdown", "予算・決算の内訳", inlines=("BreakdownLineInline",)),
    SectionSpec("costs", "行政コスト計算書", ("行政コスト計算書（計算値）",), ("CostLineInline", "StatedCostTotalInline")),
    SectionSpec("remarks", "備考・他区の実況・議会", ("備考・他区の実況・議会",)),
    SectionSpec("issues", "問題点・課題", inlines=("SheetIssueInline",)),
    SectionSpec("improvements", "改善策", inlines=("ImprovementInline",)),
    SectionSpec("texts", "その他の記載事項", inlines=("SheetTextInline",)),
    SectionSpec("findings", "データ品質の確認", ("データ品質の確認",)),
)


@dataclass
class Section:
    slug: str
    title: str
    fieldsets: list = field(default_factory=list)  # django.contrib.admin.helpers.Fieldset
    inlines: list = field(default_factory=list)  # InlineAdminFormSet
    has_errors: bool = False

    @property
    def element_id(self) -> str:
        return f"section-{self.slug}"


def _fieldset_has_errors(fieldset) -> bool:
    return any(name in fieldset.form.errors for name in flatten(fieldset.fields))


def _formset_has_errors(formset) -> bool:
    """Errors of the formset, its forms, or the formsets nested in its forms (an indicator's yearly values)."""
    if not formset.is_bound:
        return False
    if formset.non_form_errors() or any(form.errors for form in formset.forms):
        return True
    return any(_formset_has_errors(nested) for form in formset.forms for nested in getattr(form, "nested_formsets", ()))


def _inline_has_errors(inline_admin_formset) -> bool:
    return _formset_has_errors(inline_admin_formset.formset)


def sheet_sections(adminform, inline_admin_formsets) -> list[Section]:
    """The page's fieldsets and inlines grouped by SHEET_SECTIONS; anything not declared there goes to a last
    section その他 rather than disappearing. A section holding an error is marked so it is shown open."""
    fieldsets = {fs.name: fs for fs in adminform}
    inlines = {type(i.opts).__name__: i for i in inline_admin_formsets}
    sections = []
    for spec in SHEET_SECTIONS:
        section = Section(
            spec.slug,
            spec.title,
            [fieldsets.pop(name) for name in spec.fieldsets if name in fieldsets],
            [inlines.pop(name) for name in spec.inlines if name in inlines],
        )
        if section.fieldsets or section.inlines:
            sections.append(section)
    if fieldsets or inlines:
        sections.append(Section("other", "その他", list(fieldsets.values()), list(inlines.values())))
    for section in sections:
        for fieldset in section.fieldsets:
            if fieldset.name == section.title:
                fieldset.name = None  # the section's heading already says it
        section.has_errors = any(map(_fieldset_has_errors, section.fieldsets)) or any(map(_inline_has_errors, section.inlines))
    return sections
