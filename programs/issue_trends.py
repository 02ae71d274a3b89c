"""問題点・課題の推移: a program's issues year by year, and which of them keep coming back (「継続課題」).

Pure functions over plain values (fiscal years, issue numbers and texts): no database, no request.

"The same words" — two issues are about the same problem when the keywords they share
(`evalsheets.lib.japanese_text.keywords`, without GENERIC_WORDS) are at least MIN_SHARED_WORDS words, or one word of
LONG_WORD_CHARS characters or more (住民記録, 印刷枚数削減, セキュリティクラウド).

A run: an issue continues one of the year before when they share the same words; a run goes on only while the SAME
words are shared all along (this issue shares words with an issue of the year before, which shares those very words
with an issue of the year before that …): the words of a run are the intersection of its issues' keywords. A run
needs every fiscal year in between: a year without a sheet (or without issues) breaks it.

An issue whose longest run spans CONTINUING_YEARS (3) consecutive fiscal years or more is 「継続課題」. Each issue
carries the first year of its longest run (初出), the run's length in years (N年連続) and the words shared along it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from evalsheets.lib.japanese_text import keyword_form, keywords, segments

MIN_SHARED_WORDS = 2
LONG_WORD_CHARS = 4
CONTINUING_YEARS = 3
# Words nearly every issue of an information-systems department uses (keywords already drops the words every sheet
# uses): shared, they do not make two issues the same problem (「業務システムの更改」 and 「他課の業務システムの支援」).
GENERIC_WORDS = frozenset({"システム", "業務", "サービス", "管理", "職員"})


@dataclass(frozen=True)
class IssueTrend:
    """One 問題点・課題 of one year, with the longest run of years it belongs to."""

    number: int
    text: str
    first_year: int  # 初出: the first fiscal year of its longest run (its own year when it is new)
    years: int  # N年連続: the length of that run in fiscal years (1 when it is new)
    shared_words: tuple[str, ...]  # the words shared along the run, as this text writes them, in its order (() when new)
    segments: tuple[tuple[str, bool], ...]  # the text in pieces, True where a piece is one of the shared words

    @property
    def continuing(self) -> bool:
        """「継続課題」: the same words in CONTINUING_YEARS consecutive fiscal years."""
        return self.years >= CONTINUING_YEARS

    @property
    def recurring(self) -> bool:
        """Shares its words with an issue of the year before (2年連続 or more)."""
        return self.years >= 2


@dataclass(frozen=True)
class YearIssues:
    fiscal_year: int
    issues: tuple[IssueTrend, ...]
    missing_before: tuple[int, ...]  # the fiscal years without a sheet since the previous sheet: runs start again


def same_words(words: Iterable[str]) -> bool:
    """Whether shared `words` make two issues the same problem (module docstring)."""
    words = list(words)
    return len(words) >= MIN_SHARED_WORDS or any(len(word) >= LONG_WORD_CHARS for word in words)


def issue_keywords(text: str) -> list[str]:
    """The keywords of an issue that may link it to another year's (without GENERIC_WORDS), in text order."""
    return [word for word in keywords(text) if word not in GENERIC_WORDS]


def marked_segments(text: str, words: Iterable[str]) -> tuple[tuple[str, bool], ...]:
    """`text` in pieces (japanese_text.segments, lossless) with True on the pieces that are one of `words` (keywords
    are normalised: a piece is compared in the same normal form). Adjacent pieces of the same kind are joined."""
    wanted = set(words)
    pieces: list[tuple[str, bool]] = []
    for piece in segments(text):
        marked = keyword_form(piece) in wanted
        if pieces and not marked and not pieces[-1][1]:
            pieces[-1] = (pieces[-1][0] + piece, False)
        else:
            pieces.append((piece, marked))
    return tuple(pieces)


# A run ending at an issue: (first fiscal year, the words shared all along it).
_Run = tuple[int, frozenset[str]]


def _pareto(runs: set[_Run]) -> list[_Run]:
    """Drop a run another one beats: it starts no later and shares every word of it."""
    return [run for run in runs if not any(other != run and other[0] <= run[0] and other[1] >= run[1] for other in runs)]


def issues_by_year(rows: Iterable[tuple[int, int | None, str | None]]) -> list[tuple[int, list[tuple[int, str]]]]:
    """(fiscal year, issue number, issue text) rows — number and text None for a sheet without issues — as
    issue_timeline takes them: [(fiscal year, [(number, text), …]), …]."""
    years: dict[int, list[tuple[int, str]]] = {}
    for fiscal_year, number, text in rows:
        issues = years.setdefault(fiscal_year, [])
        if number is not None:
            issues.append((number, text or ""))
    return list(years.items())


def issue_timeline(sheets: Iterable[tuple[int, Iterable[tuple[int, str]]]]) -> list[YearIssues]:
    """`sheets`: a program's sheets as (fiscal year, [(issue number, issue text), …]), one per year, in any order.
    Returns the years in order, each with its issues and their runs (module docstring)."""
    timeline = []
    previous_year = None
    previous_runs: list[list[_Run]] = []  # per issue of the year before
    for fiscal_year, issues in sorted(sheets, key=lambda sheet: sheet[0]):
        follows = previous_year == fiscal_year - 1
        year_runs, trends = [], []
        for number, text in sorted(issues, key=lambda issue: issue[0]):
            words = issue_keywords(text)
            own = frozenset(words)
            runs = {(fiscal_year, own)}
            if follows:
                for earlier in previous_runs:
                    for start, shared in earlier:
                        common = shared & own
                        if same_words(common):
                            runs.add((start, common))
            runs = _pareto(runs)
            start, shared = min(runs, key=lambda run: (run[0], -len(run[1]), sorted(run[1])))
            shown = [word for word in words if word in shared] if start < fiscal_year else []
            pieces = marked_segments(text, shown)
            written = {keyword_form(piece): piece for piece, marked in reversed(pieces) if marked}  # first spelling wins
            trends.append(
                IssueTrend(
                    number=number,
                    text=text,
                    first_year=start,
                    years=fiscal_year - start + 1,
                    shared_words=tuple(written.get(word, word) for word in shown),
                    segments=pieces,
                )
            )
            year_runs.append(runs)
        missing = tuple(range(previous_year + 1, fiscal_year)) if previous_year is not None else ()
        timeline.append(YearIssues(fiscal_year=fiscal_year, issues=tuple(trends), missing_before=missing))
        previous_year, previous_runs = fiscal_year, year_runs
    return timeline
