"""Small pandas helpers shared by the apps' analytics modules."""

import pandas as pd

# The columns of selectors.sheet_frame that say which sheet reports a figure (for newest_report).
SHEET_IDENTITY = ["sheet_id", "sheet_fiscal_year", "code", "name"]

# Named frames, e.g. the panels of /compare/ (so page contexts can pass frames along without importing pandas).
Frames = dict[str, pd.DataFrame]


def newest_report(frame: pd.DataFrame, sheets: pd.DataFrame, *, keys: list[str]) -> pd.DataFrame:
    """For each `keys` (e.g. program + fiscal year), keep the row of the newest sheet that reports it.

    A figure can be an estimate (見込み) in one sheet and final in the next year's sheet: the later
    sheet wins. `frame` has `sheet_id`; `sheets` has `sheet_id` and `sheet_fiscal_year` (plus any
    columns to carry, such as `code`). Adds `reported_in` (the fiscal year of the reporting sheet).
    """
    if frame.empty:
        return frame.assign(
            reported_in=pd.Series(dtype="int64"),
            **{c: pd.Series(dtype="object") for c in sheets.columns if c not in frame.columns and c != "sheet_fiscal_year"},
        )
    merged = frame.merge(sheets, on="sheet_id", how="inner")
    merged = merged.sort_values("sheet_fiscal_year", ascending=False).drop_duplicates(subset=keys, keep="first")
    return merged.rename(columns={"sheet_fiscal_year": "reported_in"}).sort_values(keys).reset_index(drop=True)


# How a flag column reads in tables and CSV downloads: words, never True/False.
FLAG_WORDS = {"settlement_is_estimate": ("見込み", "確定"), "is_estimate": ("見込み", "確定")}


def table(frame: pd.DataFrame, columns: dict[str, str]) -> dict:
    """A frame as {"headers": [...], "rows": [[...]]} for templates, with Japanese headers, in the given order."""
    present = [c for c in columns if c in frame.columns]
    frame = frame.assign(
        **{
            column: frame[column].map(lambda flag, words=words: None if pd.isna(flag) else words[0] if flag else words[1])
            for column, words in FLAG_WORDS.items()
            if column in present
        }
    )
    return {
        "headers": [columns[c] for c in present],
        "keys": present,
        "rows": frame[present].astype(object).where(frame[present].notna(), None).values.tolist(),
    }
