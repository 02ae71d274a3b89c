"""The normal form of search (evalsheets/lib/text_search.py): width, case and kana folded; snippets mark the text as
printed. No database."""

import pytest

from evalsheets.lib.text_search import MAX_WORDS, Segment, highlight, search_normalise, search_words


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ＬＡＮ", "lan"),
        ("LAN", "lan"),
        ("ﾈｯﾄﾜｰｸ", "ネットワーク"),
        ("ねっとわーく", "ネットワーク"),
        ("ｶﾞﾊﾞﾅﾝｽ", "ガバナンス"),
        ("ゞ", "ヾ"),
        ("０３－０４－０４", "03-04-04"),
    ],
)
def test_typed_forms_normalise_to_one(typed, stored):
    assert search_normalise(typed) == stored


def test_words_split_at_any_space_without_duplicates_longest_first():
    assert search_words("  ＬＡＮ\u3000lan ねっとわーく\t区 ") == ["ネットワーク", "lan", "区"]
    assert search_words(" \u3000 ") == []
    assert len(search_words(" ".join(f"w{i}" for i in range(50)))) == MAX_WORDS


def test_highlight_marks_the_text_as_printed():
    """A match found in the normal form is marked in the original: full-width and half-width kana stay as printed."""
    segments = highlight("庁内ＬＡＮとﾈｯﾄﾜｰｸ機器", ["lan", "ネットワーク"])
    assert segments == [
        Segment("庁内"),
        Segment("ＬＡＮ", match=True),
        Segment("と"),
        Segment("ﾈｯﾄﾜｰｸ", match=True),
        Segment("機器"),
    ]


def test_highlight_cuts_a_window_around_the_first_match():
    text = "あ" * 100 + "ネットワーク" + "い" * 100
    segments = highlight(text, ["ネットワーク"], before=10, after=20)
    assert segments[0] == Segment("…") and segments[-1] == Segment("…")
    assert "".join(s.text for s in segments) == "…" + "あ" * 10 + "ネットワーク" + "い" * 20 + "…"
    assert [s.text for s in segments if s.match] == ["ネットワーク"]


def test_highlight_without_a_match_is_none():
    assert highlight("情報システム", ["lan"]) is None


def test_overlapping_words_are_one_mark():
    assert highlight("ネットワーク", ["ネット", "トワーク"]) == [Segment("ネットワーク", match=True)]
