import pytest

from evalsheets.lib.japanese_text import keywords, segments

SEED_TEXTS = [
    "住民記録、税務システムの構築を開始する。保育園、手当・医療助成、高齢福祉システムの選定、構築を行う。",
    "システム共通基盤にコンテンツ管理システム(CMS)、庶務事務システムを構築し、機器費用や運用費用を削減した。",
    "成果指標③は 3.45 件（令和2年度）。\n ＬＡＮ　回線を更改",
    "",
]


@pytest.mark.parametrize("text", SEED_TEXTS)
def test_segments_are_lossless(text):
    assert "".join(segments(text)) == text


def test_segments_cut_at_a_change_of_script_and_keep_numbers_whole():
    assert segments("住民記録、税務システムの構築") == ["住民記録", "、", "税務", "システム", "の", "構築"]
    assert segments("3.45件 ＬＡＮ") == ["3.45", "件", " ", "ＬＡＮ"]
    assert segments("手当・医療") == ["手当", "・", "医療"]


def test_keywords_are_normalised_distinct_and_without_common_words():
    assert keywords("ＬＡＮ回線とLANの更改を実施する。AI・RPAを活用") == ["lan", "回線", "更改", "ai", "rpa"]
    assert keywords("システム共通基盤にシステムを構築") == ["システム", "共通基盤", "構築"]


def test_keywords_skip_single_characters_hiragana_and_bare_numbers():
    assert keywords("の を 件 3 2021 年") == []
