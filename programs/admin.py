"""The sheet editable on one page: every child table is an inline (nested for yearly values)."""

import nested_admin
from django import forms
from django.contrib import admin
from django.db.models import Count
from django.template.loader import render_to_string
from simple_history.admin import SimpleHistoryAdmin

from evalsheets.lib import formatting
from evalsheets.lib.admin import ChildStackedInline, ChildTabularInline, EraYearsAndAmounts
from evalsheets.lib.forms import NewlineNormalisingForm
from finance.admin import (
    BreakdownLineInline,
    BudgetYearAdmin,
    BudgetYearInline,
    CostLineInline,
    FundingYearInline,
    PersonnelCostInline,
    StatedCostTotalInline,
)
from finance.choices import CostTotal
from finance.costs import sheet_cost_statement
from finance.models import BudgetYear
from indicators.admin import ActivityItemInline, IndicatorInline
from programs import locking, program_kinds, workflow
from programs.admin_actions import check_selected_sheets, start_next_fiscal_year
from programs.admin_filters import MeasureFilter, SectionFilter
from programs.admin_forms import HistoryEventForm, ImprovementForm
from programs.admin_sections import sheet_sections
from programs.figures import sheet_stored_refresh
from programs.findings import findings_attach, stored_findings
from programs.improvements import improvements_refresh, status_label
from programs.models import (
    Department,
    EvaluationChoice,
    FormProfile,
    HistoryEvent,
    Improvement,
    Measure,
    Municipality,
    MunicipalityPopulation,
    Policy,
    PolicyField,
    ProfileTextField,
    Program,
    ProgramKind,
    Section,
    Sheet,
    SheetIssue,
    SheetText,
    StaffMember,
    SubProgram,
)
from programs.models.profile import BLOCKS
from programs.profiles import municipality_form
from programs.sheet_fields import admin_fieldsets


class StaffMemberInline(ChildTabularInline):
    model = StaffMember
    fields = ["position", "name"]


class SubProgramInline(ChildTabularInline):
    model = SubProgram
    fields = ["position", "budget_code", "name"]


class HistoryEventInline(ChildTabularInline):
    """経過 one line per event: the era date (parsed to year and month), 見出し and the text."""

    model = HistoryEvent
    form = HistoryEventForm
    fields = ["position", "era_label", "group", "text"]


class SheetIssueInline(ChildTabularInline):
    model = SheetIssue
    fields = ["number", "text"]


class ImprovementInline(ChildStackedInline):
    """改善策 with the ledger's 状況 (empty: proposed from the texts, shown beside it) and the related 成果指標."""

    model = Improvement
    form = ImprovementForm
    fields = ["number", "plan", "result", "next", ("status", "proposed_status_display"), "indicator"]
    readonly_fields = ["proposed_status_display"]

    def get_formset(self, request, obj=None, **kwargs):
        """The form knows the sheet, so the indicator select offers this sheet's 成果指標 (a new row has no sheet)."""
        form = type("ImprovementForm", (ImprovementForm,), {"sheet": obj})
        return super().get_formset(request, obj, **{"form": form, **kwargs})

    @admin.display(description="本文から推定した状況")
    def proposed_status_display(self, obj) -> str:
        return status_label(obj.proposed_status) if obj and obj.pk else "保存後に表示されます"


class SheetTextInline(ChildTabularInline):
    """その他の記載事項 (the municipality's extra texts: 意図, 課長意見 …); key, label and role as on the form."""

    model = SheetText
    fields = ["position", "key", "label", "role", "text"]
    verbose_name = verbose_name_plural = "その他の記載事項"


CLASSIFICATION_FIELDS = ("classification_current", "classification_next")


class SheetAdminForm(NewlineNormalisingForm):
    """The sheet's admin form carries the version it was opened at (optimistic locking, programs/locking.py)."""

    opened_version = forms.IntegerField(label="開いたときの版", widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label="変更の理由",
        required=False,
        max_length=100,
        help_text="変更履歴に残ります（例: 令和2年度の決算額を確定値に更新）。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version
        self._classification_selects()

    def _classification_selects(self) -> None:
        """分類 as a select of the sheet's municipality's vocabulary (its form profile; the default municipality's
        for a new sheet); a stored value outside it stays selectable so that opening the form changes nothing."""
        program = self.instance.program if self.instance.program_id else None
        form = municipality_form(program.municipality if program else Municipality.objects.default())
        for name in CLASSIFICATION_FIELDS:
            if name not in self.fields:
                continue  # a read-only form
            options = [("", "---------"), *((c.value, c.label) for c in form.vocabulary)]
            stored = getattr(self.instance, name)
            if stored and stored not in form.values:
                options.append((stored, f"{stored}（選択肢にない値）"))
            field = self.fields[name]
            self.fields[name] = forms.ChoiceField(
                label=field.label, choices=options, required=False, help_text="選択肢は団体の様式（分類）から"
            )

    def clean(self):
        cleaned = super().clean()
        program = cleaned.get("program")
        if program is not None:
            allowed = municipality_form(program.municipality).values
            for name in CLASSIFICATION_FIELDS:
                value = cleaned.get(name)
                if value and value not in allowed and value != getattr(self.instance, name):
                    self.add_error(name, f"「{value}」は{program.municipality}の分類の選択肢（{'、'.join(allowed)}）にありません")
        if self.instance.pk:
            try:
                locking.check_version(sheet_id=self.instance.pk, expected=cleaned.get("opened_version") or 0)
            except locking.StaleSheet as exc:
                raise forms.ValidationError(str(exc), code="stale") from None
        return cleaned


@admin.register(Sheet)
class SheetAdmin(EraYearsAndAmounts, SimpleHistoryAdmin, nested_admin.NestedModelAdmin):
    form = SheetAdminForm
    list_display = [
        "code",
        "name",
        "status",
        "fiscal_year_display",
        # (課 and 施策 are filters on the right, not columns repeating one value: 予算額/決算額/データ品質 stay in view
        # at 1440 px; templates/admin/programs/sheet/change_list.html lets the headers wrap)
        "classification_display",
        "budget_display",
        "settlement_display",
        "findings_badges",
    ]
    list_display_links = ["code", "name"]
    # 施策 and 課 choices in one query each (admin_filters: the default labels each choice with a query)
    list_filter = [
        "status",
        "program__municipality",
        "fiscal_year",
        ("measure", MeasureFilter),
        "classification_current",
        ("section", SectionFilter),
    ]
    search_fields = ["program__code", "name", "purpose"]
    list_select_related = ["program", "section__department", "measure__policy"]
    readonly_fields = ["status", "findings_summary", "cost_summary", "updated_at"]
    actions = [start_next_fiscal_year, check_selected_sheets]
    autocomplete_fields = ["program"]
    save_on_top = True
    fieldsets = admin_fieldsets(
        leading={
            "基本情報": ["status", "change_reason", ("program", "fiscal_year"), "name", "section", "opened_version"],
            "事業の概要": ["measure"],
        },
        extra=[
            ("行政コスト計算書（計算値）", {"fields": ["cost_summary"]}),
            ("データ品質の確認", {"fields": ["findings_summary"]}),
        ],
        trailing={"備考・他区の実況・議会": ["updated_at"]},
    )
    inlines = [
        StaffMemberInline,
        SubProgramInline,
        HistoryEventInline,
        IndicatorInline,
        BudgetYearInline,
        FundingYearInline,
        PersonnelCostInline,
        SheetTextInline,
        ActivityItemInline,
        BreakdownLineInline,
        CostLineInline,
        StatedCostTotalInline,
        SheetIssueInline,
        ImprovementInline,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        """Editing is for 作成中 sheets of the editor's own 課 (programs/workflow.py); others are read-only."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def save_model(self, request, obj, form, change):
        """Every save through the admin (the sheet or only its parts) adds one version."""
        if change:
            locking.next_version(obj)
        obj._change_reason = form.cleaned_data.get("change_reason") or None
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """The parts saved with the sheet carry the same reason in their history."""
        reason = form.cleaned_data.get("change_reason") or None
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        """After the inlines (budgets, cost lines, indicators) are saved: the sheet's stored figures and findings."""
        super().save_related(request, form, formsets, change)
        improvements_refresh(sheet_ids=[form.instance.pk])  # proposed statuses; a new 改善策 linked to last year's
        sheet_stored_refresh([form.instance.pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The sheet's status and the workflow steps this user may take, above the form (templates/admin/…); the
        fieldsets and inlines grouped in the form's sections (programs/admin_sections.py)."""
        context["sheet_sections"] = sheet_sections(context["adminform"], context["inline_admin_formsets"])
        if obj is not None:
            context.update(
                sheet=obj,
                workflow_transitions=workflow.transitions_for(request.user, obj),
                edit_refusal=workflow.edit_refusal(obj),
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_changelist_instance(self, request):
        """Attach every listed sheet's data-quality findings in a fixed number of queries (no per-row queries)."""
        changelist = super().get_changelist_instance(request)
        changelist.result_list = findings_attach(sheets=changelist.result_list)
        return changelist

    @admin.display(description="データ品質の指摘")
    def findings_badges(self, obj: Sheet) -> str:
        counts = getattr(obj, "finding_counts", None)
        if counts is None:
            return formatting.EMPTY
        return render_to_string("programs/_finding_badges.html", {"counts": counts})

    @admin.display(description="事務事業コード", ordering="program__code")
    def code(self, obj: Sheet) -> str:
        return obj.program.code

    @admin.display(description="評価年度", ordering="fiscal_year")
    def fiscal_year_display(self, obj: Sheet) -> str:
        return formatting.era_fiscal_year(obj.fiscal_year)

    @admin.display(description="分類（当年度→翌年度）", ordering="classification_current")
    def classification_display(self, obj: Sheet) -> str:
        return f"{obj.classification_current or formatting.EMPTY} → {obj.classification_next or formatting.EMPTY}"

    # the evaluation year's figures as stored on the sheet (programs/figures.py): no query per row
    @admin.display(description="予算額（千円）", ordering="own_budget")
    def budget_display(self, obj: Sheet) -> str:
        return formatting.amount(obj.own_budget)

    @admin.display(description="決算額（千円）", ordering="own_settlement")
    def settlement_display(self, obj: Sheet) -> str:
        if obj.own_settlement_is_estimate is None:  # no row for the evaluation year
            return formatting.EMPTY
        return formatting.amount(obj.own_settlement) + ("（見込み）" if obj.own_settlement_is_estimate else "")

    @admin.display(description="指摘")
    def findings_summary(self, obj: Sheet) -> str:
        if obj.pk is None:
            return "保存後に表示されます"
        findings = stored_findings(obj)  # as computed when the sheet was last saved
        return render_to_string("programs/_findings.html", {"findings": findings}) if findings else "指摘なし"

    @admin.display(description="合計・収支差額（勘定科目から計算）")
    def cost_summary(self, obj: Sheet) -> str:
        if obj.pk is None:
            return "保存後に表示されます"
        statement = sheet_cost_statement(obj.cost_lines.all(), obj.stated_cost_totals.all())
        rows = [
            {
                "label": total.label,
                "cells": [
                    {
                        "computed": data["totals"][total.value],
                        "stated": data["stated"].get(total.value),
                        "mismatch": data["stated"].get(total.value, data["totals"][total.value]) != data["totals"][total.value],
                    }
                    for data in statement.values()
                ],
            }
            for total in CostTotal
        ]
        return render_to_string("finance/_cost_totals_admin.html", {"years": list(statement), "rows": rows})


class MunicipalityPopulationInline(nested_admin.NestedTabularInline):
    model = MunicipalityPopulation
    extra = 1


class EvaluationChoiceInline(nested_admin.NestedTabularInline):
    model = EvaluationChoice
    fields = ["position", "value", "label"]
    extra = 0


class ProfileTextFieldInline(nested_admin.NestedTabularInline):
    model = ProfileTextField
    fields = ["position", "key", "label", "role"]
    extra = 0


class FormProfileForm(forms.ModelForm):
    blocks = forms.MultipleChoiceField(
        label="表示する欄", choices=list(BLOCKS.items()), widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = FormProfile
        fields = ["form_name", "level1_name", "level2_name", "level3_name", "blocks", "labels"]


class FormProfileInline(nested_admin.NestedStackedInline):
    """様式 (one per 団体): without one, a municipality's sheets use 荒川区's form (programs/profiles.py)."""

    model = FormProfile
    form = FormProfileForm
    max_num = 1
    extra = 0
    inlines = [EvaluationChoiceInline, ProfileTextFieldInline]


@admin.register(Municipality)
class MunicipalityAdmin(nested_admin.NestedModelAdmin):
    list_display = ["code", "name", "prefecture", "kind", "form_name"]
    list_select_related = ["profile"]
    search_fields = ["code", "name", "prefecture"]
    inlines = [MunicipalityPopulationInline, FormProfileInline]

    @admin.display(description="様式")
    def form_name(self, obj: Municipality) -> str:
        profile = getattr(obj, "profile", None)  # None without a profile (RelatedObjectDoesNotExist)
        return profile.form_name if profile else "（既定: 事務事業分析シート）"


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "municipality", "kind", "kind_source"]
    list_filter = ["municipality", "kind", "kind_source"]
    list_select_related = ["municipality", "kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["kind_source"]

    def save_model(self, request, obj, form, change):
        """A kind chosen here is the admin's (kept by every import); choosing none hands it back to the keyword rule."""
        if "kind" in form.changed_data or not change:
            obj.kind_source = program_kinds.ADMIN if obj.kind_id else ""
        super().save_model(request, obj, form, change)
        if obj.kind_source != program_kinds.ADMIN:
            program_kinds.program_kinds_assign(program_ids=[obj.pk])
            obj.refresh_from_db(fields=["kind", "kind_source"])


@admin.register(ProgramKind)
class ProgramKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "program_count"]
    list_editable = ["position"]
    search_fields = ["name", "code", "keywords"]
    fields = ["name", "code", "keywords", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(program_count=Count("programs"))

    @admin.display(description="事業数", ordering="program_count")
    def program_count(self, obj) -> int:
        return obj.program_count


@admin.register(PolicyField)
class PolicyFieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "municipality"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["code", "name"]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field"]
    list_select_related = ["field"]
    search_fields = ["code", "name"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "policy"]
    list_select_related = ["policy"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "department"]
    list_select_related = ["department"]
    search_fields = ["name", "department__name"]


class BudgetYearStoredAdmin(BudgetYearAdmin):
    """finance's own page for 予算・決算額 rows (finance does not import programs): a row saved or deleted there
    recomputes its sheet's stored figures and findings too."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sheet_stored_refresh([obj.sheet_id])

    def delete_model(self, request, obj):
        sheet_id = obj.sheet_id
        super().delete_model(request, obj)
        sheet_stored_refresh([sheet_id])

    def delete_queryset(self, request, queryset):
        sheet_ids = list(queryset.values_list("sheet_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        sheet_stored_refresh(sheet_ids)


admin.site.unregister(BudgetYear)
admin.site.register(BudgetYear, BudgetYearStoredAdmin)
