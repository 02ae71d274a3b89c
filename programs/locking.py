"""Optimistic locking of a sheet: every save of the sheet or of any of its parts (admin, upload, import, restore,
status change) adds one to `Sheet.version`; a save that started from an older version is refused, naming who saved
in between, so nobody overwrites another editor's work without seeing it."""

from programs.models import Sheet


class StaleSheet(Exception):
    """The sheet was saved by someone else since the editor opened it: the message says who and when."""


def last_saved_by(sheet_id: int) -> str:
    """「山田 さんが 2026年11月27日 10:05 に」: who wrote the sheet's newest history row, and when."""
    row = Sheet.history.filter(id=sheet_id).select_related("history_user").order_by("-history_date").first()
    if row is None:
        return "ほかの人が"
    user = row.history_user
    name = (user.get_full_name() or user.get_username()) if user else "システム（読み込み）"
    return f"{name} さんが {row.history_date:%Y年%-m月%-d日 %H:%M} に"


def _locked_version(sheet_id: int) -> int | None:
    """The sheet's version in the database, its row locked until the transaction ends (where the database can)."""
    return Sheet.objects.select_for_update().filter(pk=sheet_id).values_list("version", flat=True).first()


def check_version(*, sheet_id: int, expected: int) -> None:
    """Raise StaleSheet unless the sheet is still at `expected` (locks the row until the transaction ends, where the
    database can: the check and the save that follows cannot be overtaken by another editor)."""
    current = _locked_version(sheet_id)
    if current is not None and current != expected:
        raise StaleSheet(
            f"このシートは、編集を始めた後に {last_saved_by(sheet_id)}保存しています（版 {expected} → {current}）。"
            "あなたの変更は保存していません。ページを再読み込みして最新の内容を確かめ、もう一度変更してください。"
        )


def next_version(sheet: Sheet) -> None:
    """Set the sheet to be saved one version up: one more than the version in the database, read with the row locked
    until the transaction ends (a plain number, as its history row needs one)."""
    sheet.version = (_locked_version(sheet.pk) or 0) + 1
