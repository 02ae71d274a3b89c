"""The publication workflow of a sheet (作成中 → 提出 → 承認 → 公開) and who may do what to a sheet.

Every step is a permission of the four roles (programs/migrations/0003_roles.py); editing is allowed only while a
sheet is 作成中, to editors of its own 課 (Section.members) or to users who may edit every 課.
"""

from dataclasses import dataclass

from django.db import transaction

from programs import locking
from programs.choices import SheetStatus
from programs.models import Sheet, StatusChange
from programs.similarity import similar_programs_refresh_on_commit


class WorkflowError(Exception):
    """A status change that is not allowed: the message says why, in Japanese."""


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    permission: str
    label: str
    needs_reason: bool = False
    own_section: bool = False  # the user must belong to the sheet's 課 (unless they may edit every 課)


TRANSITIONS = [
    Transition(SheetStatus.DRAFT, SheetStatus.SUBMITTED, "programs.submit_sheet", "提出する", own_section=True),
    Transition(SheetStatus.SUBMITTED, SheetStatus.APPROVED, "programs.approve_sheet", "承認する"),
    Transition(SheetStatus.SUBMITTED, SheetStatus.DRAFT, "programs.approve_sheet", "差し戻す", needs_reason=True),
    Transition(SheetStatus.APPROVED, SheetStatus.PUBLISHED, "programs.publish_sheet", "公開する"),
    Transition(SheetStatus.APPROVED, SheetStatus.DRAFT, "programs.approve_sheet", "差し戻す", needs_reason=True),
    Transition(SheetStatus.PUBLISHED, SheetStatus.DRAFT, "programs.reopen_sheet", "作成中に戻す", needs_reason=True),
]


def in_own_section(user, sheet: Sheet) -> bool:
    if user.has_perm("programs.edit_any_section_sheet"):
        return True
    return user.is_authenticated and sheet.section.members.filter(pk=user.pk).exists()


def can_edit(user, sheet: Sheet) -> bool:
    """Change the sheet or any of its parts: 作成中 only, by an editor of its 課."""
    return sheet.status == SheetStatus.DRAFT and user.has_perm("programs.change_sheet") and in_own_section(user, sheet)


def edit_refusal(sheet: Sheet) -> str:
    """Why a sheet cannot be edited as it is (empty when it can be, for a permitted user)."""
    if sheet.status != SheetStatus.DRAFT:
        return f"このシートは「{sheet.get_status_display()}」です。編集するには、承認者が「作成中に戻す」必要があります。"
    return ""


def transitions_for(user, sheet: Sheet) -> list[Transition]:
    """The steps `user` may take from the sheet's current status (buttons on the sheet page and in the admin)."""
    return [
        t
        for t in TRANSITIONS
        if t.source == sheet.status and user.has_perm(t.permission) and (not t.own_section or in_own_section(user, sheet))
    ]


@transaction.atomic
def change_status(*, sheet: Sheet, target: str, user, reason: str = "") -> StatusChange:
    """Move the sheet to `target`, recorded with who and why (and in the sheet's history)."""
    reason = reason.strip()
    step = next((t for t in transitions_for(user, sheet) if t.target == target), None)
    if step is None:
        raise WorkflowError(f"「{sheet.get_status_display()}」のシートを「{SheetStatus(target).label}」にする権限がありません。")
    if step.needs_reason and not reason:
        raise WorkflowError(f"「{step.label}」には理由の入力が必要です。")
    source = sheet.status
    sheet.status = target
    locking.next_version(sheet)
    sheet._change_reason = f"状態の変更: {SheetStatus(source).label} → {SheetStatus(target).label}" + (
        f"（{reason}）" if reason else ""
    )
    sheet.save()
    if SheetStatus.PUBLISHED in (source, target):  # what the public sees changed: so do the compared sheets
        similar_programs_refresh_on_commit()
    return StatusChange.objects.create(sheet=sheet, from_status=source, to_status=target, user=user, reason=reason)
