"""Search text as people type it: one normal form for documents and queries, and snippets with the matches marked.

`search_normalise` is the one home of the folding: NFKC (ＬＡＮ → LAN, ﾈｯﾄﾜｰｸ → ネットワーク, ① → 1), case folding
(Lan → lan) and ひらがな → カタカナ (ねっとわーく → ネットワーク). The stored search document of a sheet and every query
pass through it, so a word typed in any width or kana matches. Pure functions: no database, no request.
"""

import unicodedata
from dataclasses import dataclass

# ぁ..ゖ → ァ..ヶ and the iteration marks ゝゞ → ヽヾ (the katakana block is the hiragana block + 0x60)
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)} | {0x309D: 0x30FD, 0x309E: 0x30FE}
# half-width voiced marks join the kana before them under NFKC (ｶﾞ → ガ): kept with it when mapping positions
_JOINING_MARKS = "\uff9e\uff9f"
MAX_WORDS = 10  # words of a query beyond these are ignored (each one is a condition on every sheet)
MAX_WORD_LENGTH = 100


def search_normalise(text: str) -> str:
    """The normal form documents are stored in and queries are compared in."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_HIRAGANA_TO_KATAKANA)


def search_words(query: str) -> list[str]:
    """The distinct normalised words of a query (split at any space, full-width too), longest first, at most
    MAX_WORDS of at most MAX_WORD_LENGTH characters."""
    words = dict.fromkeys(word[:MAX_WORD_LENGTH] for word in search_normalise(query).split())
    return sorted(words, key=len, reverse=True)[:MAX_WORDS]


@dataclass(frozen=True)
class Segment:
    """A piece of a snippet: text as printed, and whether it matched a word (the template marks it, escaped)."""

    text: str
    match: bool = False


def _normalise_mapped(text: str) -> tuple[str, list[int], list[int]]:
    """`text` normalised piece by piece (a character with its combining marks), with each normalised character's
    span in the original text, so that a match found in the normal form is marked in the text as printed."""
    pieces, starts, ends = [], [], []
    i, length = 0, len(text)
    while i < length:
        j = i + 1
        while j < length and (unicodedata.combining(text[j]) or text[j] in _JOINING_MARKS):
            j += 1
        piece = search_normalise(text[i:j])
        pieces.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    return "".join(pieces), starts, ends


def _match_spans(normal: str, words: list[str]) -> list[tuple[int, int]]:
    """Every occurrence of any word in `normal`, overlapping ones merged, in order."""
    spans = []
    for word in words:
        start = normal.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = normal.find(word, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, words: list[str], *, before: int | None = None, after: int = 0) -> list[Segment] | None:
    """`text` as segments with the matches of `words` marked, or None when no word occurs in it. With `before`, only
    a window around the first match: `before` characters ahead of it and `after` behind it, cut ends shown as …"""
    normal, starts, ends = _normalise_mapped(text)
    spans = [(starts[a], ends[b - 1]) for a, b in _match_spans(normal, words)]
    if not spans:
        return None
    window_start, window_end = 0, len(text)
    if before is not None:
        window_start = max(0, spans[0][0] - before)
        window_end = min(len(text), spans[0][1] + after)
    segments, position = [], window_start
    if window_start > 0:
        segments.append(Segment("…"))
    for start, end in spans:
        if start >= window_end:
            break
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[max(start, position) : min(end, window_end)], match=True))
        position = min(end, window_end)
    if position < window_end:
        segments.append(Segment(text[position:window_end]))
    if window_end < len(text):
        segments.append(Segment("…"))
    return segments
