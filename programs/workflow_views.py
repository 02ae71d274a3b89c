"""Editorial actions on one sheet for logged-in staff: status changes (提出・承認・公開・作成中に戻す), the history page
and the restore of an earlier version. Each checks the role's permission; a sheet the user may not see is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from programs import selectors, workflow
from programs.models import Sheet
from programs.municipalities import sheet_or_404
from programs.revisions import sheet_restore as restore_sheet
from programs.revisions import sheet_revisions


def _sheet(request, fiscal_year: int, code: str, municipality: str | None) -> Sheet:
    queryset = selectors.sheet_page_queryset(viewer=request.user)
    return sheet_or_404(queryset, municipality=municipality, fiscal_year=fiscal_year, code=code)


def _back(request, sheet: Sheet):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(sheet.get_absolute_url())


@require_POST
@login_required
def sheet_status(request, fiscal_year: int, code: str, municipality: str | None = None):
    sheet = _sheet(request, fiscal_year, code, municipality)
    try:
        change = workflow.change_status(
            sheet=sheet, target=request.POST.get("target", ""), user=request.user, reason=request.POST.get("reason", "")
        )
    except (workflow.WorkflowError, ValueError) as exc:
        messages.error(request, str(exc) if isinstance(exc, workflow.WorkflowError) else "変更後の状態が正しくありません。")
    else:
        messages.success(request, f"シートを「{change.get_to_status_display()}」にしました。")
    return _back(request, sheet)


@require_GET
@login_required
def sheet_history(request, fiscal_year: int, code: str, municipality: str | None = None):
    sheet = _sheet(request, fiscal_year, code, municipality)
    if not request.user.has_perm("programs.view_historicalsheet"):
        raise PermissionDenied
    return render(
        request,
        "programs/sheet_history.html",
        {
            "sheet": sheet,
            "revisions": sheet_revisions(sheet),
            "can_restore": workflow.can_edit(request.user, sheet),
            "edit_refusal": workflow.edit_refusal(sheet),
        },
    )


@require_POST
@login_required
def sheet_restore(request, fiscal_year: int, code: str, history_id: int, municipality: str | None = None):
    sheet = _sheet(request, fiscal_year, code, municipality)
    if not workflow.can_edit(request.user, sheet):
        raise PermissionDenied
    try:
        restore_sheet(sheet=sheet, history_id=history_id, user=request.user)
    except Sheet.DoesNotExist:
        messages.error(request, "指定した版の履歴がありません。")
    else:
        messages.success(request, "シートを選んだ版に戻しました（この復元も履歴に残ります）。")
    return redirect("programs:sheet_history", **sheet.url_kwargs())
