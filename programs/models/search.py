"""A sheet's search document: its texts in the normal form of evalsheets.lib.text_search, kept by programs.search."""

from django.db import models


class SheetSearch(models.Model):
    """The normalised texts of one sheet (名称, 目的, 内容, 経過, 問題点, 改善策, 指標 …), rewritten whenever the sheet
    or its parts are written (programs.figures.sheet_stored_refresh) and rebuilt by `manage.py rebuild_search`.

    The database indexes `document` with its own machinery, created by migration 0017 (not declarable here, as it
    differs per database): PostgreSQL a pg_trgm GIN index, SQLite an FTS5 table with the trigram tokenizer
    (programs_sheetsearch_fts, kept in step by triggers). programs.search.search_sheets is the only reader."""

    sheet = models.OneToOneField(
        "programs.Sheet", on_delete=models.CASCADE, primary_key=True, related_name="search", verbose_name="シート"
    )
    name = models.TextField("事務事業コード・名称（正規化）")
    document = models.TextField("検索用の文章（正規化）")

    class Meta:
        verbose_name = verbose_name_plural = "検索用の文章"

    def __str__(self) -> str:
        return self.name
