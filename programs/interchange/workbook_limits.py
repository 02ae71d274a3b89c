"""Refusing a workbook that would cost too much to read: before openpyxl opens it, and while it reads.

An .xlsx is a zip of XML parts. Before openpyxl opens it: the file's size, and the member count and
declared uncompressed sizes in the zip's central directory (Python's zipfile never inflates a member
past its declared size, so the declared total bounds the work: a zip bomb is refused here). While
reading: worksheets per workbook, rows and columns per worksheet, and a time budget well below
gunicorn's 30 s worker timeout (a refusal, never a killed worker). XML entity expansion ("billion
laughs") is refused by defusedxml, which openpyxl uses whenever it is installed (requirements.txt).

The limits are settings (EVALSHEETS_UPLOAD_*, evalsheets/settings.py); a refusal is a LimitExceeded
with a Japanese message that names the limit.
"""

import os
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings


class LimitExceeded(ValueError):
    """The workbook is over one of the limits; the message says which and what to do."""


def size_label(size: int) -> str:
    """Bytes as MB to one decimal (10.0 MB), under 1 MB as KB (20 KB); 1 MB = 1,024 KB = 1,048,576 bytes."""
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):,.1f} MB"


@dataclass(frozen=True)
class WorkbookLimits:
    max_bytes: int
    max_unzipped_bytes: int
    max_worksheets: int
    max_rows: int
    max_columns: int
    seconds: float

    @classmethod
    def from_settings(cls) -> "WorkbookLimits":
        return cls(
            max_bytes=settings.EVALSHEETS_UPLOAD_MAX_BYTES,
            max_unzipped_bytes=settings.EVALSHEETS_UPLOAD_MAX_UNZIPPED_BYTES,
            max_worksheets=settings.EVALSHEETS_UPLOAD_MAX_WORKSHEETS,
            max_rows=settings.EVALSHEETS_UPLOAD_MAX_ROWS,
            max_columns=settings.EVALSHEETS_UPLOAD_MAX_COLUMNS,
            seconds=settings.EVALSHEETS_UPLOAD_SECONDS,
        )

    @property
    def max_members(self) -> int:
        """Zip members: a worksheet is a few parts (its XML, relations, comments, drawings) plus the workbook's own."""
        return 4 * self.max_worksheets + 100


def file_size(path_or_file: str | Path | BinaryIO) -> int:
    if isinstance(path_or_file, str | Path):
        return os.path.getsize(path_or_file)
    size = getattr(path_or_file, "size", None)  # Django's UploadedFile knows it
    if isinstance(size, int):
        return size
    position = path_or_file.tell()
    size = path_or_file.seek(0, os.SEEK_END)
    path_or_file.seek(position)
    return size


def archive_check(path_or_file: str | Path | BinaryIO, limits: WorkbookLimits) -> None:
    """File size, zip member count and declared unzipped size; a file that is not a zip is left to openpyxl's error."""
    size = file_size(path_or_file)
    if size > limits.max_bytes:
        raise LimitExceeded(f"ファイルが大きすぎます（{size_label(size)}）。上限は {size_label(limits.max_bytes)} です")
    position = None if isinstance(path_or_file, str | Path) else path_or_file.tell()
    try:
        with zipfile.ZipFile(path_or_file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    finally:
        if position is not None:
            path_or_file.seek(position)
    if len(members) > limits.max_members:
        raise LimitExceeded(f"ブックの構成部品が多すぎます（{len(members):,} 個。上限 {limits.max_members:,} 個）")
    unzipped = sum(member.file_size for member in members)
    if unzipped > limits.max_unzipped_bytes:
        raise LimitExceeded(
            f"展開後の大きさ（{size_label(unzipped)}）が上限 {size_label(limits.max_unzipped_bytes)} を超えます"
            "（圧縮爆弾のおそれ）。ブックを分けてください"
        )


class ReadBudget:
    """The limits while reading one workbook: worksheets, rows and columns of each, and the time since it began."""

    def __init__(self, limits: WorkbookLimits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(
                f"読み込みが制限時間（{self.limits.seconds:g} 秒）を超えたため中止しました。ブックを分けて読み込んでください"
            )

    def check_worksheets(self, count: int) -> None:
        if count > self.limits.max_worksheets:
            raise LimitExceeded(
                f"ワークシートが多すぎます（{count:,} 枚。上限 {self.limits.max_worksheets:,} 枚）。ブックを分けてください"
            )

    def rows(self, ws) -> Iterator[tuple]:
        """ws.iter_rows(), refused past the row or column limit (openpyxl yields missing rows too, so count = row number)."""
        for number, row in enumerate(ws.iter_rows(), start=1):
            if number > self.limits.max_rows:
                raise LimitExceeded(f"行が多すぎます（{self.limits.max_rows:,} 行を超えています）")
            if len(row) > self.limits.max_columns:
                raise LimitExceeded(f"列が多すぎます（{len(row):,} 列。上限 {self.limits.max_columns:,} 列）")
            if number % 50 == 0:
                self.check_time()
            yield row
